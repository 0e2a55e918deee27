"""Writes to people and departments, each with an actor and an audit row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.accounts.models import Department, User
from aftersales.accounts.roles import Role
from aftersales.common.audit import save_audited


@transaction.atomic
def department_create(
    *, actor: User | None, code: str, name: str, head: User | None = None
) -> Department:
    department = Department(code=code, name=name, head=head)
    save_audited(department, actor=actor, reason="created")
    return department


@transaction.atomic
def department_set_head(
    *, actor: User | None, department: Department, head: User | None
) -> Department:
    department.head = head
    save_audited(department, actor=actor, reason="head changed")
    return department


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    department: Department | None = None,
    roles: Iterable[str] = (),
    is_superuser: bool = False,
    region: str = "",
    skills: str = "",
) -> User:
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        department=department,
        region=region,
        skills=skills,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.set_password(password)
    save_audited(user, actor=actor, reason="created")
    user_set_roles(actor=actor, user=user, roles=roles)
    return user


@transaction.atomic
def user_set_roles(*, actor: User | None, user: User, roles: Iterable[str]) -> None:
    codes = {Role(code).value for code in roles}
    groups = list(Group.objects.filter(name__in=codes))
    user.groups.set(groups)
    user.__dict__.pop("role_codes", None)  # the cached roles are stale now
    # Group membership is not a column; a saved history row names the new roles.
    save_audited(user, actor=actor, reason="roles: " + ",".join(sorted(codes)))


@transaction.atomic
def user_set_contact_details(
    *,
    actor: User,
    user: User,
    email: str,
    phone: str,
    daily_digest: bool = False,
    sms_alerts: bool = False,
    quiet_from: Any = None,
    quiet_until: Any = None,
) -> User:
    """The user's own e-mail (where password reset links go), phone, whether their
    messages come as one e-mail each morning, urgent ones also by SMS, and their
    quiet hours (both ends, or neither)."""
    from django.core.exceptions import ValidationError

    if (quiet_from is None) != (quiet_until is None) or (quiet_from and quiet_from == quiet_until):
        raise ValidationError({"quiet_until": _("Give when quiet hours start and when they end.")})
    if sms_alerts and not phone.strip():
        raise ValidationError({"phone": _("Give a mobile number for SMS alerts.")})
    user.email = email.strip()
    user.phone = phone.strip()
    user.daily_digest = daily_digest
    user.sms_alerts = sms_alerts
    user.quiet_from, user.quiet_until = quiet_from, quiet_until
    save_audited(user, actor=actor, reason="contact details changed")
    return user
