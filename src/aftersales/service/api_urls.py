from rest_framework.routers import SimpleRouter

from aftersales.service import api, depot_api, returns_api

router = SimpleRouter()
router.register("service-requests", api.ServiceRequestViewSet, basename="service-request")
router.register("work-orders", api.WorkOrderViewSet, basename="work-order")
router.register("repair-batches", depot_api.RepairBatchViewSet, basename="repair-batch")
router.register("returns", returns_api.ReturnViewSet, basename="return")
router.register(
    "unpacking-inspections", returns_api.UnpackingViewSet, basename="unpacking-inspection"
)
urlpatterns = router.urls
