from django.urls import path
from rest_framework.routers import SimpleRouter

from aftersales.maintenance import api

router = SimpleRouter()
router.register("maintenance-plans", api.PlanViewSet, basename="maintenance-plan")
router.register("inspections", api.InspectionViewSet, basename="inspection")
router.register("installations", api.InstallationViewSet, basename="installation")
router.register("training-sessions", api.TrainingViewSet, basename="training-session")
urlpatterns = [
    *router.urls,
    path("availability/", api.AvailabilityView.as_view(), name="availability"),
]
