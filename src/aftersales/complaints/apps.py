from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "aftersales.complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from aftersales.common import attachments
        from aftersales.complaints import selectors
        from aftersales.complaints.models import Complaint, CorrectiveAction
        from aftersales.obligations.selectors import register_scope

        attachments.register(
            Complaint,
            visible=selectors.complaints_for,
            check_may_attach=selectors.check_may_attach,
            staff_files_internal=True,
        )
        register_scope(Complaint, selectors.handled_complaints)
        register_scope(CorrectiveAction, selectors.handled_actions)
