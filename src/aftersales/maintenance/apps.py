from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    name = "aftersales.maintenance"
    verbose_name = _("Maintenance and inspections")

    def ready(self) -> None:
        from aftersales.common import attachments

        # Each lifecycle registers itself when its module loads.
        from aftersales.maintenance import inspections, installations, plans, selectors, training  # noqa: F401
        from aftersales.maintenance.models import Inspection, Installation, TrainingSession
        from aftersales.obligations.selectors import register_scope

        register_scope(Inspection, selectors.own_inspections)
        register_scope(Installation, selectors.own_installations)
        attachments.register(
            Inspection,
            visible=selectors.inspections_for,
            check_may_attach=selectors.check_may_attach,
        )
        attachments.register(
            TrainingSession,
            visible=selectors.trainings_for,
            check_may_attach=selectors.check_may_attach_training,
        )
