"""The emergency's closing report (信息终报, 001 十三 3.3) in Chinese: the facts as
reported, who was alerted and when each arrived, the written report, the whole log,
and the summary with its evaluation."""

from __future__ import annotations

from django.utils.translation import gettext as _

from aftersales.common.pdf import local_time
from aftersales.operations.models import Incident
from aftersales.service.printing import _paper


def incident_pdf(incident: Incident) -> bytes:
    title = _("Emergency report") if incident.closed_at is None else _("Emergency closing report")
    doc = _paper(title, incident.number)
    doc.fields(
        [
            [(_("Nature of the incident"), incident.nature), (_("Place"), incident.place)],
            [
                (_("Happened at"), local_time(incident.occurred_at)),
                (_("Reported to us at"), local_time(incident.reported_at)),
            ],
            [(_("Casualties"), incident.casualties), (_("Property loss"), incident.property_loss)],
            [
                (_("Reporting unit or person"), incident.reporter),
                (_("Their contact"), incident.reporter_contact),
            ],
            [
                (_("Recorded by"), str(incident.recorded_by or "")),
                (_("Status"), incident.get_status_display()),
            ],
            [
                (_("Reviewed by"), str(incident.reviewed_by or "")),
                (_("Reported to the general manager at"), local_time(incident.reported_to_gm_at)),
            ],
        ]
    )
    doc.ln(3)
    doc.subheading(_("Managers alerted"))
    doc.grid(
        [_("Manager"), _("Alerted at"), _("Arrived at"), _("Minutes")],
        [
            [
                str(r.person),
                local_time(r.alerted_at),
                local_time(r.arrived_at) if r.arrived_at else _("not arrived"),
                str(int((r.arrived_at - r.alerted_at).total_seconds() // 60))
                if r.arrived_at
                else "—",
            ]
            for r in incident.responders.select_related("person")
        ],
        (40, 50, 50, 20),
    )
    doc.ln(3)
    doc.fields(
        [
            [(_("Progress of the response"), incident.progress)],
            [(_("Written report"), incident.report)],
            [(_("Closing summary and evaluation"), incident.summary)],
        ]
    )
    doc.ln(3)
    doc.subheading(_("Log"))
    doc.grid(
        [_("At"), _("What"), _("What happened"), _("By")],
        [
            [local_time(e.at), e.get_kind_display(), e.text, str(e.actor or "")]
            for e in incident.entries.select_related("actor")
        ],
        (32, 24, 104, 20),
    )
    return doc.content()
