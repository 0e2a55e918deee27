"""What people call each time limit. Code speaks of a rule by its code (policies.md);
people read its name, in their language (rule codes never appear on a page)."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

RULE_NAMES = {
    "SR.REPLY": pgettext_lazy("time limit", "First reply"),
    "SR.RESPOND": pgettext_lazy("time limit", "Response with a plan"),
    "SR.ARRIVE": pgettext_lazy("time limit", "Arrival on site"),
    "SR.SPARE": pgettext_lazy("time limit", "Spare or backup unit on site"),
    "SR.RESOLVE": pgettext_lazy("time limit", "Fault cleared and confirmed"),
    "SR.REPEAT": pgettext_lazy("time limit", "Repeat-repair window"),
    "SR.QUOTE": pgettext_lazy("time limit", "Quote to the customer"),
    "WO.PAPERS": pgettext_lazy("time limit", "Signed work order handed in"),
    "WO.FAULT_REPORT": pgettext_lazy("time limit", "Fault analysis report"),
    "WO.FILE": pgettext_lazy("time limit", "Service record filed"),
    "SP.BACKUP_RETURN": pgettext_lazy("time limit", "Backup unit returned"),
    "DEPOT.REPAIR": pgettext_lazy("time limit", "Depot repair"),
    "FB.RETURN_VISIT": pgettext_lazy("time limit", "Return visit"),
    "FB.TRANSFER": pgettext_lazy("time limit", "Answer to a transferred problem"),
    "FB.FOLLOW_UP": pgettext_lazy("time limit", "Follow-up of a low score"),
    "FB.SURVEY_LINK": pgettext_lazy("time limit", "Survey link valid"),
    "FB.RETRY": pgettext_lazy("time limit", "Call again"),
    "CP.CONTACT": pgettext_lazy("time limit", "Contact the complainant"),
    "CP.TRANSFER": pgettext_lazy("time limit", "Hand to the responsible person"),
    "CP.INVESTIGATE": pgettext_lazy("time limit", "Start the investigation"),
    "CP.OPINION": pgettext_lazy("time limit", "First handling opinion"),
    "CP.PROPOSAL": pgettext_lazy("time limit", "Handling proposal"),
    "CP.PROGRESS": pgettext_lazy("time limit", "Progress on the complaint"),
    "CP.MAJOR_OPINION": pgettext_lazy("time limit", "Handling group's opinion"),
    "CP.CAPA": pgettext_lazy("time limit", "Corrective action done"),
    "CP.EXTERNAL": pgettext_lazy("time limit", "Answer to the external body"),
    "CP.FOLLOW_UP": pgettext_lazy("time limit", "Follow-up after the remedy"),
    "RT.WINDOW": pgettext_lazy("time limit", "Return window"),
    "RT.DECIDE": pgettext_lazy("time limit", "Return decided"),
    "PM.REPORT": pgettext_lazy("time limit", "Inspection report"),
    "PM.COMMISSION": pgettext_lazy("time limit", "Commissioning"),
    "PM.OUTAGE": pgettext_lazy("time limit", "Short outage not counted"),
    "OP.ASSEMBLE": pgettext_lazy("time limit", "Managers assembled"),
    "OP.GM_REPORT": pgettext_lazy("time limit", "Written report to the general manager"),
    "RC.NOTIFY": pgettext_lazy("time limit", "Customers told of the recall"),
}


def rule_name(code: str) -> str:
    """The rule's name; an unknown code (a rule added without a name) shows as is."""
    return str(RULE_NAMES.get(code, code))
