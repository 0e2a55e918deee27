"""An exchange in the browser (R-RT-2, R-RT-3): the general manager approves, the agent
records the unpacking with the customer and the new unit; the register follows."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from aftersales.customers.models import Equipment
from aftersales.returns import services as returns


def test_the_general_manager_approves_and_the_exchange_updates_the_register(
    open_page, users, company_a
):
    item = returns.return_request_create(
        actor=users.agent,
        customer=company_a.customer,
        equipment=company_a.equipment,
        kind="exchange",
        purchased_on=timezone.localdate() - dt.timedelta(days=3),
        problem="开机后屏幕闪烁",
        caused_by_misuse=False,
        proof_checked=True,
        packaging_intact=True,
    )
    gm = open_page(users.gm)
    gm.goto(f"/returns/{item.pk}/")
    expect(gm.locator('[data-rule="RT.DECIDE"]')).to_be_visible()
    gm.fill("#decide input[name=note]", "质量问题属实，同意换货")
    gm.click("#approve")
    expect(gm.locator("#decision")).to_contain_text("同意换货")

    agent = open_page(users.agent)
    agent.goto(f"/returns/{item.pk}/")
    agent.select_option("#inspect select[name=outcome]", "ok")
    agent.fill("#inspect input[name=signed_by]", "刘建国")
    agent.click("#inspect button[type=submit]")
    expect(agent.locator('#inspections [data-outcome="ok"]')).to_be_visible()
    agent.fill("#complete input[name=replacement_serial]", "NEW-0001")
    agent.click("#complete button[type=submit]")
    expect(agent.locator("#new-unit")).to_have_text("NEW-0001")
    agent.click("#old-unit")
    expect(agent.locator("#retired")).to_contain_text("退役")
    agent.click("#replaced-by")
    expect(agent.locator("h1")).to_contain_text("NEW-0001")
    expect(agent.locator("#replaces")).to_contain_text(company_a.equipment.serial_number)
    new = Equipment.objects.get(serial_number="NEW-0001")
    assert new.accepted_on == timezone.localdate() and new.customer == company_a.customer


def test_the_technical_department_adds_a_fault_code_on_its_page(open_page, users, company_a):
    model = company_a.equipment.product_model
    techdept = open_page(users.techdept)
    techdept.goto("/equipment/")
    techdept.click("#catalogue")
    techdept.click(f'[data-model="{model.code}"] a')
    techdept.fill("#add-code input[name=code]", "E09")
    techdept.fill("#add-code input[name=name]", "开机无显示")
    techdept.click("#add")
    expect(techdept.locator('[data-code="E09"] .name')).to_have_text("开机无显示")
    assert model.fault_codes.get().code == "E09"
