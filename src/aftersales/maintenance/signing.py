"""Signing a form by both sides (双方签字, R-RP-2): each side once, the customer with
their name, the staff side only by the person the form names; a digest of exactly
what was signed is kept with each signature, so a later change shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.common.exceptions import ConflictError
from aftersales.common.signatures import check_signature, digest
from aftersales.common.validation import CONTROL
from aftersales.maintenance.models import SignedByBoth

Content = Callable[[Any], dict[str, Any]]


def sign(
    record: SignedByBoth,
    *,
    actor: User,
    signer: str,
    signature: str,
    signed_by: str,
    staff_id: int | None,
    content: Content,
) -> None:
    """Set one side's signature on ``record`` (not saved): 409 when that side signed
    already; 400 for a blank pad, a missing name, or a staff member not the form's."""
    check_signature(signature)
    now = timezone.now()
    if signer == "technician":
        if record.technician_signature:
            raise ConflictError(_("The technician has already signed."))
        if actor.pk != staff_id:
            raise ValidationError(
                {"signer": _("Only the person named on the form signs for our side.")}
            )
        record.technician_signature, record.technician_signed_at = signature, now
        record.technician_signature_digest = digest(content(record), signature)
    elif signer == "customer":
        if record.customer_signature:
            raise ConflictError(_("The customer has already signed."))
        if not signed_by.strip() or CONTROL.search(signed_by):
            raise ValidationError({"signed_by": _("Who signed?")})
        record.customer_signed_by = signed_by.strip()[:50]
        record.customer_signature, record.customer_signed_at = signature, now
        record.customer_signature_digest = digest(content(record), signature)
    else:
        raise ValidationError({"signer": _("Choose who signs.")})


def changed_since_signed(record: SignedByBoth, content: Content) -> list[str]:
    """Whose signature no longer matches the record ("customer", "technician")."""
    now = content(record)
    return [
        who
        for who, image, kept in (
            ("customer", record.customer_signature, record.customer_signature_digest),
            ("technician", record.technician_signature, record.technician_signature_digest),
        )
        if image and kept and digest(now, image) != kept
    ]
