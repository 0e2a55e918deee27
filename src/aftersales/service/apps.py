from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "aftersales.service"
    verbose_name = _("Service requests and work orders")

    def ready(self) -> None:
        from aftersales.obligations.selectors import register_scope
        from aftersales.service import selectors
        from aftersales.service.models import ServiceRequest, WorkOrder

        register_scope(ServiceRequest, selectors.own_requests)
        register_scope(WorkOrder, selectors.own_work_orders)
