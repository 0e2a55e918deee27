"""Bad input gets a clear 400, 404 or 409 and changes nothing — never a 500, and no single
request makes the server unroll millennia of calendar (issue 14 items 3 and 4).

Rules: R-SR-1 (intake), R-CP-7 (an external body's due date), R-SP-5 (tool kits); the
system's rule 7 (every date, number and size bounded)."""

import json

import pytest

from aftersales.complaints.models import Complaint
from aftersales.customers.models import Equipment
from aftersales.obligations.models import Obligation
from aftersales.parts import toolkits
from tests import factories

FAR = ["0001-01-01T00:00:00+08:00", "0003-01-01T00:00:00Z", "9999-12-31T23:59:00+08:00"]


def _json(client, url, body):
    return client.post(url, data=body, content_type="application/json")


@pytest.mark.parametrize("body", ["[1, 2]", '"asset"', "42", "null"])
def test_a_body_that_is_not_an_object_is_a_400(api, users, body):
    kit = toolkits.tool_kit_create(
        actor=users.warehouse, code="TK-01", holder=users.tech, tools=[("万用表", "GJ-1")]
    )
    meter = kit.tools.get()
    toolkits.tool_lost(actor=users.tech, tool=meter, reason="遗失")
    answer = _json(api(users.warehouse), f"/api/v1/tools/{meter.pk}/replace/", body)
    assert answer.status_code == 400, answer.content
    assert kit.tools.count() == 1


def test_deeply_nested_json_is_a_400(api, users):
    for depth in (50, 100_000):
        body = "[" * depth + "]" * depth
        answer = _json(api(users.manager), "/api/v1/customers/", body)
        assert answer.status_code == 400, depth
        assert "嵌套" in answer.json()["detail"]
    nested = json.dumps({"name": "甲", "region": {"a": {"b": [1]}}})
    assert _json(api(users.manager), "/api/v1/customers/", nested).status_code == 400


@pytest.mark.parametrize("day", ["9999-12-31", "0002-01-01", "1999-12-31", "2101-01-01"])
def test_a_date_outside_2000_to_2100_is_refused_by_the_api(api, users, company_a, day):
    answer = api(users.manager).post(
        "/api/v1/equipment/",
        {
            "serial_number": "FAR-1",
            "customer": company_a.customer.pk,
            "product_model": "DS-7608",
            "accepted_on": day,
            "warranty_months": 12,
        },
        format="json",
    )
    assert answer.status_code == 400 and "2000" in answer.json()["accepted_on"][0]
    assert not Equipment.objects.filter(serial_number="FAR-1").exists()


@pytest.mark.parametrize("start", FAR)
def test_calendar_queries_near_year_1_or_9999_are_400s(api, page, users, start):
    client = api(users.manager)
    deadline = client.get(
        "/api/v1/calendars/standard/deadline/",
        {"start": start, "amount": 8, "unit": "working_hours"},
    )
    assert deadline.status_code == 400, deadline.content
    between = client.get(
        "/api/v1/calendars/standard/working-time/",
        {"start": "0003-01-01T00:00:00Z", "end": "9000-01-01T00:00:00Z"},
    )
    assert between.status_code == 400
    shown = page(users.manager).get(
        "/calendars/calculator/",
        {"calendar": "standard", "start": start[:16], "amount": 8, "unit": "working_hours"},
    )
    assert shown.status_code == 200 and "2000" in shown.content.decode()


def test_a_century_of_working_time_is_counted_within_the_bounds(api, users):
    answer = api(users.manager).get(
        "/api/v1/calendars/standard/working-time/",
        {"start": "2000-01-01T00:00:00+08:00", "end": "2100-12-31T00:00:00+08:00"},
    )
    assert answer.status_code == 200 and answer.json()["working_minutes"] > 0


@pytest.mark.parametrize("day", ["0002-01-01", "9999-12-31", "2100-12-31"])
def test_an_external_due_date_at_the_ends_of_the_range_is_refused(api, page, users, company_a, day):
    complaint = factories.make_upheld_complaint(users, company_a.customer)
    body = {"body": "consumer_association", "reference": "消协 1 号", "due_on": day}
    answer = api(users.manager).post(
        f"/api/v1/complaints/{complaint.pk}/external/", body, format="json"
    )
    assert answer.status_code == 400 and "due_on" in answer.json()
    shown = page(users.manager).post(
        f"/complaints/{complaint.pk}/", {"step": "external", **body}, follow=True
    )
    assert shown.status_code == 200 and "alert-danger" in shown.content.decode()
    complaint.refresh_from_db()
    assert complaint.external_body == ""
    assert not Obligation.objects.filter(rule="CP.EXTERNAL").exists()
    assert Complaint.objects.count() == 1


def test_a_nul_byte_in_a_query_or_a_form_is_a_400(page, api, users):
    agent = page(users.agent)
    # A page's search is asked again without it; a form read raw is refused, saying how.
    again = agent.get("/service-requests/", {"q": "a\x00b"})
    assert again.status_code == 302 and again["Location"] == "/service-requests/?q=ab"
    refused = agent.post("/dispatch/", {"request": "1\x00"})
    assert refused.status_code == 400 and 'id="go-back"' in refused.content.decode()
    answer = api(users.agent).get("/api/v1/service-requests/", {"search": "\x00"})
    assert answer.status_code == 400 and "NUL" in answer.json()["detail"]


def test_a_record_id_that_is_not_a_number_is_not_found(page, users, company_a):
    manager = page(users.manager)
    assert manager.post("/dispatch/", {"request": "abc"}).status_code == 404
    complaint = factories.make_upheld_complaint(users, company_a.customer)
    for field in ("responsible", "owner", "action"):
        step = {"responsible": "transfer", "owner": "action", "action": "action_done"}[field]
        answer = manager.post(f"/complaints/{complaint.pk}/", {"step": step, field: "abc"})
        assert answer.status_code in (302, 404), (field, answer.status_code)


FORMULA = "=cmd|' /C calc'!A0"


def test_typed_text_goes_to_excel_as_text_and_stored_control_characters_do_not_break_it(
    page, users, company_a
):
    """Item 5: a customer-typed formula is text in the staff's export, and a name with a
    control character (stored before the inputs refused them) is written without it."""
    import io

    from openpyxl import load_workbook

    odd = factories.make_customer("坏\x07名字")
    factories.make_request(company_a.customer, description=FORMULA, caller_name="@SUM(A1)")
    factories.make_request(odd, description="正常")
    response = page(users.agent).get("/service-requests/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    typed = next(c for c in cells if c.value == FORMULA)
    assert typed.data_type == "s"  # a string, not a formula
    assert any(c.value == "坏名字" for c in cells)
    assert not any(c.data_type == "f" for c in cells)


def test_control_characters_are_refused_at_input(page, api, users):
    answer = api(users.manager).post("/api/v1/customers/", {"name": "甲\x1b公司"}, format="json")
    assert answer.status_code == 400 and "控制字符" in answer.json()["name"][0]
    shown = page(users.manager).post("/customers/new/", {"name": "甲\x1b公司"})
    assert shown.status_code == 200 and "控制字符" in shown.content.decode()
    from aftersales.customers.models import Customer

    assert not Customer.objects.filter(name__startswith="甲").exists()


def test_a_customer_cannot_learn_whether_another_companys_serial_exists(
    api, users, company_a, company_b
):
    """Item 7: another company's serial and a serial nobody has get the same answer."""
    answers = []
    for serial in (company_b.equipment.serial_number, "NO-SUCH-SERIAL"):
        answer = api(company_a.user).post(
            "/api/v1/service-requests/",
            {
                "customer": company_a.customer.pk,
                "serial_number": serial,
                "channel": "web",
                "severity": "P3",
                "caller_name": "刘",
                "caller_phone": "13812345678",
                "description": "坏了",
            },
            format="json",
        )
        assert answer.status_code == 400
        answers.append(answer.json())
    assert answers[0] == answers[1]


def test_a_retried_create_with_an_idempotency_key_gets_the_first_answer(api, users, company_a):
    """Item 12: a client that retries after a dropped connection creates nothing twice;
    the same key for a different request is a 409; a failed create keeps no key."""
    from aftersales.service.models import ServiceRequest

    body = {
        "customer": company_a.customer.pk,
        "channel": "phone",
        "severity": "P3",
        "caller_name": "刘",
        "caller_phone": "13812345678",
        "description": "录像机无法开机",
    }
    client = api(users.agent)
    key = {"HTTP_IDEMPOTENCY_KEY": "call-2026-12-06-0001"}
    first = client.post("/api/v1/service-requests/", body, format="json", **key)
    again = client.post("/api/v1/service-requests/", body, format="json", **key)
    assert first.status_code == again.status_code == 201
    assert again.json()["number"] == first.json()["number"]
    assert again["Idempotent-Replayed"] == "true"
    assert ServiceRequest.objects.count() == 1
    other = client.post(
        "/api/v1/service-requests/", {**body, "description": "别的"}, format="json", **key
    )
    assert other.status_code == 409 and ServiceRequest.objects.count() == 1
    # Another user's key of the same name is theirs alone.
    theirs = api(users.manager).post("/api/v1/service-requests/", body, format="json", **key)
    assert theirs.status_code == 201 and ServiceRequest.objects.count() == 2
    # A refused create keeps no key: fixed, the retry goes through.
    retry = {"HTTP_IDEMPOTENCY_KEY": "call-0002"}
    bad = client.post(
        "/api/v1/service-requests/", {**body, "severity": "P9"}, format="json", **retry
    )
    assert bad.status_code == 400
    good = client.post("/api/v1/service-requests/", body, format="json", **retry)
    assert good.status_code == 201 and ServiceRequest.objects.count() == 3
    too_long = client.post(
        "/api/v1/service-requests/", body, format="json", HTTP_IDEMPOTENCY_KEY="k" * 101
    )
    assert too_long.status_code == 400 and ServiceRequest.objects.count() == 3


def test_stock_movements_and_complaints_take_an_idempotency_key(api, users, company_a):
    from aftersales.complaints.models import Complaint
    from aftersales.parts.models import Movement

    depot = factories.make_location("DEPOT", "depot")
    part = factories.make_part("PS-200", name="电源模块")
    receipt = {
        "item": part.pk,
        "location": depot.pk,
        "quantity": "5",
        "unit_cost": "120.00",
        "document": "送货单 1",
    }
    key = {"HTTP_IDEMPOTENCY_KEY": "rk-1"}
    for _ in range(2):
        answer = api(users.warehouse).post(
            "/api/v1/stock-movements/receive/", receipt, format="json", **key
        )
        assert answer.status_code == 201
    assert Movement.objects.count() == 1
    complaint = {
        "complainant_name": "赵先生",
        "complainant_phone": "13822223333",
        "customer": company_a.customer.pk,
        "category": "staff_attitude",
        "channel": "phone",
        "demand": "道歉",
        "description": "态度差",
    }
    for _ in range(2):
        answer = api(users.agent).post(
            "/api/v1/complaints/", complaint, format="json", HTTP_IDEMPOTENCY_KEY="ts-1"
        )
        assert answer.status_code == 201
    assert Complaint.objects.count() == 1


def test_a_nul_byte_in_a_form_field_is_that_fields_error_and_keeps_the_rest(page, users):
    manager = page(users.manager)
    shown = manager.post(
        "/customers/new/", {"name": "浦东\x00精密", "phone": "021-55556666", "address": "张江路1号"}
    )
    html = shown.content.decode()
    assert shown.status_code == 200 and "请删除文字中的控制字符" in html
    assert 'value="浦东精密"' in html and "张江路1号" in html
    from aftersales.customers.models import Customer

    assert not Customer.objects.filter(name__startswith="浦东").exists()


def test_a_nul_in_a_step_read_raw_is_a_400_and_claims_nothing(page, users, company_a):
    """A step whose view reads the field itself: refused, rolled back, no false flash."""
    complaint = factories.make_complaint(users, company_a.customer)
    answer = page(users.manager).post(
        f"/complaints/{complaint.pk}/", {"step": "contact", "note": "a\x00b"}
    )
    html = answer.content.decode()
    assert answer.status_code == 400 and "alert-success" not in html
    complaint.refresh_from_db()
    assert complaint.status == "received"
    assert not complaint.steps.filter(kind="contacted").exists()
    follow = page(users.manager).get(f"/complaints/{complaint.pk}/").content.decode()
    assert "已记录与投诉人的联系" not in follow
