from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "aftersales.common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from aftersales.common import checks  # noqa: F401  (registers the system check)
