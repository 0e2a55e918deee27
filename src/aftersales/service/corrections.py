"""Corrections at the desk: a request cancelled (a wrong or withdrawn call, never once a
repair was signed for) or its severity changed with a reason (R-SR-2), by the hotline
or the service manager."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.obligations import services as obligations
from aftersales.service.models import ServiceRequest, WorkOrder
from aftersales.service.service_requests import (
    INTAKE_RULES,
    Status,
    check_open,
    locked,
    log_note,
    service_request_transition,
)


def repair_done(request: ServiceRequest) -> bool:
    """A work order of the request was completed (signed by the customer)."""
    return request.work_orders.filter(status=WorkOrder.Status.COMPLETED).exists()  # type: ignore[attr-defined]


def _check_desk(actor: User) -> None:
    if not (actor.is_superuser or actor.has_role(Role.AGENT, Role.SERVICE_MANAGER)):
        raise PermissionDenied


@transaction.atomic
def service_request_cancel(*, actor: User, request: ServiceRequest, reason: str) -> ServiceRequest:
    """Cancelled by the hotline or the manager (a wrong or withdrawn call); never once a
    repair was done and signed for: that request is closed with the customer's word."""
    _check_desk(actor)
    return _cancel(actor=actor, request=request, reason=reason)


def _cancel(*, actor: User, request: ServiceRequest, reason: str) -> ServiceRequest:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is cancelled.")})
    request = locked(request)
    if repair_done(request):
        raise ConflictError(
            _(
                "The repair was done and signed for: close the request with the "
                "customer's confirmation instead of cancelling it."
            )
        )
    service_request_transition(request, Status.CANCELLED, actor=actor, note=reason)
    obligations.obligations_cancel(
        actor=actor, target=request, reason=_("Request cancelled: %(r)s") % {"r": reason}
    )
    return request


@transaction.atomic
def service_request_set_severity(
    *, actor: User, request: ServiceRequest, severity: str, reason: str
) -> ServiceRequest:
    """The fault turns out graver or lighter than the caller said (R-SR-2): the new
    severity's limits apply, counted from when each started, and the change is on the
    timeline with its reason."""
    from aftersales.common.choices import Severity

    _check_desk(actor)
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Choose one of the severities.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the severity changes.")})
    request = locked(request)
    check_open(request)
    if request.severity == severity:
        raise ValidationError({"severity": _("The request already has this severity.")})
    before = request.severity
    request.severity = severity
    save_audited(request, actor=actor, reason=f"severity {before} → {severity}")
    obligations.obligations_reclassify(
        actor=actor, target=request, severity=severity, reason=reason.strip()
    )
    for rule in INTAKE_RULES:  # a limit the old severity did not have starts at intake
        obligations.obligation_open(
            actor=actor,
            target=request,
            rule=rule,
            severity=severity,
            started_at=request.received_at,
            once=True,
        )
    log_note(
        request,
        actor,
        _("Severity %(old)s → %(new)s: %(reason)s")
        % {
            "old": Severity(before).label,
            "new": Severity(severity).label,
            "reason": reason.strip(),
        },
    )
    return request
