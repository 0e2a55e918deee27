"""Who sees which plans and inspections."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.maintenance.models import Inspection, MaintenancePlan, PlannedVisit
from aftersales.service.selectors import _only_own_orders


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
    if user is None or not user.has_perm("maintenance.view_inspection"):
        return qs.none()
    if user.is_superuser:
        return qs
    if user.is_external:
        scope = user.customer_id_scope
        return qs.filter(customer_id=scope) if scope else qs.none()
    if _only_own_orders(user):
        return qs.filter(technician=user)
    return qs


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
