"""Writes to people and departments, each with an actor and an audit row."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

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
    *, actor: User, user: User, email: str, phone: str, daily_digest: bool = False
) -> User:
    """The user's own e-mail (where password reset links go), phone, and whether their
    messages come as one e-mail each morning."""
    user.email = email.strip()
    user.phone = phone.strip()
    user.daily_digest = daily_digest
    save_audited(user, actor=actor, reason="contact details changed")
    return user
