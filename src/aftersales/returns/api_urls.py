from rest_framework.routers import SimpleRouter

from aftersales.returns import api

router = SimpleRouter()
router.register("returns", api.ReturnViewSet, basename="return")
router.register("unpacking-inspections", api.UnpackingViewSet, basename="unpacking-inspection")
urlpatterns = router.urls
