"""The whole service path in the browser, as issue 4 describes it."""

from playwright.sync_api import expect

from aftersales.customers.services import contact_create
from aftersales.obligations.models import Obligation
from aftersales.parts.services import stock_receive
from aftersales.service.models import ServiceRequest, WorkOrder
from tests import factories


def _draw(page, pad):
    """A scribble across a signature pad, as a finger would."""
    page.locator(pad).scroll_into_view_if_needed()
    box = page.locator(pad).bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + 40 + (step % 3) * 30)
    page.mouse.up()


def test_from_call_to_closure(open_page, users, company_a):
    kit = factories.make_location("KIT-TECH", "kit", users.tech)
    psu = factories.make_part("PS-200", name="电源模块")
    stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=psu,
        location=kit,
        quantity=3,
        unit_cost=120,
    )
    contact_create(actor=None, customer=company_a.customer, name="刘建国", phone="13812345678")
    agent = open_page(users.agent)
    agent.goto("/service-requests/new/")
    agent.fill("#lookup-q", "13812345678")  # the caller's number, as the phone shows it
    agent.click('[data-kind="contact"]')
    expect(agent.locator("#id_customer")).to_have_value(str(company_a.customer.pk))
    expect(agent.locator("#id_caller_name")).to_have_value("刘建国")
    agent.fill("#lookup-q", "A-00")
    agent.click('[data-kind="equipment"]')
    expect(agent.locator("#id_serial_number")).to_have_value("A-0001")
    agent.check("input[name=severity][value=P2]")
    agent.fill("#id_description", "录像机无法开机")
    agent.click("button:has-text('保存')")
    assert agent.locator(".field-error").all_inner_texts() == []
    expect(agent.locator("h1")).to_contain_text("BX-")
    request = ServiceRequest.objects.get()
    expect(agent.locator('[data-rule="SR.REPLY"]')).to_be_visible()

    manager = open_page(users.manager)
    manager.goto(f"/service-requests/{request.pk}/")
    manager.click("#step-onsite summary")
    manager.click("#onsite")
    manager.click("#step-dispatch summary")
    manager.select_option("#dispatch-technicians", str(users.tech.pk))
    manager.click("#dispatch")
    expect(manager.locator("#work-orders")).to_contain_text("WX-")
    order = WorkOrder.objects.get()

    tech = open_page(users.tech, width=390, height=844)
    tech.goto("/work-orders/")
    tech.click(f'[data-number="{order.number}"]')
    tech.click("#arrive")
    tech.fill("#id_work_done", "更换电源模块")
    tech.select_option("#id_diagnosis", "hardware")
    tech.select_option("#id_result", "fixed")
    tech.click("#save-record")
    expect(tech.locator(".alert-success")).to_contain_text("服务记录已保存")
    # The part comes from the kit's list by its name, not from memory.
    expect(tech.locator("#kit")).to_contain_text("电源模块")
    tech.click("#use-PS-200")
    expect(tech.locator("#parts-used")).to_contain_text("PS-200 电源模块")
    expect(tech.locator("#kit")).to_contain_text("现有 2")
    _draw(tech, "#pad")
    tech.fill("#id_signed_by", "刘建国")
    tech.click("#save-signature")
    expect(tech.locator('img[alt="客户签字"]')).to_be_visible()
    # Once signed, the empty pad folds away behind 重新签名.
    expect(tech.locator("#pad")).to_be_hidden()
    expect(tech.locator("#sign-again summary")).to_have_text("重新签名")
    tech.click("#complete")
    expect(tech.locator("#missing")).to_contain_text("维修人员须在客户旁签字")
    _draw(tech, "#technician-pad")
    tech.click("#save-technician-signature")
    expect(tech.locator('img[alt="维修人员签字"]')).to_be_visible()
    tech.click("#complete")
    expect(tech.locator("h1")).to_contain_text("已完成")
    assert tech.evaluate("document.documentElement.scrollWidth") <= 390
    order.refresh_from_db()
    assert order.status == "completed" and order.signature.startswith("data:image/png;base64,")
    assert order.technician_signature.startswith("data:image/png;base64,")
    assert order.stock_movements.get().quantity == -1
    printed = tech.request.get(tech.locator("#print").get_attribute("href"))
    assert printed.ok and printed.headers["content-type"] == "application/pdf"
    assert printed.body().startswith(b"%PDF-")

    agent.goto(f"/service-requests/{request.pk}/")
    expect(agent.locator("#step-resolve")).to_have_attribute("open", "")  # the next step, open
    agent.fill("#resolve-resolution", "更换电源模块后恢复正常，客户确认")
    agent.click("#resolve")
    expect(agent.locator("#close-confirmed_by")).to_have_value(request.caller_name)
    agent.select_option("#close-confirmed_via", "phone")
    agent.click("#close")
    expect(agent.locator("h1")).to_contain_text("已关闭")
    request.refresh_from_db()
    states = {o.rule: o.state for o in request.obligations.all()}
    assert states["SR.ARRIVE"] == "met" and states["SR.RESOLVE"] == "met"
    assert states["WO.PAPERS"] == "met" and states["WO.FAULT_REPORT"] == "running"
    # The P2 day ends with no limit breached.
    assert not Obligation.objects.filter(state="breached").exists()


def test_intake_warns_only_of_the_chosen_units_open_request(open_page, users, company_a):
    """R-SR-10: a call about a unit with an open request is linked to it. The phone
    finds all of the caller's units and their open requests; once the agent picks a
    unit, only that unit's open request is still shown."""
    contact_create(actor=None, customer=company_a.customer, name="刘建国", phone="13812345678")
    factories.make_equipment(company_a.customer, serial_number="A-0002")
    first = factories.make_request(
        company_a.customer, actor=users.agent, serial_number="A-0001", description="屏幕不亮"
    )
    agent = open_page(users.agent)
    agent.goto("/service-requests/new/")
    agent.fill("#lookup-q", "13812345678")
    warning = agent.locator(f'[data-open-request="{first.number}"]')
    expect(warning).to_contain_text("A-0001")
    agent.click('[data-kind="equipment"][data-serial="A-0002"]')
    expect(warning).to_be_hidden()
    agent.click('[data-kind="equipment"][data-serial="A-0001"]')
    expect(warning).to_be_visible()
    agent.fill("#id_serial_number", "A-0002")
    expect(warning).to_be_hidden()


def test_a_serial_typed_into_its_field_shows_the_units_open_request(open_page, users, company_a):
    first = factories.make_request(
        company_a.customer, actor=users.agent, serial_number="A-0001", description="屏幕不亮"
    )
    agent = open_page(users.agent)
    agent.goto("/service-requests/new/")
    agent.fill("#id_serial_number", "a-0001")
    agent.locator("#id_serial_number").blur()
    expect(agent.locator(f'[data-open-request="{first.number}"]')).to_be_visible()
