"""A technician who leaves (R-WO-6): open orders are handed over, with the time limits
they were responsible for, and no account is deactivated while it holds any."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError
from aftersales.obligations import services as obligations
from aftersales.service.models import WorkOrder
from aftersales.service.work_orders import check_technician


def open_orders_of(technician: User) -> list[WorkOrder]:
    return list(WorkOrder.objects.filter(technician=technician, status=WorkOrder.Status.OPEN))


def open_orders_message(user: User, orders: list[WorkOrder]) -> str:
    return _("%(user)s still holds open work orders (%(numbers)s): hand them over first.") % {
        "user": user,
        "numbers": ", ".join(o.number for o in orders[:10]),
    }


def _check_manager(actor: User, field: str) -> None:
    if not (actor.is_superuser or actor.has_role(Role.SERVICE_MANAGER)):
        raise ValidationError({field: _("The service manager hands work over.")})


@transaction.atomic
def work_orders_hand_over(*, actor: User, from_user: User, to_user: User) -> int:
    """Give every open order of one technician to another (before they leave)."""
    _check_manager(actor, "to_user")
    check_technician(to_user)
    if from_user.pk == to_user.pk:
        raise ValidationError({"to_user": _("Choose another technician.")})
    moved = 0
    for order in (
        WorkOrder.objects.select_for_update()
        .filter(technician=from_user, status=WorkOrder.Status.OPEN)
        .select_related("service_request")
    ):
        order.technician = to_user
        save_audited(order, actor=actor, reason=f"handed over from {from_user.username}")
        obligations.obligations_reassign(
            actor=actor, target=order.service_request, from_user=from_user, to_user=to_user
        )
        moved += 1
    return moved


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Deactivate an account; refused while it still holds open work orders (R-WO-6)."""
    _check_manager(actor, "deactivate")
    if user.pk == actor.pk:
        raise ValidationError({"deactivate": _("You cannot deactivate your own account.")})
    orders = open_orders_of(user)
    if orders:
        raise ConflictError(open_orders_message(user, orders))
    user.is_active = False
    save_audited(user, actor=actor, reason="deactivated")
    return user
