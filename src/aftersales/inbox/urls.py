from django.urls import path

from aftersales.inbox import views

app_name = "inbox"
urlpatterns = [
    path("mail/", views.mail_list, name="list"),
    path("mail/<int:pk>/", views.mail_detail, name="mail"),
]
