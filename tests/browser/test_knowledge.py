"""The knowledge base in the browser (issue 17 part 3): an agent taking a call sees the
matching article beside the intake form as they type the fault; a customer on a phone
finds it in the portal and answers "did this help?"."""

from playwright.sync_api import expect

from aftersales.knowledge import services
from tests import factories


def _published(users, model):
    article = services.article_create(
        actor=users.tech,
        title="录像机开机黑屏",
        symptom="开机后显示器黑屏，无信号输出",
        steps="检查 HDMI 线和显示器输入源，重新插拔后重启录像机。",
        product_models=[model],
        public=True,
    )
    services.article_submit(actor=users.tech, article=article)
    return services.article_publish(actor=users.techdept, article=article)


def test_an_agent_sees_the_fix_while_typing_the_fault(open_page, users, company_a):
    article = _published(users, factories.make_product_model("HX-NVR-6400"))
    agent = open_page(users.agent)
    agent.goto("/service-requests/new/")
    expect(agent.locator("#suggestions")).to_be_attached()
    expect(agent.locator("#suggested")).to_have_count(0)
    agent.fill("#id_description", "客户说录像机开机就黑屏")
    suggestion = agent.locator(f'#suggested [data-article="{article.pk}"]')
    expect(suggestion).to_be_visible()
    expect(suggestion.locator("mark", has_text="黑屏").first).to_be_visible()  # highlighted
    expect(suggestion).to_have_attribute("target", "_blank")  # the form keeps what was typed
    agent.fill("#id_description", "冰箱不制冷")
    expect(agent.locator("#suggested-none")).to_be_visible()


def test_a_customer_helps_themselves_on_a_phone(open_page, users, company_a):
    article = _published(users, factories.make_product_model("HX-NVR-6400"))
    phone = open_page(company_a.user, width=390, height=844)
    phone.goto("/portal/help/")
    phone.fill("input[name=q]", "黑屏")
    phone.keyboard.press("Enter")
    phone.click(f'#results [data-article="{article.pk}"]')
    expect(phone.locator("#steps")).to_contain_text("HDMI")
    phone.click("#helped")
    expect(phone.locator("#vote")).to_contain_text("有帮助")
    article.refresh_from_db()
    assert article.helpful_yes == 1
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
