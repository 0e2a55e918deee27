from rest_framework.routers import SimpleRouter

from aftersales.depot import api

router = SimpleRouter()
router.register("repair-batches", api.RepairBatchViewSet, basename="repair-batch")
urlpatterns = router.urls
