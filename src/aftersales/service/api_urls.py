from rest_framework.routers import SimpleRouter

from aftersales.service import api

router = SimpleRouter()
router.register("service-requests", api.ServiceRequestViewSet, basename="service-request")
router.register("work-orders", api.WorkOrderViewSet, basename="work-order")
urlpatterns = router.urls
