"""A service department's day in the browser, role by role, with no API call (issue 13):
an out-of-warranty P3 job from the call to the filed record, and a P1 whose order is
voided and reissued, with its fault analysis report. No limit is left breached."""

import datetime as dt

from playwright.sync_api import expect

from aftersales.customers.services import site_create
from aftersales.obligations.models import Obligation
from aftersales.obligations.selectors import obligations_of
from aftersales.service.models import ServiceRequest, WorkOrder
from tests import factories
from tests.browser.test_service_path import _draw


def _visit(tech, order):
    """The technician's visit on a phone: arrive, record, both sign, leave, complete."""
    tech.goto("/work-orders/")
    tech.click(f'[data-number="{order.number}"]')
    tech.click("#arrive")
    tech.fill("#id_work_done", "更换主板电容")
    tech.select_option("#id_diagnosis", "hardware")
    tech.select_option("#id_result", "fixed")
    tech.click("#save-record")
    _draw(tech, "#pad")
    tech.fill("#id_signed_by", "刘建国")
    tech.click("#save-signature")
    _draw(tech, "#technician-pad")
    tech.click("#save-technician-signature")
    tech.click("#depart")
    expect(tech.locator("#depart")).to_have_count(0)
    tech.click("#complete")
    expect(tech.locator("h1")).to_contain_text("已完成")
    expect(tech.locator("#diagnosis")).to_be_visible()  # the finished order keeps what was found
    assert tech.evaluate("document.documentElement.scrollWidth") <= 390


def _breached():
    return list(Obligation.objects.filter(state="breached").values_list("rule", flat=True))


def test_an_out_of_warranty_p3_job_from_the_call_to_the_filed_record(
    open_page, users, company_a, company_b
):
    old = factories.make_equipment(
        company_a.customer,
        serial_number="OLD-0001",
        accepted_on=dt.date(2020, 1, 1),
        warranty_months=12,
        maintenance_months=0,
    )
    agent = open_page(users.agent)
    ours = site_create(actor=None, customer=company_a.customer, name="总部机房")
    theirs = site_create(actor=None, customer=company_b.customer, name="总部机房")
    agent.goto("/service-requests/new/")
    agent.select_option("#id_customer", str(company_a.customer.pk))
    # The site list offers only the chosen customer's sites.
    expect(agent.locator(f'#id_site option[value="{theirs.pk}"]')).to_be_disabled()
    agent.select_option("#id_site", str(ours.pk))
    agent.fill("#id_caller_name", "刘建国")
    agent.fill("#id_caller_phone", "13812345678")
    agent.fill("#id_serial_number", old.serial_number)
    agent.check("input[name=severity][value=P3]")
    agent.fill("#id_description", "录像机频繁重启")
    agent.click("button:has-text('保存')")
    expect(agent.locator("h1")).to_contain_text("BX-")
    request = ServiceRequest.objects.get()
    assert request.site == ours
    agent.fill("#reply-note", "已登记，稍后由服务经理联系")
    agent.click("#reply")
    expect(agent.locator('[data-rule="SR.REPLY"]')).to_have_attribute("data-state", "met")

    manager = open_page(users.manager)
    manager.goto(f"/service-requests/{request.pk}/")
    manager.fill("#respond-plan", "已过保，先报价；客户同意后明天上午上门")
    manager.click("#respond")
    # Out of warranty: no dispatch before the customer accepts the price.
    manager.fill("#quote-amount", "800")
    manager.fill("#quote-note", "更换主板电容及人工")
    manager.click("#quote")
    expect(manager.locator("#charge")).to_contain_text("¥800")
    manager.locator("#step-quote-answer input[name=accepted][value='1']").check()
    manager.fill("#quote-answer-note", "客户电话同意")
    manager.click("#quote-answer")
    expect(manager.locator("#charge")).to_contain_text("已接受")
    manager.click("#step-dispatch summary")
    manager.select_option("#dispatch-technicians", str(users.tech.pk))
    manager.click("#dispatch")
    expect(manager.locator("#work-orders")).to_contain_text("WX-")

    order = WorkOrder.objects.get()
    _visit(open_page(users.tech, width=390, height=844), order)

    manager.goto(f"/work-orders/{order.pk}/")
    manager.click("#file")
    expect(manager.locator("#filed")).to_be_visible()
    agent.goto(f"/service-requests/{request.pk}/")
    expect(agent.locator("#step-resolve")).to_have_attribute("open", "")  # the next step, open
    agent.fill("#resolve-resolution", "更换电容后运行正常，客户确认")
    agent.click("#resolve")
    agent.select_option("#close-confirmed_via", "phone")
    agent.click("#close")
    expect(agent.locator("h1")).to_contain_text("已关闭")
    request.refresh_from_db()
    states = {o.rule: o.state for o in request.obligations.all()}
    assert states["SR.REPLY"] == states["SR.RESPOND"] == states["SR.RESOLVE"] == "met"
    assert obligations_of(order).get(rule="WO.FILE").state == "met"
    assert request.quote_status == "accepted" and request.quote_amount == 800
    assert _breached() == []


def test_a_p1_order_is_voided_and_reissued_and_its_fault_report_filed(open_page, users, company_a):
    tech2 = factories.make_user("tech2", "technician")
    request = factories.make_request(
        company_a.customer,
        actor=users.agent,
        severity="P1",
        serial_number=company_a.equipment.serial_number,
        description="核心交换机宕机，全厂断网",
    )
    manager = open_page(users.manager)
    manager.goto(f"/service-requests/{request.pk}/")
    manager.click("#step-dispatch summary")
    manager.select_option("#dispatch-technicians", str(users.tech.pk))
    manager.click("#dispatch")
    first = WorkOrder.objects.get()
    # The technician is stuck elsewhere: the order is voided and reissued to another.
    manager.goto(f"/work-orders/{first.pk}/")
    manager.click("#step-replace summary")
    manager.fill("#id_reason", "原技术员在另一现场无法脱身")
    manager.select_option("#id_technician", str(tech2.pk))
    manager.click("#replace")
    expect(manager.locator("#replaces")).to_contain_text(first.number)
    second = WorkOrder.objects.exclude(pk=first.pk).get()
    first.refresh_from_db()
    assert first.status == "void" and second.technician == tech2

    tech = open_page(tech2, width=390, height=844)
    tech.goto(f"/service-requests/{request.pk}/")
    tech.fill("#respond-plan", "已出发，预计 40 分钟到场")
    tech.click("#respond")
    _visit(tech, second)

    manager.goto(f"/service-requests/{request.pk}/")
    manager.fill("#fault-report-cause", "交换机电源模块老化导致宕机")
    manager.fill("#fault-report-prevention", "电源模块每两年预防性更换")
    manager.click("#fault-report")
    expect(manager.locator("#fault-report-pdf")).to_be_visible()
    manager.goto(f"/work-orders/{second.pk}/")
    manager.click("#file")
    expect(manager.locator("#filed")).to_be_visible()
    request.refresh_from_db()
    states = {o.rule: o.state for o in request.obligations.all()}
    assert states["WO.FAULT_REPORT"] == "met" and states["SR.RESPOND"] == "met"
    assert obligations_of(second).get(rule="WO.FILE").state == "met"
    assert _breached() == []


def test_quality_verifies_a_corrective_action(open_page, users, company_a):
    from aftersales.complaints import actions

    made = factories.make_upheld_complaint(users, company_a.customer)
    action = actions.action_create(
        actor=users.manager,
        complaint=made,
        kind="corrective",
        description="重新布线并加屏蔽",
        owner=users.tech,
        due_on=dt.date.today() + dt.timedelta(days=7),
    )
    actions.action_done(actor=users.tech, action=action, note="已重新布线")
    quality = open_page(users.quality, width=390, height=844)
    quality.goto(f"/complaints/{made.pk}/")
    item = quality.locator(f'#capa [data-action="{action.pk}"]')
    item.locator("input[name=note]").fill("复测信号正常，连续一周无干扰")
    item.locator("button[name=effective][value='1']").click()
    expect(quality.locator(f'#capa [data-action="{action.pk}"]')).to_contain_text("quality")
    action.refresh_from_db()
    assert action.verified_by == users.quality and action.effective
    assert quality.evaluate("document.documentElement.scrollWidth") <= 390
    assert _breached() == []
