"""The inspection report (巡检报告, R-PM-2, R-RP-2) in Chinese: the unit, every item as
found, the findings and advice, and both signatures."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from aftersales.common.pdf import local_time, signed_by_both
from aftersales.maintenance.inspections import changed_since_signed
from aftersales.maintenance.models import Inspection
from aftersales.service.printing import _paper


def _measured(row: object) -> str:
    value = getattr(row, "measurement", None)
    if value is None:
        return ""
    item = row.item  # type: ignore[attr-defined]
    text = f"{value.normalize():f} {item.unit}".strip()
    return f"{text}（{item.range_text}）" if item.range_text else text


def inspection_pdf(inspection: Inspection) -> bytes:
    equipment = inspection.equipment
    site = equipment.site
    title = _("Inspection report") if inspection.reported_at else _("Inspection record")
    doc = _paper(title, inspection.number)
    doc.fields(
        [
            [
                (_("Customer"), str(inspection.customer)),
                (_("Address"), site.address if site else ""),
            ],
            [
                (_("Model"), str(equipment.product_model)),
                (_("Serial number"), equipment.serial_number),
            ],
            [
                (
                    _("Technician"),
                    inspection.technician.get_full_name() or str(inspection.technician),
                ),
                (_("Checklist"), str(inspection.template)),
            ],
            [
                (_("Started at"), local_time(inspection.started_at)),
                (_("Finished at"), local_time(inspection.finished_at)),
            ],
        ]
    )
    doc.ln(3)
    rows = inspection.items.select_related("item", "service_request")
    doc.grid(
        [
            _("Item"),
            _("What to do"),
            pgettext("inspection", "Result"),
            _("Measurement"),
            _("Remark"),
        ],
        [
            [
                row.item.code,
                row.item.text,
                ("⚠ " if row.flagged else "") + row.get_result_display(),
                _measured(row),
                " ".join(
                    x
                    for x in (
                        row.remark,
                        _("→ service request %(n)s") % {"n": row.service_request.number}
                        if row.service_request
                        else "",
                    )
                    if x
                ),
            ]
            for row in rows
        ],
        (12, 70, 22, 36, 50),
    )
    doc.ln(3)
    doc.fields(
        [
            [(_("Findings"), inspection.findings or "—")],
            [(_("Advice on upgrade, modification or replacement"), inspection.advice or "—")],
            [(_("Report issued at"), local_time(inspection.reported_at))],
        ]
    )
    doc.ln(4)
    technician = inspection.technician
    signed_by_both(
        doc,
        stale=bool(changed_since_signed(inspection)),
        customer=(
            inspection.customer_signature,
            inspection.customer_signed_by,
            inspection.customer_signed_at,
        ),
        technician=(
            inspection.technician_signature,
            technician.get_full_name() or technician.username,
            inspection.technician_signed_at,
        ),
    )
    return doc.content()
