"""Who sees which plans and inspections."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.maintenance.models import (
    Inspection,
    Installation,
    MaintenancePlan,
    PlannedVisit,
    TrainingSession,
    Upgrade,
)
from aftersales.service.selectors import _only_own_orders


def _scoped(qs: QuerySet[Any], user: User | None, perm: str, own: str) -> QuerySet[Any]:
    """A record kind's rows for ``user``: none without ``perm``; a customer contact their
    company's; a technician who sees only their own work those where ``own`` is them;
    other staff all."""
    if user is None or not user.has_perm(perm):
        return qs.none()
    if user.is_superuser:
        return qs
    if user.is_external:
        scope = user.customer_id_scope
        return qs.filter(customer_id=scope) if scope else qs.none()
    if _only_own_orders(user):
        return qs.filter(**{own: user})
    return qs


def plans_for(user: User | None) -> QuerySet[MaintenancePlan]:
    """Plans with their visits: staff all, a customer contact their company's."""
    qs = MaintenancePlan.objects.select_related("contract__customer").prefetch_related(
        Prefetch("visits", PlannedVisit.objects.select_related("technician"))
    )
    if user is None or not user.has_perm("maintenance.view_maintenanceplan"):
        return qs.none()
    if user.is_external:
        scope = user.customer_id_scope
        return qs.filter(contract__customer_id=scope) if scope else qs.none()
    return qs


def visits_for(user: User | None) -> QuerySet[PlannedVisit]:
    qs = PlannedVisit.objects.select_related("plan__contract__customer", "technician")
    if user is None or not user.has_perm("maintenance.view_plannedvisit"):
        return qs.none()
    if user.is_external:
        scope = user.customer_id_scope
        return qs.filter(plan__contract__customer_id=scope) if scope else qs.none()
    return qs


def inspections_for(user: User | None) -> QuerySet[Inspection]:
    """Staff all (a technician only their own), a customer contact their company's."""
    qs = Inspection.objects.select_related(
        "equipment__product_model", "equipment__site", "customer", "technician", "template"
    )
    return _scoped(qs, user, "maintenance.view_inspection", "technician")


def own_inspections(user: User) -> QuerySet[Inspection] | None:
    return inspections_for(user) if _only_own_orders(user) else None


def check_may_attach(user: User | None, inspection: Inspection) -> None:
    """Photos of what was found: by the inspection's technician (or the service manager)
    while it is being filled."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from aftersales.common.exceptions import ConflictError

    if user is None or not inspections_for(user).filter(pk=inspection.pk).exists():
        raise Http404
    if user.is_external or not user.has_perm("maintenance.change_inspection"):
        raise PermissionDenied
    if inspection.status != Inspection.Status.IN_PROGRESS:
        raise ConflictError(_("The record is signed: it can no longer change."))


def installations_for(user: User | None) -> QuerySet[Installation]:
    """Staff all (a technician only their own), a customer contact their company's."""
    qs = Installation.objects.select_related(
        "equipment__product_model", "equipment__site", "customer", "installer", "unpacking"
    )
    return _scoped(qs, user, "maintenance.view_installation", "installer")


def own_installations(user: User) -> QuerySet[Installation] | None:
    return installations_for(user) if _only_own_orders(user) else None


def trainings_for(user: User | None) -> QuerySet[TrainingSession]:
    """Staff all (a technician the sessions they train), a customer their company's."""
    qs = TrainingSession.objects.select_related("customer", "trainer")
    return _scoped(qs, user, "maintenance.view_trainingsession", "trainer")


def check_may_attach_training(user: User | None, session: TrainingSession) -> None:
    """Training materials: by the trainer or the service manager, until the report."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from aftersales.common.exceptions import ConflictError

    if user is None or not trainings_for(user).filter(pk=session.pk).exists():
        raise Http404
    if user.is_external or not user.has_perm("maintenance.change_trainingsession"):
        raise PermissionDenied
    if session.status in (TrainingSession.Status.REPORTED, TrainingSession.Status.CANCELLED):
        raise ConflictError(_("The report is issued: materials can no longer be added."))


def upgrades_for(user: User | None) -> QuerySet[Upgrade]:
    """Staff all (a technician their own), a customer contact their company's."""
    qs = Upgrade.objects.select_related("equipment__product_model", "customer", "technician")
    return _scoped(qs, user, "maintenance.view_upgrade", "technician")
