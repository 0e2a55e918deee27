from django.urls import path

from aftersales.portal import views

app_name = "portal"
urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/report/", views.report, name="report"),
    path("portal/equipment/", views.equipment, name="equipment"),
    path("portal/requests/<int:pk>/", views.request_detail, name="request"),
    path("portal/requests/<int:pk>/quote/", views.quote_answer, name="quote"),
    path("portal/requests/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("portal/complaints/new/", views.complaint_new, name="complaint"),
    path("portal/surveys/<int:pk>/", views.survey, name="survey"),
    path("qr-labels/<int:pk>/", views.labels, name="labels"),
]
