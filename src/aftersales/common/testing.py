"""Factories and helpers for the tests: records are made through the services,
so tests exercise the same code paths as the pages and the API."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from aftersales.accounts import services as accounts
from aftersales.accounts.models import User
from aftersales.customers import services as customers
from aftersales.customers.models import Contact, Customer, Equipment, ProductModel

PASSWORD = "test-pass-9731"
_seq = itertools.count(1)


def make_user(username: str | None = None, *roles: str, **fields: Any) -> User:
    return accounts.user_create(
        actor=None,
        username=username or f"user{next(_seq)}",
        password=PASSWORD,
        roles=roles,
        **fields,
    )


def make_customer(name: str | None = None, **fields: Any) -> Customer:
    return customers.customer_create(actor=None, name=name or f"测试客户{next(_seq)}", **fields)


def make_product_model(code: str | None = None, **fields: Any) -> ProductModel:
    code = code or f"PM-{next(_seq)}"
    existing = ProductModel.objects.filter(code=code).first()
    return existing or customers.product_model_create(actor=None, code=code, **fields)


def make_equipment(
    customer: Customer | None = None,
    *,
    serial_number: str | None = None,
    accepted_on: dt.date | None = dt.date(2026, 1, 1),
    warranty_months: int = 12,
    **fields: Any,
) -> Equipment:
    return customers.equipment_create(
        actor=None,
        serial_number=serial_number or f"SN{next(_seq):08d}",
        customer=customer or make_customer(),
        product_model=fields.pop("product_model", None) or make_product_model("HX-TEST"),
        accepted_on=accepted_on,
        warranty_months=warranty_months,
        **fields,
    )


def make_portal_user(customer: Customer, username: str | None = None) -> User:
    """A customer contact with a portal account of ``customer``."""
    user = make_user(username, "customer")
    contact = customers.contact_create(actor=None, customer=customer, name=f"联系人{user.pk}")
    customers.contact_update(actor=None, contact=contact, user=user)
    return Contact.objects.get(pk=contact.pk).user  # type: ignore[return-value]


def count_queries(client: Any, url: str) -> int:
    """SQL queries one GET of ``url`` takes (after a warm-up request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert len(captured) > 0, "no queries captured: the count would prove nothing"
    return len(captured)


def make_part(code: str | None = None, **fields: Any) -> Any:
    """A spare-part item in the catalogue (counted in whole units unless told)."""
    code = code or f"P-{next(_seq)}"
    name = fields.pop("name", f"配件{code}")
    return customers.part_item_create(actor=None, code=code, name=name, **fields)


def make_location(code: str, kind: str = "depot", holder: User | None = None) -> Any:
    from aftersales.parts.services import location_create

    return location_create(actor=None, code=code, name=code, kind=kind, holder=holder)


def make_request(customer: Customer, *, actor: User | None = None, **fields: Any) -> Any:
    """A service request through the intake service (a P3 phone call unless told)."""
    from aftersales.service.services import service_request_create

    values = {
        "channel": "phone",
        "severity": "P3",
        "caller_name": "刘建国",
        "caller_phone": "13812345678",
        "description": "设备故障",
        **fields,
    }
    return service_request_create(actor=actor, customer=customer, **values)


def finish_visit(
    order: Any, *, signature: str = "", signed_by: str = "刘建国", **record: Any
) -> Any:
    """The technician's whole visit through the services: arrive, record (a fixed
    hardware fault unless told), the customer signs, complete."""
    from aftersales.service import services

    technician = order.technician
    services.work_order_arrive(actor=technician, work_order=order)
    services.work_order_record(
        actor=technician,
        work_order=order,
        **{"work_done": "更换电源模块", "diagnosis": "hardware", "result": "fixed", **record},
    )
    services.work_order_sign(
        actor=technician,
        work_order=order,
        signature=signature or SIGNATURE,
        signed_by=signed_by,
    )
    return services.work_order_complete(actor=technician, work_order=order)


# A one-pixel PNG as the pad sends it: the smallest valid drawn signature.
SIGNATURE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAC"
    "hwGA60e6kgAAAABJRU5ErkJggg=="
)


def poppler(tool: str, content: bytes, *args: str) -> bytes:
    """Run a poppler tool (pdftotext, pdffonts, pdfimages…) on PDF bytes, from a file
    since some tools seek, and return what it prints."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        command = [tool, *args, file.name] + (["-"] if tool == "pdftotext" else [])
        return subprocess.run(command, capture_output=True, check=True).stdout


def close_request(request: Any, actor: User) -> Any:
    """Resolve the request and close it on the caller's confirmation by phone."""
    from aftersales.service import services

    services.service_request_resolve(actor=actor, request=request, resolution="已修复")
    return services.service_request_close(
        actor=actor, request=request, confirmed_by=request.caller_name, confirmed_via="phone"
    )
