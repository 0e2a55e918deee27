from django.urls import path

from aftersales.complaints import views

app_name = "complaints"
urlpatterns = [
    path("complaints/", views.complaint_list, name="list"),
    path("complaints/new/", views.complaint_register, name="register"),
    path("complaints/review/", views.monthly_review, name="review"),
    path("complaints/windows/", views.acceptance_windows, name="windows"),
    path("complaints/<int:pk>/", views.complaint_detail, name="detail"),
]
