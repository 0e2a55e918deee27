from django.urls import path
from rest_framework.routers import SimpleRouter

from aftersales.parts import api, backups_api, toolkits_api

router = SimpleRouter()
router.register("stock-locations", api.LocationViewSet, basename="stock-location")
router.register("stock-balances", api.BalanceViewSet, basename="stock-balance")
router.register("stock-movements", api.MovementViewSet, basename="stock-movement")
router.register("stock-periods", api.PeriodViewSet, basename="stock-period")
router.register("backup-units", backups_api.BackupUnitViewSet, basename="backup-unit")
router.register("tool-kits", toolkits_api.ToolKitViewSet, basename="tool-kit")
router.register("tools", toolkits_api.ToolViewSet, basename="tool")
urlpatterns = [
    *router.urls,
    path("stock-reconciliation/", api.ReconciliationView.as_view(), name="stock-reconciliation"),
]
