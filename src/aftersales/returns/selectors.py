"""Who sees which returns and exchanges."""

from __future__ import annotations

from django.db.models import QuerySet

from aftersales.accounts.models import User
from aftersales.returns.models import ReturnRequest


def returns_for(user: User | None) -> QuerySet[ReturnRequest]:
    """Returns and exchanges: staff all, a customer contact their company's."""
    qs = ReturnRequest.objects.select_related("customer", "equipment")
    if user is None or not user.has_perm("returns.view_returnrequest"):
        return qs.none()
    if user.is_external:
        scope = user.customer_id_scope
        return qs.filter(customer_id=scope) if scope else qs.none()
    return qs
