"""The same fault again: repeat repairs (R-SR-8) and 三包 replacement (R-SR-7).

The fault found at diagnosis is compared with the unit's earlier requests: the
same fault within SR.REPEAT (90 days) is a repeat repair, and the fourth failure
of the same fault in warranty proposes a replacement of the same brand and model.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.common.audit import save_audited
from aftersales.customers.models import FaultCode
from aftersales.customers.warranty import WarrantyStatus
from aftersales.obligations import services as obligations
from aftersales.service.models import ServiceRequest
from aftersales.service.service_requests import Status, locked

REPLACE_AFTER = 3  # repaired this many times in warranty, the next failure proposes a new unit


@transaction.atomic
def service_request_set_fault(
    *, actor: User, request: ServiceRequest, fault_code: FaultCode
) -> ServiceRequest:
    """The fault found at diagnosis; flags a repeat repair (R-SR-8) and proposes a
    replacement on the fourth failure in warranty (R-SR-7)."""
    request = locked(request)
    if request.equipment is None:
        raise ValidationError({"fault_code": _("The request names no equipment.")})
    if fault_code.product_model_id != request.equipment.product_model_id:
        raise ValidationError({"fault_code": _("This fault code is for another product model.")})
    request.fault_code = fault_code
    same = ServiceRequest.objects.filter(
        equipment=request.equipment, fault_code=fault_code, received_at__lt=request.received_at
    ).exclude(pk=request.pk)
    window = obligations.policy_duration("SR.REPEAT")
    if window is not None:
        request.is_repeat = same.filter(received_at__gte=request.received_at - window).exists()
    repaired_in_warranty = same.filter(
        warranty_status=WarrantyStatus.IN_WARRANTY,
        status__in=[Status.RESOLVED, Status.CLOSED],
    ).count()
    request.replacement_proposed = (
        request.warranty_status == WarrantyStatus.IN_WARRANTY
        and repaired_in_warranty >= REPLACE_AFTER
    )
    save_audited(request, actor=actor, reason=f"fault {fault_code.code}")
    return request
