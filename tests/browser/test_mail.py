"""The agent places a stranger's mail from the service mailbox, in the browser: from
the home's 待分拣邮件 to the mail, made a request with the sender kept as a contact."""

from playwright.sync_api import expect

from aftersales.inbox.services import mail_receive
from aftersales.inbox.tests.mails import PNG, mail
from aftersales.service.models import ServiceRequest


def test_an_agent_places_a_strangers_mail(open_page, users, company_a):
    waiting = mail_receive(
        raw=mail("li@new.example.com", name="李工", files=[("现场.png", PNG, "image/png")])
    )
    agent = open_page(users.agent)
    agent.goto("/")
    agent.locator('[data-panel="mail"]').get_by_text("录像机无法开机").click()
    expect(agent.locator("#why")).to_contain_text("不是任何客户的联系人")
    expect(agent.locator("#mail-files")).to_contain_text("现场.png")
    agent.select_option("#id_customer", str(company_a.customer.pk))
    agent.fill("#id_caller_phone", "13700001111")
    agent.fill("#id_serial_number", "A-0001")
    agent.check("input[name=severity][value=P2]")
    agent.click("#save-request")
    expect(agent.locator("h1")).to_contain_text("BX-")
    request = ServiceRequest.objects.get()
    assert request.channel == "email" and request.received_at == waiting.received_at
    expect(agent.locator("#attachments")).to_contain_text("现场.png")
    agent.goto("/mail/")
    expect(agent.locator("#mails")).to_contain_text("没有待分拣的邮件")
