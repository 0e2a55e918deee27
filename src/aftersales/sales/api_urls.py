from rest_framework.routers import SimpleRouter

from aftersales.sales import api

router = SimpleRouter()
router.register("sales-orders", api.OrderViewSet, basename="sales-order")
urlpatterns = router.urls
