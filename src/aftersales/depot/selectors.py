"""Who sees which depot repair batches."""

from __future__ import annotations

from django.db.models import QuerySet

from aftersales.accounts.models import User
from aftersales.depot.models import RepairBatch


def repair_batches_for(user: User | None) -> QuerySet[RepairBatch]:
    """Depot repair batches: staff all of them, a customer contact their company's."""
    qs = RepairBatch.objects.select_related("customer", "service_request")
    if user is None or not user.has_perm("depot.view_repairbatch"):
        return qs.none()
    if user.is_external:
        scope = user.customer_id_scope
        return qs.filter(customer_id=scope) if scope else qs.none()
    return qs
