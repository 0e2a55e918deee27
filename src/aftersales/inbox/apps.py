from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "aftersales.inbox"
    verbose_name = _("Service mailbox")

    def ready(self) -> None:
        from aftersales.inbox import holders  # noqa: F401  (attachments of a mail)
