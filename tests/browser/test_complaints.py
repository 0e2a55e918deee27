"""Registering and deciding a complaint in the browser (issue 6)."""

from playwright.sync_api import expect

from aftersales.common.tests.test_attachments import png
from aftersales.complaints.models import Complaint


def test_an_agent_registers_quality_decides_the_manager_approves(
    open_page, users, company_a, tmp_path
):
    agent = open_page(users.agent)
    agent.goto("/complaints/")
    agent.click("#register")
    agent.fill("#id_complainant_name", "王女士")
    agent.fill("#id_complainant_phone", "13912345678")
    agent.select_option("#id_customer", str(company_a.customer.pk))
    agent.select_option("#id_category", "staff_attitude")
    agent.select_option("#id_target_kind", "person")
    agent.select_option("#id_target_person", str(users.tech.pk))
    agent.fill("#id_demand", "书面道歉")
    agent.fill("#id_description", "技术员态度恶劣")
    photo = tmp_path / "现场.png"
    photo.write_bytes(png(40, 30))
    agent.set_input_files("#id_photos", str(photo))
    agent.click("button:has-text('保存')")
    expect(agent.locator("h1")).to_contain_text("TS-")
    # The photo came with the registration and loads (through the checked view).
    thumbnail = agent.locator('#attachments [data-file="现场.png"] img')
    expect(thumbnail).to_be_visible()
    # (A retrying property check: wait_for_function polls with eval, which the CSP forbids.)
    expect(thumbnail).to_have_js_property("naturalWidth", 40)
    expect(agent.locator('[data-rule="CP.CONTACT"]')).to_be_visible()
    expect(agent.locator("#messages")).to_contain_text("13912345678")
    complaint = Complaint.objects.get()
    agent.fill("input[name=note] >> nth=0", "已电话致歉")
    agent.click("#contact")
    expect(agent.locator('#steps [data-kind="contacted"]')).to_be_visible()

    manager = open_page(users.manager)
    manager.goto(f"/complaints/{complaint.pk}/")
    # The person complained about is not among those it can be handed to.
    assert manager.locator(f'select[name=responsible] option[value="{users.tech.pk}"]').count() == 0
    manager.select_option("select[name=responsible]", str(users.quality.pk))
    manager.click("#transfer")
    expect(manager.locator("h1")).to_contain_text("已转交责任人")

    quality = open_page(users.quality, width=390, height=844)
    quality.goto(f"/complaints/{complaint.pk}/")
    quality.fill("form:has(#investigate) input[name=note]", "调取通话录音")
    quality.click("#investigate")
    expect(quality.locator('#steps [data-kind="investigation"]')).to_be_visible()
    quality.select_option("select[name=decision]", "upheld")
    quality.locator("#decide").scroll_into_view_if_needed()
    quality.fill("form:has(#decide) textarea[name=text]", "录音证实态度不当")
    quality.fill("form:has(#decide) input[name=penalty]", "扣绩效 5%")
    quality.click("#decide")
    expect(quality.locator("h1")).to_contain_text("已作出处理决定")
    assert quality.evaluate("document.documentElement.scrollWidth") <= 390

    manager.goto(f"/complaints/{complaint.pk}/")
    # The ladder: an ordinary complaint's decision is the service manager's to approve.
    expect(quality.locator("#approvers")).to_contain_text("售后服务部经理")
    manager.click("#approve")
    expect(manager.locator("#decision")).to_contain_text("manager")
    manager.fill("form:has(#reply) input[name=text]", "经核实投诉属实，已处理相关人员并致歉。")
    manager.click("#reply")
    expect(manager.locator('#steps [data-kind="replied"]')).to_be_visible()
    complaint.refresh_from_db()
    assert complaint.approved_by == users.manager and complaint.penalty == "扣绩效 5%"
