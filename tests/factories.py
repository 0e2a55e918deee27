"""Factories and helpers for the tests (factory_boy). Records are made through the
services, so tests exercise the same code paths as the pages and the API; each
factory's ``_create`` calls the service instead of saving the model itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import factory

from aftersales.accounts import services as accounts
from aftersales.accounts.models import User
from aftersales.customers import services as customers
from aftersales.customers.models import Contact, Customer, Equipment, PartItem, ProductModel

PASSWORD = "test-pass-9731"


class ServiceFactory(factory.Factory):
    """A factory whose records are created by its ``create`` service, with no actor."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        return cls.create_with(**kwargs)

    @classmethod
    def create_with(cls, **kwargs: Any) -> Any:
        raise NotImplementedError


class UserFactory(ServiceFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = PASSWORD
    roles: Any = ()

    @classmethod
    def create_with(cls, **kwargs: Any) -> User:
        return accounts.user_create(actor=None, **kwargs)


class CustomerFactory(ServiceFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"测试客户{n}")

    @classmethod
    def create_with(cls, **kwargs: Any) -> Customer:
        return customers.customer_create(actor=None, **kwargs)


class ProductModelFactory(ServiceFactory):
    class Meta:
        model = ProductModel

    code = factory.Sequence(lambda n: f"PM-{n}")

    @classmethod
    def create_with(cls, **kwargs: Any) -> ProductModel:
        existing = ProductModel.objects.filter(code=kwargs["code"]).first()
        return existing or customers.product_model_create(actor=None, **kwargs)


class EquipmentFactory(ServiceFactory):
    class Meta:
        model = Equipment

    serial_number = factory.Sequence(lambda n: f"SN{n:08d}")
    customer = factory.SubFactory(CustomerFactory)
    product_model = factory.SubFactory(ProductModelFactory, code="HX-TEST")
    accepted_on = dt.date(2026, 1, 1)
    warranty_months = 12

    @classmethod
    def create_with(cls, **kwargs: Any) -> Equipment:
        return customers.equipment_create(actor=None, **kwargs)


class PartItemFactory(ServiceFactory):
    class Meta:
        model = PartItem

    code = factory.Sequence(lambda n: f"P-{n}")
    name = factory.LazyAttribute(lambda item: f"配件{item.code}")

    @classmethod
    def create_with(cls, **kwargs: Any) -> PartItem:
        return customers.part_item_create(actor=None, **kwargs)


def make_user(username: str | None = None, *roles: str, **fields: Any) -> User:
    """A user with these roles (none: a user with no role at all)."""
    if username:
        fields["username"] = username
    return UserFactory(roles=roles, **fields)


def make_customer(name: str | None = None, **fields: Any) -> Customer:
    return CustomerFactory(**({"name": name} if name else {}), **fields)


def make_product_model(code: str | None = None, **fields: Any) -> ProductModel:
    return ProductModelFactory(**({"code": code} if code else {}), **fields)


def make_equipment(customer: Customer | None = None, **fields: Any) -> Equipment:
    if customer is not None:
        fields["customer"] = customer
    if fields.get("serial_number") is None:
        fields.pop("serial_number", None)
    if fields.get("product_model") is None:
        fields.pop("product_model", None)
    return EquipmentFactory(**fields)


def make_part(code: str | None = None, **fields: Any) -> Any:
    """A spare-part item in the catalogue (counted in whole units unless told)."""
    return PartItemFactory(**({"code": code} if code else {}), **fields)


def make_portal_user(customer: Customer, username: str | None = None) -> User:
    """A customer contact with a portal account of ``customer``."""
    user = make_user(username, "customer")
    contact = customers.contact_create(actor=None, customer=customer, name=f"联系人{user.pk}")
    customers.contact_update(actor=None, contact=contact, user=user)
    return Contact.objects.get(pk=contact.pk).user  # type: ignore[return-value]


def make_location(code: str, kind: str = "depot", holder: User | None = None) -> Any:
    from aftersales.parts.services import location_create

    return location_create(actor=None, code=code, name=code, kind=kind, holder=holder)


def count_queries(client: Any, url: str) -> int:
    """SQL queries one GET of ``url`` takes (after a warm-up request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert len(captured) > 0, "no queries captured: the count would prove nothing"
    return len(captured)


def make_request(customer: Customer, *, actor: User | None = None, **fields: Any) -> Any:
    """A service request through the intake service (a P3 phone call unless told)."""
    from aftersales.service.service_requests import service_request_create

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
    hardware fault unless told), the customer and the technician sign, complete."""
    from aftersales.service import work_orders

    technician = order.technician
    work_orders.work_order_arrive(actor=technician, work_order=order)
    work_orders.work_order_record(
        actor=technician,
        work_order=order,
        **{"work_done": "更换电源模块", "diagnosis": "hardware", "result": "fixed", **record},
    )
    work_orders.work_order_sign(
        actor=technician,
        work_order=order,
        signature=signature or SIGNATURE,
        signed_by=signed_by,
    )
    work_orders.work_order_sign(
        actor=technician, work_order=order, signature=SIGNATURE, signer="technician"
    )
    return work_orders.work_order_complete(actor=technician, work_order=order)


# A one-pixel PNG as the pad sends it: the smallest valid drawn signature.
def drawn_signature(width: int = 240, height: int = 90) -> str:
    """A PNG data URL of a scribble on a transparent pad, as the signature pad sends."""
    import base64
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).line(
        [(10, height - 20), (width // 3, 15), (width // 2, height - 15), (width - 10, 20)],
        fill=(0, 0, 0, 255),
        width=3,
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


SIGNATURE = drawn_signature()


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


def committed() -> Any:
    """Run what the block queues for after commit (messages, the visit and survey after a
    closed service) as a real commit would, at the block's end. A test inside the
    rolled-back test transaction otherwise never sees them."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def close_request(request: Any, actor: User) -> Any:
    """Resolve the request and close it on the caller's confirmation by phone; what the
    close queues after commit (the return visit, the survey) runs too."""
    from aftersales.service import service_requests

    service_requests.service_request_resolve(actor=actor, request=request, resolution="已修复")
    with committed():
        return service_requests.service_request_close(
            actor=actor, request=request, confirmed_by=request.caller_name, confirmed_via="phone"
        )


@contextmanager
def refused(*fields: str, conflict: str = "") -> Iterator[None]:
    """The block is refused by a rule: a ValidationError naming each of ``fields`` (or a
    form-wide error when none is given), or, with ``conflict``, a ConflictError (409)
    whose message contains that text. Anything else, or nothing, fails the test."""
    from django.core.exceptions import ValidationError

    from aftersales.common.exceptions import ConflictError

    expected: type[Exception] = ConflictError if conflict else ValidationError
    try:
        yield
    except expected as error:
        if conflict:
            assert conflict in error.message, error.message  # type: ignore[attr-defined]
        else:
            named = set(getattr(error, "error_dict", {}) or {"__all__": None})
            assert set(fields or {"__all__"}) <= named, f"refused on {sorted(named)}"
    else:
        raise AssertionError(f"not refused: expected {expected.__name__}")


def make_complaint(users: Any, customer: Customer | None, **fields: Any) -> Any:
    """A complaint registered by the agent through the service (a product complaint by
    phone from 王女士 unless told)."""
    from aftersales.complaints import services

    values = {
        "complainant_name": "王女士",
        "complainant_phone": "13912345678",
        "category": "product_quality",
        "channel": "phone",
        "demand": "更换",
        "description": "外壳开裂",
        **fields,
    }
    return services.complaint_register(actor=users.agent, customer=customer, **values)


def make_upheld_complaint(users: Any, customer: Customer, finding: str = "属实") -> Any:
    """A complaint taken through the services to an approved upheld decision: contacted,
    handed to quality, its finding recorded, decided, approved by the service manager."""
    from aftersales.complaints import decisions, services

    made = make_complaint(
        users,
        customer,
        complainant_name="赵先生",
        complainant_phone="13822223333",
        category="installation_quality",
        demand="返工",
        description="布线不规范导致信号干扰",
    )
    services.complaint_transfer(actor=users.manager, complaint=made, responsible=users.quality)
    services.complaint_contact(actor=users.quality, complaint=made, note="已致电")
    services.complaint_record(actor=users.quality, complaint=made, kind="finding", text=finding)
    decisions.complaint_decide(actor=users.quality, complaint=made, decision="upheld", text="属实")
    decisions.complaint_approve(actor=users.manager, complaint=made)
    return made
