"""A signature is a real, non-blank PNG of a sane size, kept with a digest of what was
signed; a later change to the record is shown on the page and the PDF, and completion
waits for a new signature (issue 14 item 6; 电子签名法 第十三条).

Rules: R-WO-3 (双方签字确认)."""

import base64
import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from tests import factories

from aftersales.common import pdf
from aftersales.common.signatures import check_signature
from aftersales.service import printing, work_orders


def _png_url(image: Image.Image, fmt: str = "PNG") -> str:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


BAD = {
    "not base64": "data:image/png;base64,@@@@",
    "not a PNG": "data:image/png;base64," + base64.b64encode(b"GIF89a-not-really").decode(),
    "a JPEG": _png_url(Image.new("RGB", (200, 80), "black"), fmt="JPEG"),
    "blank": _png_url(Image.new("RGBA", (240, 90), (0, 0, 0, 0))),
    "white": _png_url(Image.new("RGB", (240, 90), "white")),
    "a dot": _png_url(Image.new("RGBA", (1, 1), (0, 0, 0, 255))),
    "huge": _png_url(Image.new("L", (5000, 50), 0)),
    "no prefix": "javascript:alert(1)",
}


@pytest.mark.parametrize("name", list(BAD))
def test_what_is_not_a_drawn_signature_is_refused(name):
    with pytest.raises(ValidationError) as refused:
        check_signature(BAD[name])
    assert "signature" in refused.value.message_dict
    assert pdf.png_from_data_url(BAD["not a PNG"]) is None  # a print never embeds it


@pytest.fixture
def order(users, company_a):
    request = factories.make_request(company_a.customer, actor=users.agent)
    made = work_orders.work_order_create(
        actor=users.manager, service_request=request, technician=users.tech
    )
    work_orders.work_order_arrive(actor=users.tech, work_order=made)
    work_orders.work_order_record(
        actor=users.tech,
        work_order=made,
        work_done="更换电源",
        diagnosis="hardware",
        result="fixed",
    )
    return made


def test_a_fake_signature_completes_nothing(page, users, order):
    for data_url in (BAD["not base64"], BAD["blank"]):
        page(users.tech).post(
            f"/work-orders/{order.pk}/",
            {"step": "sign", "signer": "customer", "signature": data_url, "signed_by": "刘"},
        )
    order.refresh_from_db()
    assert order.signature == "" and order.signed_at is None


def test_a_change_after_signing_is_shown_and_completion_waits_for_a_new_signature(
    page, users, order
):
    work_orders.work_order_sign(
        actor=users.tech, work_order=order, signature=factories.SIGNATURE, signed_by="刘建国"
    )
    work_orders.work_order_sign(
        actor=users.tech, work_order=order, signature=factories.SIGNATURE, signer="technician"
    )
    order.refresh_from_db()
    assert len(order.signature_digest) == 64 and order.technician_signature_digest
    assert work_orders.changed_since_signed(order) == []
    assert 'id="tampered"' not in page(users.tech).get(f"/work-orders/{order.pk}/").content.decode()
    # The record is changed after both signed: both signatures are now stale.
    work_orders.work_order_record(
        actor=users.tech,
        work_order=order,
        work_done="更换电源和主板",
        diagnosis="hardware",
        result="fixed",
    )
    order.refresh_from_db()
    assert work_orders.changed_since_signed(order) == ["customer", "technician"]
    html = page(users.manager).get(f"/work-orders/{order.pk}/").content.decode()
    assert 'id="tampered"' in html and 'data-stale="customer"' in html
    printed = printing.work_order_pdf(order)
    assert printed.startswith(b"%PDF-")
    assert "signature" in work_orders.missing_for_completion(order)
    # Signed again, the record is whole.
    work_orders.work_order_sign(
        actor=users.tech, work_order=order, signature=factories.SIGNATURE, signed_by="刘建国"
    )
    work_orders.work_order_sign(
        actor=users.tech, work_order=order, signature=factories.SIGNATURE, signer="technician"
    )
    order.refresh_from_db()
    assert work_orders.changed_since_signed(order) == []


def test_a_stored_signature_the_pdf_cannot_read_prints_an_empty_box(users, order):
    """Kept before the checks existed: the PDF still prints (an empty box, no failure)."""
    order.signature, order.signed_by = BAD["not a PNG"], "刘"
    order.save(update_fields=["signature", "signed_by"])
    assert printing.work_order_pdf(order).startswith(b"%PDF-")
