from django.urls import path

from aftersales.operations import views

app_name = "operations"
urlpatterns = [
    path("duty/", views.roster_week, name="roster"),
    path("duty/now/", views.duty_now, name="now"),
    path("duty/swaps/", views.swaps, name="swaps"),
    path("duty/shifts/<int:pk>/swap/", views.swap_ask, name="swap_ask"),
    path("comp-time/", views.comp_time_page, name="comp_time"),
    path("comp-time/export/", views.comp_time_export, name="comp_time_export"),
    path("emergencies/", views.incident_list, name="incidents"),
    path("emergencies/new/", views.incident_create, name="incident_create"),
    path("emergencies/<int:pk>/", views.incident_detail, name="incident"),
    path("emergencies/<int:pk>/pdf/", views.incident_print, name="incident_pdf"),
]
