from django.urls import path
from rest_framework.routers import SimpleRouter

from aftersales.complaints import api, review_api

router = SimpleRouter()
router.register("complaints", api.ComplaintViewSet, basename="complaint")
router.register("corrective-actions", api.CorrectiveActionViewSet, basename="corrective-action")
router.register("regional-warnings", api.RegionalWarningViewSet, basename="regional-warning")
urlpatterns = [
    *router.urls,
    path("complaint-review/", review_api.MonthlyReviewView.as_view(), name="complaint-review"),
]
