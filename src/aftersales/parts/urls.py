from django.urls import path

from aftersales.parts import views

app_name = "parts"
urlpatterns = [
    path("parts/", views.overview, name="overview"),
    path("parts/items/<int:pk>/", views.item_ledger, name="item"),
    path("parts/count/", views.count, name="count"),
    path("parts/reconciliation/", views.reconciliation, name="reconciliation"),
    path("parts/reconciliation/close/", views.close_month, name="close_month"),
    path("parts/<slug:kind>/", views.book, name="book"),
    path("work-orders/<int:pk>/parts/", views.order_parts, name="order_parts"),
]
