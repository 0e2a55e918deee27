from __future__ import annotations

from django.db.models import QuerySet

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role


def users_with_role(role: str) -> QuerySet[User]:
    return User.objects.filter(groups__name=role, is_active=True).order_by("full_name", "username")


def technicians() -> QuerySet[User]:
    return users_with_role(Role.TECHNICIAN)


def can_view_audit(user: User) -> bool:
    return bool(user.is_authenticated and user.has_perm("accounts.view_audit_trail"))
