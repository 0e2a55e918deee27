from django.urls import path

from aftersales.delivery import views

app_name = "delivery"
urlpatterns = [
    path("messages/undelivered/", views.undelivered, name="undelivered"),
    path("messages/<int:pk>/send-again/", views.resend, name="resend"),
]
