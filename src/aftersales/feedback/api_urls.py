from django.urls import path
from rest_framework.routers import SimpleRouter

from aftersales.feedback import api, statistics_api

router = SimpleRouter()
router.register("visits", api.VisitViewSet, basename="visit")
router.register("visit-issues", api.VisitIssueViewSet, basename="visit-issue")
router.register("question-sets", api.QuestionSetViewSet, basename="question-set")
router.register("survey-campaigns", api.CampaignViewSet, basename="survey-campaign")
router.register("survey-invitations", api.InvitationViewSet, basename="survey-invitation")
urlpatterns = [
    *router.urls,
    path("surveys/<str:token>/", api.PublicSurveyView.as_view(), name="survey-public"),
    path("satisfaction/", statistics_api.SatisfactionView.as_view(), name="satisfaction"),
]
