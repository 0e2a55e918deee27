"""扫码报修 (issue 15 item 5): a unit's QR code opens a page anyone on site may use
without an account; it shows the model and nothing else of the unit, takes a report
into the normal intake on the ``qr`` channel, and is bounded against floods. The label
sheet prints codes that read back as the unit's link.

Rules: R-SR-1 (intake channels), R-SR-3 (the limits start), R-CUS-3 (the unit).
"""

import subprocess

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from tests import factories

from aftersales.common.models import Attachment
from aftersales.common.tests.test_attachments import png
from aftersales.portal.qr import report_url
from aftersales.service.models import ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()


def _report(client, unit, **fields):
    return client.post(
        f"/q/{unit.report_token}/",
        {
            "caller_name": "值班员小李",
            "caller_phone": "13700001111",
            "description": "报警灯常亮",
            **fields,
        },
    )


def test_the_page_shows_the_model_only_and_needs_no_account(client, company_a):
    unit = company_a.equipment
    html = client.get(f"/q/{unit.report_token}/").content.decode()
    assert unit.product_model.name in html
    assert unit.serial_number not in html and company_a.customer.name not in html
    assert 'href="/' not in html.replace('href="/static', "")  # no way into the site
    assert client.get("/q/not-a-real-key/").status_code == 404
    assert client.get(f"/q/{unit.serial_number}/").status_code == 404  # the serial opens nothing


def test_a_report_enters_the_intake_on_the_qr_channel_with_its_photo(client, company_a):
    unit = company_a.equipment
    answer = _report(
        client, unit, photos=[SimpleUploadedFile("lamp.png", png(), content_type="image/png")]
    )
    assert answer.status_code == 200 and 'id="scan-thanks"' in answer.content.decode()
    made = ServiceRequest.objects.get()
    assert (made.channel, made.customer, made.equipment) == ("qr", company_a.customer, unit)
    assert made.number in answer.content.decode()
    assert made.obligations.filter(rule="SR.REPLY", state="running").exists()
    assert Attachment.objects.filter(object_id=made.pk, uploaded_by__isnull=True).count() == 1


def test_bad_input_is_refused_at_the_field_and_nothing_is_made(client, company_a):
    answer = _report(client, company_a.equipment, caller_phone="打我电话", description="")
    assert answer.status_code == 400 and answer.content.decode().count("field-error") == 2
    assert not ServiceRequest.objects.exists()


def test_a_robot_filling_the_hidden_field_makes_nothing(client, company_a):
    answer = _report(client, company_a.equipment, website="http://spam.example")
    assert answer.status_code == 200 and not ServiceRequest.objects.exists()


def test_reports_through_one_code_are_bounded_per_hour(client, company_a):
    unit = company_a.equipment
    for n in range(3):
        assert _report(client, unit, caller_phone=f"1370000{n:04d}").status_code == 200
    busy = _report(client, unit, caller_phone="13700009999")
    assert busy.status_code == 429 and 'id="scan-busy"' in busy.content.decode()
    assert (
        ServiceRequest.objects.count()
        + ServiceRequest.objects.get(caller_phone="13700000000").calls.count()
        >= 1
    )
    assert not ServiceRequest.objects.filter(caller_phone="13700009999").exists()


def test_a_refused_report_does_not_use_the_allowance_and_the_count_is_shared(
    client, company_a, settings
):
    unit = company_a.equipment
    for _n in range(4):
        assert _report(client, unit, description="").status_code == 400
    assert _report(client, unit, caller_phone="13700000001").status_code == 200
    # Every worker and node counts in one place (the database's cache table, or Redis).
    assert settings.CACHES["default"]["BACKEND"].endswith(("DatabaseCache", "RedisCache"))


def test_the_busy_page_gives_the_hotline(client, company_a, settings):
    settings.SERVICE_HOTLINE = "400-800-1234"
    unit = company_a.equipment
    for n in range(3):
        _report(client, unit, caller_phone=f"1370000{n:04d}")
    busy = _report(client, unit, caller_phone="13700009999").content.decode()
    assert 'href="tel:400-800-1234"' in busy


def test_one_address_cannot_flood_many_codes(client, company_a):
    units = [factories.make_equipment(company_a.customer, serial_number=f"Q-{n}") for n in range(6)]
    answers = [_report(client, unit).status_code for unit in units]
    assert answers == [200] * 5 + [429]


@pytest.mark.pdf
def test_the_label_sheet_prints_codes_that_read_back_as_the_units_links(
    page, users, company_a, company_b, tmp_path
):
    second = factories.make_equipment(company_a.customer, serial_number="A-0002")
    sheet = page(users.agent).get(f"/qr-labels/{company_a.customer.pk}/")
    assert sheet.status_code == 200 and sheet["Content-Type"] == "application/pdf"
    (tmp_path / "labels.pdf").write_bytes(sheet.content)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(tmp_path / "labels.pdf"), str(tmp_path / "p")],
        check=True,
    )
    [image] = sorted(tmp_path.glob("p*.png"))
    read = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(read) == sorted([report_url(company_a.equipment), report_url(second)])
    text = factories.poppler("pdftotext", sheet.content).decode()
    assert "扫码报修" in text and "A-0002" in text
    # The customer's own contact prints theirs; another company's are not found.
    assert page(company_a.user).get(f"/qr-labels/{company_a.customer.pk}/").status_code == 200
    assert page(company_b.user).get(f"/qr-labels/{company_a.customer.pk}/").status_code == 404
    assert page(users.nobody).get(f"/qr-labels/{company_a.customer.pk}/").status_code == 404


def test_the_unit_page_shows_its_code(page, users, company_a):
    html = page(users.agent).get(f"/equipment/{company_a.equipment.pk}/").content.decode()
    assert 'id="scan-code"' in html and "data:image/svg+xml" in html
