from rest_framework.routers import SimpleRouter

from aftersales.obligations import api

router = SimpleRouter()
router.register("obligations", api.ObligationViewSet, basename="obligation")
router.register("policies", api.PolicyViewSet, basename="policy")
router.register("notifications", api.NotificationViewSet, basename="notification")
urlpatterns = router.urls
