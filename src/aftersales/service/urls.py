from django.urls import path

from aftersales.service import handover_views, views

app_name = "service"
urlpatterns = [
    path("service-requests/", views.request_list, name="list"),
    path("service-requests/new/", views.request_create, name="create"),
    path("service-requests/lookup/", views.intake_lookup, name="lookup"),
    path("service-requests/<int:pk>/", views.request_detail, name="detail"),
    path("service-requests/<int:pk>/confirm/", views.request_confirm, name="confirm"),
    path("service-requests/<int:pk>/<slug:step>/", views.request_act, name="act"),
    path("service-requests/<int:pk>/print/<slug:kind>/", views.request_paper, name="request_paper"),
    path("dispatch/", views.dispatch_board, name="dispatch"),
    path("work-orders/", views.my_jobs, name="my_jobs"),
    path("work-orders/hand-over/", handover_views.hand_over, name="hand_over"),
    path("work-orders/<int:pk>/", views.work_order_detail, name="work_order"),
    path("work-orders/<int:pk>/pdf/", views.work_order_print, name="work_order_pdf"),
    path("work-orders/<int:pk>/delay-pdf/", views.work_order_delay_print, name="delay_pdf"),
]
