"""Planned work in the browser (issue 16): the customer confirms the quarter's plan on a
phone; the technician inspects with the A–G checklist at 390 pixels, turns an
out-of-range measurement into a repair, both sign on the screen, and the report is
issued."""

from playwright.sync_api import expect

from aftersales.maintenance import plans
from aftersales.maintenance.models import Inspection
from aftersales.maintenance.tests.helpers import make_checklist, make_contract
from tests.browser.test_service_path import _draw


def test_confirm_a_plan_inspect_on_a_phone_sign_and_report(open_page, users, company_a):
    make_checklist(users.manager)
    contract = make_contract(company_a.equipment)
    plan = plans.maintenance_plan_generate(
        actor=users.manager, contract=contract, quarter=plans.Quarter(2026, 4)
    )
    customer = open_page(company_a.user, width=390)
    customer.goto("/portal/")
    customer.click(f'[data-plan="{plan.pk}"]')
    customer.click("#confirm-plan")
    expect(customer.locator("#plan-status")).to_contain_text("客户已确认")

    tech = open_page(users.tech, width=390)
    tech.goto(plan.get_absolute_url())
    tech.click(f'[data-start="{company_a.equipment.serial_number}"]')
    expect(tech.locator("h1")).to_contain_text("巡检中")
    for code in "ABCEFG":
        tech.locator(f'[data-code="{code}"] input[type=radio][value=ok]').check()
    tech.fill('[data-code="D"] input[inputmode=decimal]', "abc")
    tech.click("#save-items")
    expect(tech.locator('[data-error="D"]')).to_be_visible()
    # What was typed stays: the other items are still checked.
    expect(tech.locator('[data-code="A"] input[value=ok]')).to_be_checked()
    tech.fill('[data-code="D"] input[inputmode=decimal]', "236")
    tech.click("#save-items")
    expect(tech.locator('[data-code="D"] [data-flagged]')).to_be_visible()
    tech.locator('[data-raise="D"] select').select_option("P2")
    tech.locator('[data-raise="D"] button').click()
    expect(tech.locator('[data-request="D"]')).to_be_visible()
    _draw(tech, "#technician-pad")
    tech.click("#sign-technician")
    _draw(tech, "#customer-pad")
    tech.fill("#signed-by", "值班员小陈")
    tech.click("#sign-customer")
    expect(tech.locator("#status")).to_contain_text("已签字，待出报告")
    tech.fill("#id_findings", "D 项供电电压偏高，已转维修")
    tech.fill("#id_advice", "建议加装稳压电源")
    tech.click("#issue-report")
    expect(tech.locator("#status")).to_contain_text("已出报告")
    assert tech.evaluate("document.documentElement.scrollWidth") <= 390
    done = Inspection.objects.get()
    assert done.customer_signed_by == "值班员小陈"
    assert done.items.get(item__code="D").service_request
    # The customer finds the signed report on the portal's home.
    customer.goto("/portal/")
    expect(customer.locator(f'[data-inspection="{done.number}"]')).to_be_visible()
