from django.urls import path

from aftersales.feedback import views

app_name = "feedback"
urlpatterns = [
    path("visits/", views.visit_list, name="visits"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/issues/", views.issue_list, name="issues"),
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views.question_set_new, name="question_set_new"),
    path("surveys/analysis/", views.satisfaction, name="satisfaction"),
    path("surveys/<int:pk>/", views.question_set_detail, name="question_set"),
    path("surveys/campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("s/<str:token>/", views.survey_public, name="survey"),
]
