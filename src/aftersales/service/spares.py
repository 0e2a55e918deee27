"""SR.SPARE: a spare or a backup unit on site when the fault is not fixed on the spot
(R-SP-3)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.common.exceptions import ConflictError
from aftersales.common.words import labelled
from aftersales.obligations import services as obligations
from aftersales.service.models import ServiceRequest
from aftersales.service.service_requests import FINISHED, Status, locked, log_note, meet


@transaction.atomic
def service_request_swap(*, actor: User, request: ServiceRequest, note: str = "") -> ServiceRequest:
    """Not fixable on the spot: a spare or a backup unit goes out (R-SP-3); SR.SPARE starts."""
    request = locked(request)
    if request.status in (*FINISHED, Status.RESOLVED):
        raise ConflictError(_("The request is no longer being worked on."))
    obligations.obligation_open(
        actor=actor, target=request, rule="SR.SPARE", severity=request.severity
    )
    log_note(request, actor, labelled(_("Swap decided"), note))
    return request


def service_request_spare_on_site(
    *, actor: User | None, request: ServiceRequest, at: dt.datetime
) -> None:
    """A backup unit lent for the request, or a spare part used on its order: SR.SPARE met."""
    meet(request, "SR.SPARE", actor=actor, at=at)
