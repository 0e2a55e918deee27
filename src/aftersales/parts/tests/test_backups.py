"""Backup units (R-SP-2) and the spare on site for unfixed P1/P2 faults (R-SP-3, SR.SPARE)."""

import datetime as dt

import pytest
import time_machine
from tests import factories

from aftersales.parts import backups, selectors, services
from aftersales.parts.models import BackupLoan, BackupUnit
from aftersales.parts.tests.conftest import NOW
from aftersales.service import spares

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(users, company_a):
    return backups.backup_unit_add(
        actor=users.warehouse,
        serial_number="BK-0001",
        product_model=company_a.equipment.product_model,
        origin="采购",
    )


def rules(target):
    return {o.rule: o for o in target.obligations.all()}


def test_the_backup_unit_cycle_lend_return_repair_lend_again(users, company_a, unit):
    loan = backups.backup_lend(actor=users.warehouse, unit=unit, customer=company_a.customer)
    unit.refresh_from_db()
    assert unit.status == "lent"
    due = rules(loan)["SP.BACKUP_RETURN"]
    assert due.state == "running" and due.due_at == NOW + dt.timedelta(days=30)
    with factories.refused(conflict="当前状态为已借出"):  # one customer at a time
        backups.backup_lend(actor=users.warehouse, unit=unit, customer=company_a.customer)
    with time_machine.travel(NOW + dt.timedelta(days=10), tick=False):
        backups.backup_return(actor=users.warehouse, unit=unit, needs_repair=True, note="外壳破损")
    loan.refresh_from_db()
    unit.refresh_from_db()
    assert loan.returned_at == NOW + dt.timedelta(days=10) and unit.status == "in_repair"
    assert rules(loan)["SP.BACKUP_RETURN"].state == "met"
    with factories.refused(conflict="未借出"):  # not lent any more
        backups.backup_return(actor=users.warehouse, unit=unit)
    backups.backup_repaired(actor=users.warehouse, unit=unit)
    second = backups.backup_lend(actor=users.warehouse, unit=unit, customer=company_a.customer)
    assert BackupLoan.objects.filter(unit=unit).count() == 2 and second.returned_at is None


def test_returning_a_unit_that_was_never_lent_is_refused(users, unit):
    with factories.refused(conflict="未借出"):
        backups.backup_return(actor=users.warehouse, unit=unit)
    unit.refresh_from_db()
    assert unit.status == "available" and not BackupLoan.objects.exists()


def test_a_replaced_unit_goes_to_repair_and_then_serves(users, company_a):
    taken = backups.backup_unit_from_replaced(actor=users.warehouse, equipment=company_a.equipment)
    assert taken.status == "in_repair" and "甲公司" in taken.origin
    with factories.refused(conflict="当前状态为维修中"):
        backups.backup_lend(actor=users.warehouse, unit=taken, customer=company_a.customer)
    backups.backup_repaired(actor=users.warehouse, unit=taken)
    taken.refresh_from_db()
    assert taken.status == "available"


def test_an_unrepairable_unit_is_written_off_and_the_baseline_shows_what_to_buy(
    users, company_a, unit
):
    model = company_a.equipment.product_model
    backups.backup_baseline_set(actor=users.manager, product_model=model, quantity=2)
    [need] = selectors.backup_needs()
    assert (need.baseline, need.kept, need.to_buy) == (2, 1, 1)
    with factories.refused("reason"):
        backups.backup_write_off(actor=users.warehouse, unit=unit, reason=" ")
    backups.backup_lend(actor=users.warehouse, unit=unit, customer=company_a.customer)
    with factories.refused(conflict="当前状态为已借出"):  # at a customer's: take it back first
        backups.backup_write_off(actor=users.warehouse, unit=unit, reason="坏")
    backups.backup_return(actor=users.warehouse, unit=unit, needs_repair=True)
    backups.backup_write_off(actor=users.warehouse, unit=unit, reason="主板烧毁，无法修复")
    [need] = selectors.backup_needs()
    assert (need.kept, need.to_buy) == (0, 2)
    with factories.refused(conflict="当前状态为已报废"):
        backups.backup_write_off(actor=users.warehouse, unit=unit, reason="again")


def test_a_serial_already_kept_is_refused(users, company_a, unit):
    with factories.refused("serial_number"):
        backups.backup_unit_add(
            actor=users.warehouse,
            serial_number="bk-0001",
            product_model=company_a.equipment.product_model,
        )
    assert BackupUnit.objects.count() == 1


def test_lending_for_another_customers_request_is_refused(users, company_a, company_b, unit):
    request = factories.make_request(company_b.customer, actor=users.agent)
    with factories.refused("service_request"):
        backups.backup_lend(
            actor=users.warehouse, unit=unit, customer=company_a.customer, service_request=request
        )
    unit.refresh_from_db()
    assert unit.status == "available"


def test_a_p1_not_fixed_on_the_spot_has_a_backup_unit_on_site_within_four_hours(
    users, company_a, unit
):
    request = factories.make_request(
        company_a.customer, actor=users.agent, serial_number="A-0001", severity="P1"
    )
    spares.service_request_swap(actor=users.manager, request=request, note="主板故障，现场无法修复")
    spare = rules(request)["SR.SPARE"]
    assert spare.due_at == NOW + dt.timedelta(hours=4)
    with factories.refused(conflict="此记录上的"):  # decided once
        spares.service_request_swap(actor=users.manager, request=request)
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        backups.backup_lend(
            actor=users.warehouse, unit=unit, customer=company_a.customer, service_request=request
        )
    spare.refresh_from_db()
    assert spare.state == "met" and spare.met_at == NOW + dt.timedelta(hours=3)


def test_a_spare_part_used_on_the_requests_order_meets_the_spare_limit(users, stock, company_a):
    order = stock["order"]
    request = order.service_request
    spares.service_request_swap(actor=users.manager, request=request)
    assert rules(request)["SR.SPARE"].due_at.date() == dt.date(2026, 11, 24)  # P3: 2 working days
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=stock["psu"],
        location=stock["kit"],
        quantity=1,
        unit_cost=9,
    )
    services.stock_issue(
        actor=users.tech, work_order=order, item=stock["psu"], location=stock["kit"], quantity=1
    )
    assert rules(request)["SR.SPARE"].state == "met"


def test_swap_through_the_api_and_backup_actions_with_permissions(api, users, company_a, unit):
    request = factories.make_request(company_a.customer, actor=users.agent, severity="P2")
    response = api(users.manager).post(f"/api/v1/service-requests/{request.pk}/swap/", {})
    assert response.status_code == 200
    assert "SR.SPARE" in {o["rule"] for o in response.json()["obligations"]}
    url = f"/api/v1/backup-units/{unit.pk}"
    body = {"customer": company_a.customer.pk, "service_request": request.pk}
    assert api(users.agent).post(f"{url}/lend/", body).status_code == 403
    assert api(company_a.user).post(f"{url}/lend/", body).status_code == 403
    assert api(company_a.user).get("/api/v1/backup-units/").status_code == 403
    lent = api(users.warehouse).post(f"{url}/lend/", body)
    assert lent.status_code == 200, lent.content
    assert lent.json()["status"] == "lent" and lent.json()["open_loan"]["due_at"].endswith("+08:00")
    assert api(users.warehouse).post(f"{url}/lend/", body).status_code == 409
    back = api(users.warehouse).post(f"{url}/return/", {"needs_repair": False})
    assert back.json()["status"] == "available" and back.json()["open_loan"] is None
    assert api(users.warehouse).post(f"{url}/return/", {}).status_code == 409
    assert api(users.warehouse).post(f"{url}/write-off/", {"reason": ""}).status_code == 400
    needs = api(users.finance).get("/api/v1/backup-units/needs/")
    assert needs.status_code == 200 and needs.json() == []


def test_the_backup_page_adds_takes_back_repairs_and_writes_off(page, users, company_a, unit):
    client = page(users.warehouse)
    response = client.post(
        "/parts/backups/",
        {"serial_number": "BK-0002", "product_model": company_a.equipment.product_model.pk},
    )
    assert response.status_code == 302 and BackupUnit.objects.count() == 2
    backups.backup_lend(actor=users.warehouse, unit=unit, customer=company_a.customer)
    html = client.get("/parts/backups/").content.decode()
    assert 'data-serial="BK-0001" data-status="lent"' in html and "甲公司" in html
    client.post(f"/parts/backups/{unit.pk}/return/", {"needs_repair": "1"})
    unit.refresh_from_db()
    assert unit.status == "in_repair"
    client.post(f"/parts/backups/{unit.pk}/repaired/")
    client.post(f"/parts/backups/{unit.pk}/write-off/", {"reason": ""})
    unit.refresh_from_db()
    assert unit.status == "available"  # no reason: refused
    client.post(f"/parts/backups/{unit.pk}/write-off/", {"reason": "报废"})
    unit.refresh_from_db()
    assert unit.status == "written_off"


def test_the_backup_page_is_refused_to_customers_and_outsiders(page, users, company_a, unit):
    assert page(users.finance).get("/parts/backups/").status_code == 200
    for user in (company_a.user, users.nobody):
        assert page(user).get("/parts/backups/").status_code == 403
    assert page(users.finance).post(f"/parts/backups/{unit.pk}/repaired/").status_code == 403
    assert page(users.agent).post("/parts/backups/", {"serial_number": "X"}).status_code == 403


def test_swap_and_lend_from_the_request_page(page, users, company_a, unit):
    request = factories.make_request(
        company_a.customer, actor=users.agent, serial_number="A-0001", severity="P1"
    )
    client = page(users.manager)
    html = client.get(f"/service-requests/{request.pk}/").content.decode()
    assert 'id="step-swap"' in html and 'id="lend"' in html
    client.post(f"/service-requests/{request.pk}/swap/", {"note": "无法现场修复"})
    assert rules(request)["SR.SPARE"].state == "running"
    client.post(f"/parts/lend-for-request/{request.pk}/", {"unit": unit.pk})
    unit.refresh_from_db()
    assert unit.status == "lent" and rules(request)["SR.SPARE"].state == "met"
    other = factories.make_request(company_a.customer, actor=users.agent)
    assert (
        page(company_a.user)
        .post(f"/parts/lend-for-request/{other.pk}/", {"unit": unit.pk})
        .status_code
        == 403
    )


def test_a_replaced_unit_is_taken_in_through_the_api(api, users, company_a, company_b):
    url = "/api/v1/backup-units/from-replaced/"
    assert api(users.agent).post(url, {"equipment": company_a.equipment.pk}).status_code == 403
    taken = api(users.warehouse).post(url, {"equipment": company_a.equipment.pk})
    assert taken.status_code == 201 and taken.json()["status"] == "in_repair"
    assert taken.json()["serial_number"] == "A-0001"
    again = api(users.warehouse).post(url, {"equipment": company_a.equipment.pk})
    assert again.status_code == 400 and "serial_number" in again.json()
    bad = api(users.warehouse).post(url, {"equipment": "nope"})
    assert bad.status_code == 400 and "equipment" in bad.json()


def test_an_overdue_loan_tells_the_lender_with_a_link_to_the_backup_units(users, company_a, unit):
    from aftersales.obligations.models import Notification
    from aftersales.obligations.sweep import obligations_sweep

    loan = backups.backup_lend(actor=users.warehouse, unit=unit, customer=company_a.customer)
    obligations_sweep(now=NOW + dt.timedelta(days=30))
    notice = Notification.objects.filter(obligation__in=loan.obligations.all()).first()
    assert notice is not None and notice.url == "/parts/backups/?status=lent"
