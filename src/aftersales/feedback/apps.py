from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "aftersales.feedback"
    verbose_name = _("Return visits and satisfaction")

    def ready(self) -> None:
        from aftersales.feedback import receivers  # noqa: F401  (connects to service events)
