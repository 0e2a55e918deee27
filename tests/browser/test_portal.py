"""The customer's whole path on a phone (issue 15): report a fault with a photo, follow
it, accept the quote, confirm the repair, answer the survey — at 390 pixels."""

import datetime as dt

from playwright.sync_api import expect

from aftersales.common.tests.test_attachments import png
from aftersales.feedback import surveys
from aftersales.feedback.tests.test_pages import publish
from aftersales.service import charges, service_requests
from aftersales.service.models import ServiceRequest
from tests import factories


def test_a_customer_reports_follows_accepts_confirms_and_answers_on_a_phone(
    open_page, users, company_a, tmp_path
):
    old = factories.make_equipment(
        company_a.customer,
        serial_number="OLD-7",
        accepted_on=dt.date(2020, 1, 1),
        warranty_months=12,
    )
    photo = tmp_path / "screen.png"
    photo.write_bytes(png(40, 30))
    phone = open_page(company_a.user, width=390, height=844)
    assert phone.url.endswith("/portal/")  # a customer lands on the portal
    phone.click("#report")
    phone.select_option("#id_equipment", str(old.pk))
    phone.check("input[name=severity][value=P3]")
    phone.fill("#id_description", "报警主机不工作")
    phone.set_input_files("#id_photos", str(photo))
    expect(phone.locator("#id_caller_name")).not_to_have_value("")
    phone.fill("#id_caller_phone", "13812345678")
    phone.click("#send-report")
    expect(phone.locator("#progress")).to_contain_text("已收到")
    expect(phone.locator("#photos img")).to_have_count(1)
    expect(phone.locator("body")).to_have_js_property("scrollWidth", 390)
    made = ServiceRequest.objects.get()
    assert made.channel == "web" and made.equipment == old

    charges.service_request_quote(actor=users.manager, request=made, amount=800)
    phone.goto("/portal/")
    phone.locator(f'[data-number="{made.number}"][data-yours="quote"]').click()
    expect(phone.locator("#quote")).to_contain_text("¥800")
    phone.click("#accept-quote")
    expect(phone.locator(".alert-success")).to_be_visible()
    made.refresh_from_db()
    assert made.quote_status == "accepted"

    service_requests.service_request_resolve(
        actor=users.manager, request=made, resolution="更换主板"
    )
    phone.reload()
    phone.click("#confirm-fixed")
    expect(phone.locator("#progress")).to_contain_text("已完成")

    question_set = publish(users)
    invitation, _token = surveys.invitation_create(
        actor=users.agent,
        question_set=question_set,
        customer=company_a.customer,
        to="",
        service_request=made,
    )
    phone.goto("/portal/")
    phone.locator(f'[data-survey="{invitation.pk}"]').click()
    for label in phone.locator("fieldset[data-question]").all():
        first = label.locator("input[type=radio]").first
        if first.count():
            first.check(force=True)
        else:
            label.locator("textarea").fill("很好")
    phone.locator("#survey button[type=submit]").click()
    expect(phone.locator(".alert-success")).to_contain_text("感谢")
    invitation.refresh_from_db()
    assert invitation.answered_at is not None


def test_anyone_at_the_unit_scans_its_code_and_reports_without_an_account(
    open_page, company_a, tmp_path
):
    from django.core.cache import cache

    cache.clear()
    unit = company_a.equipment
    photo = tmp_path / "lamp.png"
    photo.write_bytes(png(30, 30))
    phone = open_page(width=390, height=844)
    phone.goto(f"/q/{unit.report_token}/")
    expect(phone.locator("#unit-model")).to_contain_text(unit.product_model.name)
    expect(phone.locator("body")).not_to_contain_text(unit.serial_number)
    phone.fill("#id_caller_name", "值班员小李")
    phone.fill("#id_caller_phone", "13700001111")
    phone.fill("#id_description", "报警灯常亮")
    phone.set_input_files("#id_photos", str(photo))
    phone.click("#send-scan")
    expect(phone.locator("#scan-thanks")).to_contain_text("BX-")
    expect(phone.locator("body")).to_have_js_property("scrollWidth", 390)
    made = ServiceRequest.objects.get()
    assert made.channel == "qr" and made.equipment == unit
