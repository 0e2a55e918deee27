import contextlib
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from aftersales.customers.models import Equipment
from tests import factories


def test_an_agent_creates_a_customer_and_equipment_and_sees_the_badge(open_page, users):
    factories.make_product_model("HX-NVR-6400", name="网络硬盘录像机")
    page = open_page(users.agent)
    page.click("#areas [data-area=customers]")  # from the home's list of everything
    page.click("text=新建客户")
    page.fill("#id_name", "浏览器测试有限公司")
    page.fill("#id_region", "华东")
    page.click("button:has-text('保存')")
    expect(page.locator("h1")).to_contain_text("浏览器测试有限公司")

    page.click("text=新增设备")
    page.fill("#id_serial_number", "BRW-0001")
    page.select_option("#id_product_model", label="HX-NVR-6400 网络硬盘录像机")
    today = timezone.localdate()
    page.fill("#id_delivered_on", str(today - dt.timedelta(days=20)))
    page.fill("#id_accepted_on", str(today - dt.timedelta(days=10)))
    page.fill("#id_warranty_months", "12")
    page.click("button:has-text('保存')")
    expect(page.locator("h1")).to_contain_text("BRW-0001")
    expect(page.locator("[data-warranty]")).to_have_text("保修期内")
    assert Equipment.objects.get(serial_number="BRW-0001").customer.name == "浏览器测试有限公司"


def test_a_form_error_shows_next_to_its_field_in_the_browser(open_page, users, company_a):
    page = open_page(users.agent)
    page.goto("/equipment/new/")
    page.fill("#id_serial_number", "A-0001")
    page.select_option("#id_customer", str(company_a.customer.pk))
    page.select_option("#id_product_model", index=1)
    page.fill("#id_delivered_on", "2026-02-01")
    page.fill("#id_accepted_on", "2026-01-01")
    page.click("button:has-text('保存')")
    expect(page.locator("[data-field=accepted_on] .field-error")).to_contain_text(
        "不能早于交货日期"
    )
    expect(page.locator("[data-field=serial_number] .field-error")).to_be_visible()


def test_a_customer_cannot_open_another_companys_equipment(open_page, company_a, company_b):
    page = open_page(company_a.user)
    response = page.goto(f"/equipment/{company_b.equipment.pk}/")
    assert response.status == 404
    response = page.goto(f"/equipment/{company_a.equipment.pk}/")
    assert response.status == 200
    expect(page.locator("h1")).to_contain_text("A-0001")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/customers/",
        "/customers/{c}/",
        "/equipment/",
        "/equipment/{e}/",
        "/equipment/new/",
        "/product-models/",
        "/product-models/{m}/",
        "/accounts/me/",
        "/calendars/",
        "/calendars/standard/",
        "/calendars/calculator/",
        "/time-limits/",
        "/time-limits/policies/",
        "/notifications/",
        "/service-requests/",
        "/dispatch/",
        "/parts/",
        "/parts/backups/",
        "/parts/tool-kits/",
        "/parts/reconciliation/",
        "/parts/count/",
        "/depot/",
        "/returns/",
        "/returns/unpacking/",
        "/complaints/",
        "/complaints/new/",
        "/complaints/review/",
        "/complaints/windows/",
        "/visits/",
        "/visits/issues/",
        "/surveys/",
        "/surveys/new/",
        "/surveys/analysis/",
    ],
)
def test_pages_fit_a_phone_screen(open_page, users, company_a, path):
    page = open_page(users.manager, width=390, height=844)
    page.goto(
        path.format(
            c=company_a.customer.pk,
            e=company_a.equipment.pk,
            m=company_a.equipment.product_model_id,
        )
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than the screen"
    expect(page.locator(".navbar-toggler")).to_be_visible()


def test_the_menu_opens_on_a_phone(open_page, users):
    page = open_page(users.agent, width=390, height=844)
    page.click(".navbar-toggler")
    page.locator("#mainnav").get_by_role("link", name="设备", exact=True).click()
    expect(page.locator("h1")).to_have_text("设备")


def test_the_login_page_fits_a_phone_screen(open_page):
    page = open_page(width=390, height=844)
    page.goto("/accounts/login/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("h1")).to_have_text("登录")


def test_switching_to_english_and_back(open_page, users):
    page = open_page(users.agent)
    page.click("footer button[lang=en]")
    expect(page.locator("h1")).to_contain_text("Hello")
    page.click("footer button[lang=zh-hans]")
    expect(page.locator("h1")).to_contain_text("您好")


def test_the_api_docs_render_offline(open_page, users):
    page = open_page(users.agent)
    page.goto("/api/docs/")
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=15_000)
    # Swagger UI renders the operations as they are scrolled to: scroll down to one.
    wanted = page.get_by_text("/api/v1/equipment/", exact=True)
    for _step in range(60):
        if wanted.count():
            break
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(100)
    expect(wanted.first).to_be_visible()


def test_the_deadline_calculator_on_a_phone(open_page, users):
    page = open_page(users.agent, width=390, height=844)
    page.goto("/calendars/calculator/")
    page.select_option("#id_calendar", "standard")
    page.fill("#id_start", "2026-09-18T16:00")
    page.fill("#id_amount", "8")
    page.select_option("#id_unit", "working_hours")
    page.click("button:has-text('计算')")
    expect(page.locator("#due")).to_contain_text("2026-09-20 16:00")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_manager_adds_a_company_day_off_on_the_calendar_page(open_page, users):
    page = open_page(users.manager)
    page.goto("/calendars/standard/?year=2026")
    page.fill("#id_date", "2026-09-21")
    page.select_option("#id_kind", "day_off")
    page.fill("#id_name", "公司年会")
    page.click("button:has-text('添加')")
    expect(page.locator('tr[data-date="2026-09-21"]')).to_contain_text("公司年会")


def test_pages_run_under_a_content_security_policy(open_page, users):
    """Item 11: an injected inline script does not run; our own pages need none (every
    browser test fails on a blocked script, see conftest)."""
    page = open_page(users.agent)
    response = page.goto("/service-requests/new/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "no-store" in response.headers["cache-control"]
    with contextlib.suppress(PlaywrightError):  # Playwright may report the blocked tag
        page.add_script_tag(content="document.body.dataset.injected = '1'")
    assert page.evaluate("document.body.dataset.injected") is None
    assert any("Content Security Policy" in text for text in open_page.refused)
    open_page.refused.clear()
