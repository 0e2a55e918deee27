"""Reads of complaints, scoped to who may see them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.exceptions import ConflictError, ValidationError
from aftersales.complaints.models import Complaint, CorrectiveAction
from aftersales.service.selectors import SEE_ALL


def complaints_for(user: User | None) -> QuerySet[Complaint]:
    """Staff see every complaint; a technician those handed to them or with an action of
    theirs; a customer contact their company's."""
    qs = Complaint.objects.select_related("customer", "responsible", "target_person")
    if user is None or not user.has_perm("complaints.view_complaint"):
        return qs.none()
    if user.is_external:
        scope = user.customer_id_scope
        return qs.filter(customer_id=scope) if scope else qs.none()
    if not _sees_only_own(user):
        return qs
    return qs.filter(Q(responsible=user) | Q(actions__owner=user)).distinct()


def _sees_only_own(user: User) -> bool:
    return not (user.is_superuser or user.has_role(*SEE_ALL)) and user.has_role(Role.TECHNICIAN)


def handled_complaints(user: User) -> QuerySet[Complaint] | None:
    """For the time-limit monitor: a technician's complaints, less any naming them (they
    take no part in handling those, R-CP-5); None for staff who see every complaint."""
    return complaints_for(user).exclude(target_person=user) if _sees_only_own(user) else None


def handled_actions(user: User) -> QuerySet[CorrectiveAction] | None:
    """A technician's own corrective actions and those of the complaints they handle."""
    complaints = handled_complaints(user)
    if complaints is None:
        return None
    return CorrectiveAction.objects.filter(Q(owner=user) | Q(complaint__in=complaints))


def get_complaint_for_user(user: User | None, pk: Any) -> Complaint:
    return get_object_or_404(complaints_for(user), pk=pk)


def check_not_named(complaint: Complaint, person: User, field: str) -> None:
    """回避 (R-CP-5): the person a complaint names does not handle it, in any step."""
    if complaint.target_person_id == person.pk:
        raise ValidationError(
            {
                field: _("%(person)s is named in this complaint and cannot handle it (回避).")
                % {"person": person}
            }
        )


def check_may_attach(user: User | None, complaint: Complaint) -> None:
    """Staff handling complaints add photos and documents until it is closed or declined."""
    if user is None or not user.has_perm("complaints.change_complaint"):
        raise PermissionDenied
    if not complaints_for(user).filter(pk=complaint.pk).exists():
        raise Http404
    check_not_named(complaint, user, "file")
    if complaint.status in (Complaint.Status.CLOSED, Complaint.Status.DECLINED):
        raise ConflictError(
            _("%(number)s is %(status)s; nothing more can be recorded on it.")
            % {"number": complaint.number, "status": complaint.get_status_display()}
        )
