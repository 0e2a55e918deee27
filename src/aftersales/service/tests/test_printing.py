"""The printable work order: a real PDF, read back with poppler (text, fonts, image).

Rules: R-WO-3 (the printed order), R-WO-7 (the signed record).
"""

import base64
import datetime as dt
import io
import os
import re
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image, ImageDraw
from tests import factories
from tests.factories import poppler

from aftersales.common import pdf
from aftersales.service import service_requests, work_orders
from aftersales.service.printing import work_order_pdf

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 9, 21, 10, 0, tzinfo=SH)


def drawn_signature(width=300, height=120):
    """A PNG data URL like the pad's: dark strokes on transparent ground."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(20, 80), (80, 30), (140, 90), (200, 40), (280, 70)], fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def order(users, company_a):
    with time_machine.travel(NOW, tick=False):
        request = factories.make_request(
            company_a.customer,
            actor=users.agent,
            serial_number="A-0001",
            severity="P2",
            description="网络硬盘录像机无法开机，指示灯不亮",
        )
        service_requests.service_request_go_onsite(actor=users.manager, request=request)
        made = work_orders.work_order_create(
            actor=users.manager, service_request=request, technician=users.tech
        )
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        factories.finish_visit(
            made,
            work_done="更换电源模块，通电测试 30 分钟正常",
            parts_used="电源模块 PS-200 × 1",
            signature=drawn_signature(),
        )
    made.refresh_from_db()
    return made


@pytest.mark.pdf
def test_the_printed_order_carries_number_visit_result_and_signature_in_chinese(order):
    content = work_order_pdf(order)
    assert content.startswith(b"%PDF-")
    text = poppler("pdftotext", content, "-layout").decode()
    for expected in [
        "维修单",
        "WX-2026-000001",
        "BX-2026-000001",
        "甲公司",
        "A-0001",
        "网络硬盘录像机无法开机",
        "更换电源模块",
        "电源模块 PS-200",
        "刘建国",
        "2026-09-21 13:00",  # arrival and signature, on the Shanghai clock
    ]:
        assert expected in text, expected
    fonts = poppler("pdffonts", content).decode()
    assert "CJK" in fonts and " yes yes yes " in fonts  # embedded, subset, with a Unicode map
    listed = [row.split() for row in poppler("pdfimages", content, "-list").decode().splitlines()]
    images = [row for row in listed[2:] if row[2] == "image"]  # the drawn strokes' mask aside
    # The customer's drawn signature and, beside it, the technician's (a 1-pixel PNG here).
    assert [row[3:5] for row in images] == [["300", "120"], ["240", "90"]]
    assert "维修人员签字" in text


@pytest.mark.pdf
def test_the_printed_page_turns_into_a_picture_with_ink_on_it(order, tmp_path):
    """Set ``KEEP_PDF=dir`` to keep the PDF and its picture for a look by eye."""
    keep = os.environ.get("KEEP_PDF")
    tmp_path = Path(keep) if keep else tmp_path
    path = tmp_path / "order.pdf"
    path.write_bytes(work_order_pdf(order))
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    with Image.open(pages[0]) as page:
        grey = page.convert("L")
        dark = sum(grey.histogram()[:128])
        assert grey.size[0] < grey.size[1]  # A4 portrait
        assert dark > 2000  # text, grid and signature, not an empty page


@pytest.mark.pdf
def test_a_voided_order_prints_void_with_its_reason(users, order):
    spare = work_orders.work_order_create(
        actor=users.manager, service_request=order.service_request, technician=users.tech
    )
    work_orders.work_order_void(actor=users.manager, work_order=spare, reason="客户地址写错")
    spare.refresh_from_db()
    text = poppler("pdftotext", work_order_pdf(spare)).decode()
    assert "作废：客户地址写错" in text and "尚未签字" in text
    assert re.search(r"作废时间：20\d\d-\d\d-\d\d \d\d:\d\d", text), text  # not broken apart


@pytest.mark.pdf
def test_the_page_and_the_api_serve_the_pdf_to_who_may_see_the_order(
    page, api, users, company_a, company_b, order
):
    url = f"/work-orders/{order.pk}/pdf/"
    response = page(users.tech).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="WX-2026-000001.pdf"' in response["Content-Disposition"]
    # The customer gets their own signed record; another company does not.
    assert page(company_a.user).get(url).status_code == 200
    assert page(company_b.user).get(url).status_code == 404
    other_tech = factories.make_user("tech9", "technician")
    assert page(other_tech).get(url).status_code == 404
    assert page(users.nobody).get(url).status_code == 404
    api_url = f"/api/v1/work-orders/{order.pk}/pdf/"
    response = api(users.manager).get(api_url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert api(users.manager).get(api_url).content.startswith(b"%PDF-")
    assert api(company_b.user).get(api_url).status_code in (403, 404)
    assert api(other_tech).get(api_url, HTTP_ACCEPT="application/pdf").status_code == 404


def test_without_a_chinese_font_printing_says_so_instead_of_failing(
    page, api, users, order, settings
):
    settings.PDF_FONT = "/nonexistent/font.ttc"
    pdf.chinese_font.cache_clear()
    try:
        response = page(users.manager).get(f"/work-orders/{order.pk}/pdf/")
        assert response.status_code == 503
        assert "fonts-noto-cjk" in response.content.decode()
        response = api(users.manager).get(f"/api/v1/work-orders/{order.pk}/pdf/")
        assert response.status_code == 503 and "detail" in response.json()
    finally:
        pdf.chinese_font.cache_clear()


def test_a_signature_that_is_not_a_png_data_url_is_not_printed():
    assert pdf.png_from_data_url("data:image/png;base64,@@@") is None
    assert pdf.png_from_data_url("javascript:alert(1)") is None
    assert pdf.png_from_data_url(factories.SIGNATURE).startswith(b"\x89PNG")
