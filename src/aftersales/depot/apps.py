from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepotConfig(AppConfig):
    name = "aftersales.depot"
    verbose_name = _("Depot repair")
