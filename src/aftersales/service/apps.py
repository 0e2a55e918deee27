from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "aftersales.service"
    verbose_name = _("Service requests and work orders")

    def ready(self) -> None:
        from aftersales.common import attachments
        from aftersales.obligations.selectors import register_scope
        from aftersales.service import selectors
        from aftersales.service.models import ServiceRequest, WorkOrder

        register_scope(ServiceRequest, selectors.own_requests)
        attachments.register(
            ServiceRequest,
            visible=selectors.requests_for,
            check_may_attach=selectors.check_may_attach,
            staff_files_internal=True,
        )
        register_scope(WorkOrder, selectors.own_work_orders)
