from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObligationsConfig(AppConfig):
    name = "aftersales.obligations"
    verbose_name = _("Time limits")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from aftersales.calendars.signals import calendar_changed
        from aftersales.obligations import receivers
        from aftersales.obligations.defaults import ensure_after_migrate

        calendar_changed.connect(receivers.recompute_for_calendar, dispatch_uid="obligations.cal")
        # An empty policy table (a new database, or a flush in tests) gets the defaults.
        post_migrate.connect(ensure_after_migrate, dispatch_uid="obligations.defaults")
