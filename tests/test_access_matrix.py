"""The access matrix, generated from the routes (issue 14): every page pattern and every
API route that takes a record id is tried as customer_a against company B's records, with
every method, and must answer 403, 404 or 405 — never B's data; every page and API list
is opened as each role and as a customer, and answers without a server error.

Rules: R-ORG-3 (a customer sees only their company's records), the system's rule 8."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from aftersales.common import attachments
from aftersales.common.tests.test_attachments import png
from aftersales.depot import services as depot
from aftersales.feedback.models import Visit
from aftersales.returns import services as returns
from aftersales.service import work_orders
from tests import factories

# Which record of company B an id in each route stands for (by the route's first part).
# The same route names on pages and in the API (the depot's batches differ).
_SHARED = {
    "customers": "customer",
    "equipment": "equipment",
    "service-requests": "request",
    "work-orders": "order",
    "complaints": "complaint",
    "visits": "visit",
    "returns": "return",
    "attachments": "attachment",
}
PAGE_RECORDS = {
    **_SHARED,
    "depot": "batch",
    "parts/lend-for-request": "request",
    "portal/requests": "request",
    "qr-labels": "customer",
    "maintenance/plans": "plan",
    "maintenance/inspections": "inspection",
    "maintenance/installations": "installation",
    "maintenance/training": "training",
    "maintenance/upgrades": "upgrade",
    "sales/orders": "sale",
}
API_RECORDS = {
    **_SHARED,
    "repair-batches": "batch",
    "maintenance-plans": "plan",
    "inspections": "inspection",
    "installations": "installation",
    "training-sessions": "training",
    "sales-orders": "sale",
}
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def b_records(users, company_b):
    """One record of each kind, company B's, made through the services."""
    customer = company_b.customer
    request = factories.make_request(customer, actor=users.agent, description="乙公司的故障")
    order = work_orders.work_order_create(
        actor=users.manager, service_request=request, technician=users.tech
    )
    closed = factories.make_request(customer, actor=users.agent, description="乙公司已修好")
    factories.close_request(closed, users.agent)
    complaint = factories.make_complaint(
        users, customer, complainant_name="乙先生", description="乙公司的投诉"
    )
    attachment = attachments.attach(
        actor=users.agent, about=complaint, upload=SimpleUploadedFile("b.png", png())
    )
    returned = returns.return_request_create(
        actor=users.agent,
        customer=customer,
        equipment=company_b.equipment,
        kind="exchange",
        purchased_on=dt.date.today() - dt.timedelta(days=3),
        problem="乙公司的退换货",
        caused_by_misuse=False,
        proof_checked=True,
        packaging_intact=True,
    )
    batch = depot.repair_batch_receive(
        actor=users.agent, customer=customer, units=[{"serial_number": "BB-1", "fault": "坏"}]
    )
    plan, inspection, installation, session, upgrade = _maintenance(users, company_b)
    from aftersales.sales.services import sales_order_create

    sale = sales_order_create(
        actor=users.sales,
        number="XS-乙-0001",
        customer=customer,
        ordered_on=dt.date.today(),
        lines=[{"item": "乙公司的配件", "quantity": 1}],
    )
    return {
        "sale": sale.pk,
        "upgrade": upgrade.pk,
        "plan": plan.pk,
        "inspection": inspection.pk,
        "installation": installation.pk,
        "training": session.pk,
        "customer": customer.pk,
        "equipment": company_b.equipment.pk,
        "request": request.pk,
        "order": order.pk,
        "complaint": complaint.pk,
        "visit": Visit.objects.get(service_request=closed).pk,
        "return": returned.pk,
        "batch": batch.pk,
        "attachment": attachment.pk,
        "words": [
            request.number,
            order.number,
            complaint.number,
            returned.number,
            batch.number,
            inspection.number,
            installation.number,
            session.number,
            upgrade.number,
            sale.number,
            "乙公司的故障",
            "乙先生",
        ],
    }


def _maintenance(users, company_b):
    from aftersales.maintenance import inspections, plans
    from aftersales.maintenance.tests.helpers import make_checklist, make_contract

    make_checklist(users.manager)
    contract = make_contract(company_b.equipment)
    quarter = plans.Quarter.of(dt.date.today())
    plan = plans.maintenance_plan_generate(actor=users.manager, contract=contract, quarter=quarter)
    from aftersales.maintenance import installations, training

    made = inspections.inspection_start(actor=users.tech, equipment=company_b.equipment)
    installation = installations.installation_plan(
        actor=users.manager,
        equipment=factories.make_equipment(
            company_b.customer, serial_number="BB-NEW", accepted_on=None
        ),
        installer=users.tech,
        planned_on=dt.date.today(),
        contact_name="乙工",
        contact_phone="13900000000",
    )
    session = training.training_plan(
        actor=users.manager,
        customer=company_b.customer,
        year=dt.date.today().year + 1,  # a whole year ahead: every session to come
        topic="乙公司的培训",
        times=1,
    )[0]
    from aftersales.maintenance import upgrades

    upgrade = upgrades.upgrade_record(
        actor=users.tech,
        equipment=company_b.equipment,
        software="乙固件",
        from_version="1",
        to_version="2",
        changes="乙公司的升级",
    )
    return plan, made, installation, session, upgrade


def _page_routes() -> list[str]:
    """Every page pattern (not the admin's, not the API's) as a route string."""

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return [r for r in walk(get_resolver()) if not r.startswith(("admin/", "api/", "^", "static"))]


def _fill(route: str, pk: int) -> str:
    """A route with B's id for its ``<int:pk>`` and a word for its other parts."""
    url = route.replace("<int:pk>", str(pk))
    return "/" + re.sub(r"<(?:slug|str|path):\w+>", "x", url)


def _leaks(body: str, words: list[str]) -> list[str]:
    return [w for w in words if w in body]


def test_a_customer_meets_no_page_of_another_company(client, company_a, b_records):
    client.force_login(company_a.user)
    tried = 0
    for route in _page_routes():
        first = route.split("/<int:pk>")[0]
        if "<int:pk>" not in route or first not in PAGE_RECORDS:
            continue
        url = _fill(route, b_records[PAGE_RECORDS[first]])
        for method in ("get", "post"):
            answer = getattr(client, method)(url)
            tried += 1
            body = (
                answer.content.decode(errors="replace")
                if answer.get("Content-Type", "").startswith("text")
                else ""
            )
            assert answer.status_code in (403, 404, 405), (method, url, answer.status_code)
            assert _leaks(body, b_records["words"]) == [], (method, url)
    assert tried >= 40


def test_a_customer_meets_no_api_record_of_another_company(api, company_a, b_records):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    client = api(company_a.user)
    tried = 0
    for path, operations in paths.items():
        match = re.match(r"^/api/v1/([a-z-]+)/\{id\}/", path)
        if not match or match.group(1) not in API_RECORDS:
            continue
        url = path.replace("{id}", str(b_records[API_RECORDS[match.group(1)]]))
        for method in METHODS:
            if method not in operations:
                continue
            answer = getattr(client, method)(url, {}, format="json")
            tried += 1
            assert answer.status_code in (403, 404, 405), (method, url, answer.status_code)
            assert _leaks(answer.content.decode(errors="replace"), b_records["words"]) == []
    assert tried >= 60


@pytest.mark.parametrize(
    "who",
    [
        "agent",
        "tech",
        "manager",
        "sales",
        "techdept",
        "quality",
        "warehouse",
        "finance",
        "vp",
        "gm",
        "nobody",
        "customer_a",
    ],
)
def test_every_page_and_api_list_answers_every_role_without_a_server_error(
    client, api, users, company_a, b_records, who
):
    user = company_a.user if who == "customer_a" else getattr(users, who)
    client.force_login(user)
    for route in _page_routes():
        if "<" in route or route.startswith(("accounts/logout", "s/")):
            continue
        answer = client.get("/" + route)
        assert answer.status_code < 500, (who, route)
        if who == "customer_a" and answer.status_code == 200:
            body = answer.content.decode(errors="replace")
            assert _leaks(body, b_records["words"]) == [], route
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path, operations in paths.items():
        if "{" in path or "get" not in operations:
            continue
        answer = api(user).get(path)
        assert answer.status_code < 500, (who, path)
        if who == "customer_a" and answer.status_code == 200:
            assert _leaks(answer.content.decode(errors="replace"), b_records["words"]) == [], path
