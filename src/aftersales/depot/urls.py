from django.urls import path

from aftersales.depot import views

app_name = "depot"
urlpatterns = [
    path("depot/", views.batch_list, name="list"),
    path("depot/new/", views.batch_receive, name="receive"),
    path("depot/<int:pk>/", views.batch_detail, name="batch"),
]
