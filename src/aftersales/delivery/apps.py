from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "aftersales.delivery"
    verbose_name = _("Message channels")
