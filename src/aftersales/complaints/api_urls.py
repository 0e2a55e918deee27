from rest_framework.routers import SimpleRouter

from aftersales.complaints import api

router = SimpleRouter()
router.register("complaints", api.ComplaintViewSet, basename="complaint")
urlpatterns = router.urls
