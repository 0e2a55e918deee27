"""What people call each time limit. Code speaks of a rule by its code (policies.md);
people read its name, in their language (rule codes never appear on a page)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RULE_NAMES = {
    "SR.REPLY": _("First reply"),
    "SR.RESPOND": _("Response with a plan"),
    "SR.ARRIVE": _("Arrival on site"),
    "SR.SPARE": _("Spare or backup unit on site"),
    "SR.RESOLVE": _("Fault cleared and confirmed"),
    "SR.REPEAT": _("Repeat-repair window"),
    "SR.QUOTE": _("Quote to the customer"),
    "WO.PAPERS": _("Signed work order handed in"),
    "WO.FAULT_REPORT": _("Fault analysis report"),
    "WO.FILE": _("Service record filed"),
    "SP.BACKUP_RETURN": _("Backup unit returned"),
    "DEPOT.REPAIR": _("Depot repair"),
    "FB.RETURN_VISIT": _("Return visit"),
    "FB.TRANSFER": _("Answer to a transferred problem"),
    "FB.FOLLOW_UP": _("Follow-up of a low score"),
    "FB.SURVEY_LINK": _("Survey link valid"),
    "FB.RETRY": _("Call again"),
    "CP.CONTACT": _("Contact the complainant"),
    "CP.TRANSFER": _("Hand to the responsible person"),
    "CP.INVESTIGATE": _("Start the investigation"),
    "CP.OPINION": _("First handling opinion"),
    "CP.PROPOSAL": _("Handling proposal"),
    "CP.PROGRESS": _("Progress on the complaint"),
    "CP.MAJOR_OPINION": _("Handling group's opinion"),
    "CP.CAPA": _("Corrective action done"),
    "CP.EXTERNAL": _("Answer to the external body"),
    "CP.FOLLOW_UP": _("Follow-up after the remedy"),
    "RT.WINDOW": _("Return window"),
    "RT.DECIDE": _("Return decided"),
    "PM.REPORT": _("Inspection report"),
    "PM.COMMISSION": _("Commissioning"),
    "OP.ASSEMBLE": _("Managers assembled"),
    "OP.GM_REPORT": _("Written report to the general manager"),
    "RC.NOTIFY": _("Customers told of the recall"),
}


def rule_name(code: str) -> str:
    """The rule's name; an unknown code (a rule added without a name) shows as is."""
    return str(RULE_NAMES.get(code, code))
