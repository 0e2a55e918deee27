from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    name = "aftersales.maintenance"
    verbose_name = _("Maintenance and inspections")

    def ready(self) -> None:
        from aftersales.common import attachments
        from aftersales.maintenance import selectors
        from aftersales.maintenance.models import Inspection
        from aftersales.obligations.selectors import register_scope

        register_scope(Inspection, selectors.own_inspections)
        attachments.register(
            Inspection,
            visible=selectors.inspections_for,
            check_may_attach=selectors.check_may_attach,
        )
