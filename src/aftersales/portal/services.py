"""What a customer contact does in the portal, each step through the services the
staff's pages use (so the limits, numbers and history are the same)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.base import File
from django.db import transaction

from aftersales.accounts.models import User
from aftersales.common import attachments
from aftersales.complaints.models import Complaint
from aftersales.complaints.services import complaint_register
from aftersales.customers.models import Customer, Equipment
from aftersales.service.models import ServiceRequest
from aftersales.service.service_requests import service_request_create


def _their_customer(actor: User) -> Customer:
    return Customer.objects.get(pk=actor.customer_id_scope or 0)


@transaction.atomic
def portal_report(
    *,
    actor: User,
    equipment: Equipment | None,
    severity: str,
    description: str,
    caller_name: str,
    caller_phone: str,
    photos: Iterable[File] = (),
) -> ServiceRequest:
    """报修 from the portal: a request on the web channel, now, with its photos."""
    request = service_request_create(
        actor=actor,
        customer=_their_customer(actor),
        channel="web",
        severity=severity,
        caller_name=caller_name,
        caller_phone=caller_phone,
        description=description,
        serial_number=equipment.serial_number if equipment else "",
    )
    for photo in photos:
        attachments.attach(actor=actor, about=request, upload=photo)
    return request


@transaction.atomic
def qr_report(
    *,
    unit: Equipment,
    caller_name: str,
    caller_phone: str,
    description: str,
    photos: Iterable[File] = (),
) -> ServiceRequest:
    """A report through the unit's QR code: the normal intake on the ``qr`` channel, for
    the unit's customer, a minor fault until the hotline hears more (its limits start)."""
    request = service_request_create(
        actor=None,
        customer=unit.customer,
        channel="qr",
        severity="P3",
        caller_name=caller_name,
        caller_phone=caller_phone,
        description=description,
        serial_number=unit.serial_number,
    )
    for photo in photos:
        attachments.attach(actor=None, about=request, upload=photo)
    return request


@transaction.atomic
def portal_complaint(*, actor: User, **fields: Any) -> Complaint:
    """A complaint filed by the customer contact themselves, on the web channel."""
    return complaint_register(actor=actor, customer=_their_customer(actor), channel="web", **fields)
