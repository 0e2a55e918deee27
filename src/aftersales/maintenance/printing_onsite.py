"""The acceptance of an installation (安装调试验收单) and the training summary report
(培训总结报告), in Chinese, each signed by both sides (R-RP-2)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from aftersales.common.pdf import local_time, signed_by_both
from aftersales.maintenance import installations, training, upgrades
from aftersales.maintenance.models import Installation, TrainingSession, Upgrade
from aftersales.service.printing import _paper


def installation_pdf(item: Installation) -> bytes:
    unit = item.equipment
    doc = _paper(_("Installation and commissioning acceptance"), item.number)
    unpacked = item.unpacking
    doc.fields(
        [
            [
                (_("Customer"), str(item.customer)),
                (_("Address"), unit.site.address if unit.site else ""),
            ],
            [(_("Model"), str(unit.product_model)), (_("Serial number"), unit.serial_number)],
            [
                (_("Installer"), item.installer.get_full_name() or item.installer.username),
                (_("Customer's contact"), f"{item.contact_name} {item.contact_phone}"),
            ],
            [
                (_("Called ahead at"), local_time(item.called_at)),
                (_("Arrived on site at"), local_time(item.delivered_at)),
            ],
            [
                (
                    _("Unpacking inspection"),
                    unpacked.get_outcome_display() if unpacked else "—",
                ),
                (_("Commissioned at"), local_time(item.commissioned_at)),
            ],
            [(_("Commissioning and tests"), item.commissioning or "—")],
            [(_("Accepted on"), item.accepted_on.isoformat() if item.accepted_on else "—")],
        ]
    )
    doc.ln(4)
    signed_by_both(
        doc,
        stale=bool(installations.changed_since_signed(item)),
        customer=(item.customer_signature, item.customer_signed_by, item.customer_signed_at),
        technician=(
            item.technician_signature,
            item.installer.get_full_name() or item.installer.username,
            item.technician_signed_at,
        ),
        staff_label=_("Installer's signature"),
    )
    return doc.content()


def training_pdf(session: TrainingSession) -> bytes:
    doc = _paper(_("Training summary report"), session.number)
    trainer = session.trainer
    passed, scored = training.pass_rate(session)
    doc.fields(
        [
            [(_("Customer"), str(session.customer)), (_("Topic"), session.topic)],
            [
                (_("Trainer"), (trainer.get_full_name() or trainer.username) if trainer else ""),
                (_("Held at"), local_time(session.held_at)),
            ],
            [
                (pgettext("training", "Where"), session.place or "—"),
                (_("Pass mark"), str(session.pass_mark)),
            ],
            [
                (
                    _("Passed"),
                    _("%(passed)s of %(scored)s") % {"passed": passed, "scored": scored},
                ),
                (_("Report issued at"), local_time(session.reported_at)),
            ],
        ]
    )
    doc.ln(3)
    doc.grid(
        [
            pgettext("person", "Name"),
            _("Post"),
            _("Theory"),
            _("Practical"),
            pgettext("training", "Result"),
        ],
        [
            [
                a.name,
                a.post,
                "" if a.theory is None else str(a.theory),
                "" if a.practical is None else str(a.practical),
                {True: _("Passed"), False: _("Not passed"), None: "—"}[a.passed],
            ]
            for a in session.attendees.all()
        ],
        (40, 40, 30, 30, 50),
    )
    doc.ln(3)
    doc.fields([[(pgettext("training", "Summary"), session.summary or "—")]])
    doc.ln(4)
    signed_by_both(
        doc,
        stale=bool(training.changed_since_signed(session)),
        customer=(
            session.customer_signature,
            session.customer_signed_by,
            session.customer_signed_at,
        ),
        technician=(
            session.technician_signature,
            (trainer.get_full_name() or trainer.username) if trainer else "",
            session.technician_signed_at,
        ),
        staff_label=_("Trainer's signature"),
    )
    return doc.content()


def upgrade_pdf(item: Upgrade) -> bytes:
    unit = item.equipment
    technician = item.technician.get_full_name() or item.technician.username
    doc = _paper(_("Software upgrade record"), item.number)
    doc.fields(
        [
            [(_("Customer"), str(item.customer)), (_("Done at"), local_time(item.done_at))],
            [(_("Model"), str(unit.product_model)), (_("Serial number"), unit.serial_number)],
            [(_("Software"), item.software), (_("Technician"), technician)],
            [(_("From version"), item.from_version), (_("To version"), item.to_version)],
            [(_("What changed"), item.changes)],
        ]
    )
    doc.ln(4)
    signed_by_both(
        doc,
        stale=bool(upgrades.changed_since_signed(item)),
        customer=(item.customer_signature, item.customer_signed_by, item.customer_signed_at),
        technician=(item.technician_signature, technician, item.technician_signed_at),
    )
    return doc.content()
