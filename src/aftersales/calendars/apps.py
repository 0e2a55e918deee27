from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "aftersales.calendars"
    verbose_name = _("Working calendars")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from aftersales.calendars import checks  # noqa: F401  (registers the system check)
        from aftersales.calendars.defaults import ensure_after_migrate

        # Also after a flush (transactional tests), which empties the tables.
        post_migrate.connect(ensure_after_migrate, dispatch_uid="aftersales.default_calendars")
