"""Returns and exchanges (R-RT-1, R-RT-2, R-RT-3): 7 days, no misuse, proof and packaging, the
general manager decides, unpacking inspection before an exchange is done."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from tests import factories

from aftersales.customers.models import Equipment
from aftersales.customers.services import equipment_exchange
from aftersales.returns import services as returns
from aftersales.returns.models import ReturnRequest

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SH)  # a Friday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def ask(users, company, **changes):
    values = {
        "actor": users.agent,
        "customer": company.customer,
        "equipment": company.equipment,
        "kind": "exchange",
        "purchased_on": dt.date(2026, 11, 13),  # 7 days ago
        "problem": "开机后屏幕闪烁",
        "caused_by_misuse": False,
        "proof_checked": True,
        "packaging_intact": True,
        **changes,
    }
    return returns.return_request_create(**values)


def test_day_seven_is_accepted_and_the_general_manager_has_two_working_days(users, company_a):
    item = ask(users, company_a)
    assert item.number == "TH-2026-000001" and item.status == "requested"
    decide = item.obligations.get(rule="RT.DECIDE")
    assert decide.due_at == dt.datetime(2026, 11, 24, 18, 0, tzinfo=SH)  # Mon, Tue


@pytest.mark.parametrize(
    "changes, field, quoted",
    [
        ({"purchased_on": dt.date(2026, 11, 12)}, "purchased_on", "第十七条"),  # day 8
        ({"caused_by_misuse": True}, "caused_by_misuse", "第十七条"),
        ({"proof_checked": False}, "proof_checked", "第十八条"),
        ({"packaging_intact": False}, "packaging_intact", "第十八条"),
        ({"purchased_on": dt.date(2026, 11, 21)}, "purchased_on", ""),
        ({"problem": " "}, "problem", ""),
    ],
)
def test_requests_outside_the_rules_are_refused_with_the_rule_quoted(
    users, company_a, changes, field, quoted
):
    with pytest.raises(ValidationError) as refused:
        ask(users, company_a, **changes)
    message = " ".join(refused.value.message_dict[field])
    assert quoted in message
    assert not ReturnRequest.objects.exists()


def test_day_eight_says_how_many_days_it_has_been(users, company_a):
    with pytest.raises(ValidationError) as refused:
        ask(users, company_a, purchased_on=dt.date(2026, 11, 12))
    assert "8" in refused.value.message_dict["purchased_on"][0]


def test_another_customers_unit_is_refused(users, company_a, company_b):
    with pytest.raises(ValidationError) as refused:
        ask(users, company_a, equipment=company_b.equipment)
    assert "equipment" in refused.value.message_dict


def test_only_the_general_manager_decides_and_a_refusal_says_why(users, company_a):
    item = ask(users, company_a)
    for someone in (users.agent, users.manager, users.vp):
        with factories.refused("approve"):
            returns.return_request_decide(actor=someone, request=item, approve=True)
    with factories.refused("note"):
        returns.return_request_decide(actor=users.gm, request=item, approve=False, note=" ")
    item.refresh_from_db()
    assert item.status == "requested"
    with time_machine.travel(NOW + dt.timedelta(hours=4), tick=False):
        returns.return_request_decide(
            actor=users.gm, request=item, approve=False, note="检测为人为损坏"
        )
    item.refresh_from_db()
    assert (item.status, item.decision_note, item.decided_by) == (
        "refused",
        "检测为人为损坏",
        users.gm,
    )
    assert item.obligations.get(rule="RT.DECIDE").state == "met"
    with factories.refused(conflict="已审批"):
        returns.return_request_decide(actor=users.gm, request=item, approve=True)
    with factories.refused(conflict="只有已批准的退换货才能办理"):
        returns.return_request_complete(actor=users.agent, request=item, refund_amount=Decimal(1))


def test_an_exchange_is_done_only_after_a_clean_unpacking_inspection(users, company_a):
    item = ask(users, company_a)
    returns.return_request_decide(actor=users.gm, request=item, approve=True)
    with factories.refused(conflict="新设备尚未通过客户开箱验收"):
        returns.return_request_complete(actor=users.agent, request=item, replacement_serial="N-1")
    with factories.refused("signed_by"):  # damaged items are not signed for
        returns.unpacking_record(
            actor=users.agent,
            customer=company_a.customer,
            return_request=item,
            outcome="damaged",
            note="外壳有裂痕",
            signed_by="刘建国",
        )
    damaged = returns.unpacking_record(
        actor=users.agent,
        customer=company_a.customer,
        return_request=item,
        outcome="damaged",
        note="外壳有裂痕",
    )
    assert damaged.needs_replacement and damaged.signed_by == ""
    with factories.refused(conflict="新设备尚未通过客户开箱验收"):
        returns.return_request_complete(actor=users.agent, request=item, replacement_serial="N-1")
    with factories.refused("signed_by"):  # complete: who signed?
        returns.unpacking_record(
            actor=users.agent, customer=company_a.customer, return_request=item, outcome="ok"
        )
    returns.unpacking_record(
        actor=users.agent,
        customer=company_a.customer,
        return_request=item,
        outcome="ok",
        signed_by="刘建国",
    )
    with factories.refused("replacement_serial"):  # another customer's unit's serial
        returns.return_request_complete(
            actor=users.agent, request=item, replacement_serial=company_b_serial(users)
        )
    done = returns.return_request_complete(
        actor=users.agent, request=item, replacement_serial="N-2"
    )
    assert done.status == "done" and done.replacement_serial == "N-2"
    # The new unit is in the register, its warranty counted again from today; the old
    # one is retired, replaced by it, and takes no new service request.
    old = Equipment.objects.get(pk=company_a.equipment.pk)
    new = Equipment.objects.get(serial_number="N-2")
    assert (new.customer, new.product_model, new.accepted_on) == (
        company_a.customer,
        old.product_model,
        NOW.date(),
    )
    assert new.warranty_until > NOW.date()
    assert (old.retired_on, old.replaced_by) == (NOW.date(), new)
    assert item.number in old.retired_reason
    with factories.refused("serial_number"):
        factories.make_request(
            company_a.customer, actor=users.agent, serial_number=old.serial_number
        )
    # N-2 already replaces a unit: it cannot be another exchange's new unit too.
    other = factories.make_equipment(company_a.customer, serial_number="A-0002")
    with factories.refused("serial_number"):
        equipment_exchange(actor=users.agent, old=other, serial_number="n-2", reason="换货")


def company_b_serial(users):
    other = factories.make_customer("丙公司")
    return factories.make_equipment(other, serial_number="C-0001").serial_number


def test_a_refund_records_the_amount(users, company_a):
    item = ask(users, company_a, kind="refund")
    returns.return_request_decide(actor=users.gm, request=item, approve=True, note="同意退款")
    with factories.refused("refund_amount"):
        returns.return_request_complete(actor=users.agent, request=item)
    done = returns.return_request_complete(
        actor=users.agent, request=item, refund_amount=Decimal("3999.00")
    )
    assert done.refund_amount == Decimal("3999.00")
    returned = Equipment.objects.get(pk=company_a.equipment.pk)
    assert returned.retired_on == NOW.date() and returned.replaced_by is None


def body(company, **changes):
    return {
        "customer": company.customer.pk,
        "equipment": company.equipment.pk,
        "kind": "refund",
        "purchased_on": "2026-11-15",
        "problem": "无法开机",
        "caused_by_misuse": False,
        "proof_checked": True,
        "packaging_intact": True,
        **changes,
    }


def test_the_api_path_and_who_may_do_what(api, users, company_a, company_b):
    late = api(users.agent).post("/api/v1/returns/", body(company_a, purchased_on="2026-11-01"))
    assert late.status_code == 400 and "第十七条" in late.json()["purchased_on"][0]
    created = api(users.agent).post("/api/v1/returns/", body(company_a))
    assert created.status_code == 201, created.content
    url = f"/api/v1/returns/{created.json()['id']}"
    assert api(users.agent).post(f"{url}/decide/", {"approve": True}).status_code == 400
    assert api(users.finance).post(f"{url}/decide/", {"approve": True}).status_code == 403
    decided = api(users.gm).post(f"{url}/decide/", {"approve": True})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert api(users.gm).post(f"{url}/decide/", {"approve": True}).status_code == 409
    done = api(users.agent).post(f"{url}/complete/", {"refund_amount": "100.00"})
    assert done.json()["status"] == "done"
    assert api(company_a.user).get(f"{url}/").status_code == 200
    assert api(company_b.user).get(f"{url}/").status_code == 404
    assert api(company_a.user).post("/api/v1/returns/", body(company_a)).status_code == 403
    assert api(users.nobody).get("/api/v1/returns/").status_code == 403
    other = api(users.agent).post(
        "/api/v1/returns/", body(company_a, equipment=company_b.equipment.pk)
    )
    assert other.status_code == 400


def test_the_pages_request_decide_and_refuse_outsiders(page, users, company_a, company_b):
    client = page(users.agent)
    response = client.post(
        "/returns/new/",
        {
            "customer": company_a.customer.pk,
            "serial_number": "A-0001",
            "kind": "exchange",
            "purchased_on": "2026-11-18",
            "problem": "屏幕花屏",
            "proof_checked": "on",
            "packaging_intact": "on",
        },
    )
    item = ReturnRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/returns/{item.pk}/"
    refused = client.post(
        "/returns/new/",
        {
            "customer": company_a.customer.pk,
            "serial_number": "A-0001",
            "kind": "refund",
            "purchased_on": "2026-11-01",
            "problem": "x",
            "proof_checked": "on",
            "packaging_intact": "on",
        },
    )
    assert "第十七条" in refused.content.decode() and ReturnRequest.objects.count() == 1
    gm = page(users.gm)
    assert 'id="decide"' in gm.get(f"/returns/{item.pk}/").content.decode()
    gm.post(f"/returns/{item.pk}/", {"step": "decide", "approve": "1"})
    item.refresh_from_db()
    assert item.status == "approved"
    assert page(company_b.user).get(f"/returns/{item.pk}/").status_code == 404
    # The customer sees the return, not the company's time limits on it (issue 14).
    staff_view = page(users.manager).get(f"/returns/{item.pk}/").content.decode()
    assert 'id="time-limits"' in staff_view
    their_view = page(company_a.user).get(f"/returns/{item.pk}/").content.decode()
    assert 'id="time-limits"' not in their_view and "时限" not in their_view
    assert page(users.nobody).get("/returns/").status_code == 403
    assert (
        page(company_a.user).post(f"/returns/{item.pk}/", {"step": "complete"}).status_code == 403
    )


def test_an_ordinary_delivery_is_inspected_on_unpacking(api, page, users, company_a, company_b):
    url = "/api/v1/unpacking-inspections/"
    base = {"customer": company_a.customer.pk, "equipment": company_a.equipment.pk}
    signed = api(users.agent).post(url, {**base, "outcome": "missing", "signed_by": "刘建国"})
    assert signed.status_code == 400 and "signed_by" in signed.json()
    missing = api(users.agent).post(url, {**base, "outcome": "missing", "note": "缺电源适配器"})
    assert missing.status_code == 201 and missing.json()["needs_replacement"] is True
    foreign = api(users.agent).post(
        url, {**base, "equipment": company_b.equipment.pk, "outcome": "ok", "signed_by": "x"}
    )
    assert foreign.status_code == 400
    assert api(company_a.user).post(url, {**base, "outcome": "ok"}).status_code == 403
    listed = api(users.manager).get(url, {"needs_replacement": True}).json()
    assert [i["note"] for i in listed["results"]] == ["缺电源适配器"]
    # On the page, and in the unit's history.
    client = page(users.agent)
    client.post(
        "/returns/unpacking/",
        {
            "customer": company_a.customer.pk,
            "serial_number": "A-0001",
            "outcome": "ok",
            "signed_by": "刘建国",
        },
    )
    html = client.get(f"/equipment/{company_a.equipment.pk}/").content.decode()
    assert 'data-kind="installation"' in html and "缺电源适配器" in html and "刘建国" in html
    assert page(users.nobody).get("/returns/unpacking/").status_code == 403


def test_the_equipment_pages_show_the_exchange(page, users, company_a):
    item = ask(users, company_a)
    returns.return_request_decide(actor=users.gm, request=item, approve=True)
    returns.unpacking_record(
        actor=users.agent,
        customer=company_a.customer,
        return_request=item,
        outcome="ok",
        signed_by="刘建国",
    )
    returns.return_request_complete(actor=users.agent, request=item, replacement_serial="N-9")
    new = Equipment.objects.get(serial_number="N-9")
    old_page = page(users.agent).get(f"/equipment/{company_a.equipment.pk}/").content.decode()
    assert 'id="retired"' in old_page and f'href="/equipment/{new.pk}/"' in old_page
    new_page = page(company_a.user).get(f"/equipment/{new.pk}/").content.decode()
    assert 'id="replaces"' in new_page and company_a.equipment.serial_number in new_page
    listed = page(users.agent).get("/equipment/").content.decode()
    assert listed.count('data-retired="1"') == 1 and "N-9" in listed
