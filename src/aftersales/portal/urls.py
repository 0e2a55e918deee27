from django.urls import path

from aftersales.knowledge import portal as knowledge_portal
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
    path("portal/help/", knowledge_portal.help_list, name="help"),
    path("portal/help/<int:pk>/", knowledge_portal.help_article, name="help_article"),
    path("qr-labels/<int:pk>/", views.labels, name="labels"),
]
