from rest_framework.routers import SimpleRouter

from aftersales.customers import api

router = SimpleRouter()
router.register("customers", api.CustomerViewSet, basename="customer")
router.register("equipment", api.EquipmentViewSet, basename="equipment")
router.register("maintenance-contracts", api.ContractViewSet, basename="contract")
router.register("product-models", api.ProductModelViewSet, basename="product-model")
urlpatterns = router.urls
