"""扫码报修: each unit's QR code and the sheet of labels to stick on a customer's units.
The code holds only the unit's random key as a link; the page it opens shows the model
and takes a report, nothing more."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from aftersales.common.pdf import Document

# A4 in three columns of seven labels (70 × 42 mm, the common sticker sheet).
COLUMNS, ROWS = 3, 7
LABEL_W, LABEL_H = 70.0, 42.0
QR_MM = 30.0


def report_url(unit: Any) -> str:
    return f"{settings.PUBLIC_URL}{reverse('scan', args=[unit.report_token])}"


def svg_data_uri(url: str) -> str:
    """The code as an inline image (the page's policy allows data: images)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def labels_pdf(units: list[Any], hotline: str = "") -> bytes:
    """One label per unit: its code, model and serial, and how to use it."""
    doc = Document(_("QR labels for fault reports"))
    doc.set_auto_page_break(auto=False)
    left = (210 - COLUMNS * LABEL_W) / 2
    top = (297 - ROWS * LABEL_H) / 2
    for n, unit in enumerate(units):
        if n and n % (COLUMNS * ROWS) == 0:
            doc.add_page()
        column, row = n % COLUMNS, (n // COLUMNS) % ROWS
        x, y = left + column * LABEL_W, top + row * LABEL_H
        doc.set_draw_color(200)
        doc.rect(x, y, LABEL_W, LABEL_H)
        doc.image(io.BytesIO(png(report_url(unit))), x=x + 2, y=y + 6, w=QR_MM, h=QR_MM)
        doc.set_xy(x + QR_MM + 3, y + 5)
        doc.set_font("cjk", size=11)
        doc.multi_cell(LABEL_W - QR_MM - 5, 5, _("Scan to report a fault"))
        doc.set_font("cjk", size=8)
        doc.set_x(x + QR_MM + 3)
        doc.multi_cell(LABEL_W - QR_MM - 5, 4, unit.product_model.name)
        doc.set_x(x + QR_MM + 3)
        doc.multi_cell(LABEL_W - QR_MM - 5, 4, unit.serial_number)
        if hotline:
            doc.set_x(x + QR_MM + 3)
            doc.multi_cell(LABEL_W - QR_MM - 5, 4, _("Hotline %(phone)s") % {"phone": hotline})
        doc.set_font("cjk", size=10)
    return doc.content()
