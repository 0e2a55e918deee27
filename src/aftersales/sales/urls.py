from django.urls import path

from aftersales.sales import views

app_name = "sales"
urlpatterns = [
    path("sales/orders/", views.order_list, name="orders"),
    path("sales/orders/new/", views.order_new, name="order_new"),
    path("sales/orders/<int:pk>/", views.order_detail, name="order"),
]
