"""An emergency on phones (R-OP-3): the technician on duty records it at 390 px, the
service manager is alerted, opens it from the bell on a phone and confirms arrival;
OP.ASSEMBLE is met and the log says so."""

from playwright.sync_api import expect

from aftersales.obligations.models import Obligation
from aftersales.operations.models import Incident


def test_recording_an_emergency_and_confirming_arrival_on_a_phone(open_page, users):
    tech = open_page(users.tech, width=390, height=844)
    tech.goto("/emergencies/")
    tech.click("#record-emergency")
    tech.fill("input[name=nature]", "配电柜冒烟")
    tech.fill("input[name=place]", "甲公司二号厂房配电室")
    tech.fill("input[name=reporter]", "甲公司保卫科")
    tech.fill("input[name=reporter_contact]", "0571-88880000")
    tech.fill("input[name=casualties]", "无")
    tech.check(f"input[name=responders][value='{users.manager.pk}']")
    tech.click("main form button[type=submit]")
    expect(tech.locator("h1")).to_contain_text("YJ-")
    expect(tech.locator("#responders")).to_contain_text("未到位")
    incident = Incident.objects.get()
    assert tech.evaluate("document.documentElement.scrollWidth") <= 390

    manager = open_page(users.manager, width=390, height=844)
    manager.goto("/notifications/")
    manager.get_by_text("配电柜冒烟").first.click()
    expect(manager.locator("#arrive")).to_be_visible()
    manager.click("#arrive button[type=submit]")
    expect(
        manager.locator(f'#responders [data-person="{users.manager.username}"] .arrived')
    ).to_be_visible()
    expect(manager.locator("#log")).to_contain_text("已到位")
    expect(manager.locator("#arrive")).to_have_count(0)
    assert manager.evaluate("document.documentElement.scrollWidth") <= 390
    limit = Obligation.objects.get(rule="OP.ASSEMBLE", object_id=incident.responders.get().pk)
    assert limit.state == Obligation.State.MET
