"""A mail waiting in triage keeps its attachments until an agent decides where it goes:
agents and the service manager may open them; only the mailbox itself adds them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from aftersales.common import attachments
from aftersales.inbox.models import InboundMail


def mails_for(user: Any) -> QuerySet[InboundMail]:
    if getattr(user, "is_external", True) or not user.has_perm("inbox.view_inboundmail"):
        return InboundMail.objects.none()
    return InboundMail.objects.all()


def _only_the_mailbox(user: Any, mail: InboundMail) -> None:
    if user is not None:
        raise PermissionDenied


attachments.register(InboundMail, visible=mails_for, check_may_attach=_only_the_mailbox)
