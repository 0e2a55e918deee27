"""The default time limits and escalation ladder of spec/policies.md."""

from __future__ import annotations

from typing import Any

S, A = "standard", "24x7"
SR = ("P1", "P2", "P3", "CONSULT")

# rule: (what must happen, {severity: (amount, unit, calendar)}); "" = every severity
TABLE: dict[str, tuple[str, dict[str, tuple[int, str, str]]]] = {
    "SR.REPLY": (
        "first reply to the caller",
        {
            "P1": (10, "minutes", A),
            "P2": (10, "minutes", A),
            "P3": (30, "minutes", A),
            "CONSULT": (30, "minutes", A),
        },
    ),
    "SR.RESPOND": (
        "engineer contacts customer with a plan and arrival time",
        {
            "P1": (30, "minutes", A),
            "P2": (2, "hours", A),
            "P3": (4, "working_hours", S),
            "CONSULT": (8, "working_hours", S),
        },
    ),
    "SR.ARRIVE": (
        "technician on site (on-site requests only)",
        {"P1": (4, "hours", A), "P2": (12, "hours", A), "P3": (24, "hours", A)},
    ),
    "SR.SPARE": (
        "spare or backup unit on site when not fixable",
        {"P1": (4, "hours", A), "P2": (4, "hours", A), "P3": (2, "working_days", S)},
    ),
    "SR.RESOLVE": (
        "fault cleared and confirmed",
        {
            "P1": (24, "hours", A),
            "P2": (72, "hours", A),
            "P3": (5, "working_days", S),
            "CONSULT": (3, "working_days", S),
        },
    ),
    "SR.QUOTE": (
        "out-of-warranty price approved and sent",
        {
            "P1": (4, "working_hours", S),
            "P2": (4, "working_hours", S),
            "P3": (8, "working_hours", S),
        },
    ),
    "WO.PAPERS": (
        "signed work order (and delay analysis if unfinished) submitted",
        {s: (48, "hours", A) for s in ("P1", "P2", "P3")},
    ),
    "WO.FAULT_REPORT": (
        "fault analysis report after on-site repair",
        {"P1": (3, "working_days", S), "P2": (3, "working_days", S)},
    ),
    "WO.FILE": ("signed service record filed", {s: (5, "days", A) for s in ("P1", "P2", "P3")}),
    # Per 10 units: the service multiplies by ceil(n/10).
    "DEPOT.REPAIR": ("returned units repaired (per 10 units)", {"": (1, "working_days", S)}),
    "FB.RETURN_VISIT": (
        "return visit after a completed repair",
        {s: (3, "days", A) for s in ("P1", "P2", "P3")},
    ),
    "FB.TRANSFER": ("unsolved visit issue transferred and answered", {"": (24, "hours", A)}),
    "CP.CONTACT": ("contact the complainant", {"": (4, "hours", A)}),
    "CP.TRANSFER": ("hand to the responsible person", {"": (0, "same_working_day", S)}),
    "CP.INVESTIGATE": ("investigation started", {"": (8, "working_hours", S)}),
    "CP.OPINION": ("first handling opinion", {"": (3, "working_days", S)}),
    "CP.PROPOSAL": ("handling proposal after investigation", {"": (5, "working_days", S)}),
    "CP.PROGRESS": (
        "some recorded progress (else escalate to company head)",
        {"": (72, "hours", A)},
    ),
    "CP.MAJOR_OPINION": (
        "handling group opinion on a major complaint",
        {"": (8, "working_hours", S)},
    ),
    "CP.FOLLOW_UP": ("check with the customer that the remedy worked", {"": (7, "days", A)}),
    "RT.DECIDE": (
        "return/exchange approved or refused by the general manager",
        {"": (2, "working_days", S)},
    ),
    "PM.REPORT": ("inspection report delivered", {"": (3, "working_days", S)}),
    "OP.ASSEMBLE": ("managers assembled for an emergency", {"": (20, "minutes", A)}),
    "OP.GM_REPORT": ("written emergency report to the general manager", {"": (4, "hours", A)}),
    "RC.NOTIFY": ("every affected customer notified of a recall", {"": (1, "days", A)}),
}

# Rules whose breach goes to the top at once (policies.md: emergencies, and
# CP.PROGRESS "escalate to the company head").
AT_ONCE_TO_THE_TOP = {"OP.ASSEMBLE", "OP.GM_REPORT", "CP.PROGRESS"}


def ladder(rule: str, severity: str) -> list[tuple[int, str, int, str, str]]:
    """(step, role, delay amount, delay unit, delay calendar) for steps 2-4."""
    to_the_top = rule in AT_ONCE_TO_THE_TOP
    vp_at_once = to_the_top or severity == "P1"
    return [
        (2, "service_manager", 0, "hours", A),
        (3, "sales_vp", 0 if vp_at_once else 8, "working_hours", S),
        (4, "general_manager", 0 if to_the_top else 24, "hours", A),
    ]


def ensure_default_policies(policy_model: Any, step_model: Any, calendar_model: Any) -> None:
    """Load the table into an empty policy table (never over an administrator's edits)."""
    if policy_model.objects.exists():
        return
    calendars = {c.code: c for c in calendar_model.objects.filter(code__in=[S, A])}
    for rule, (description, rows) in TABLE.items():
        for severity, (amount, unit, calendar) in rows.items():
            policy = policy_model.objects.create(
                rule=rule,
                severity=severity,
                description=description,
                amount=amount,
                unit=unit,
                calendar=calendars[calendar],
            )
            step_model.objects.bulk_create(
                step_model(
                    policy=policy,
                    step=step,
                    role=role,
                    delay_amount=amount_,
                    delay_unit=unit_,
                    delay_calendar=calendars[cal],
                )
                for step, role, amount_, unit_, cal in ladder(rule, severity)
            )


def ensure_after_migrate(sender: Any, **kwargs: Any) -> None:
    if getattr(sender, "name", "") == "aftersales.obligations":
        from aftersales.calendars.models import Calendar
        from aftersales.obligations.models import EscalationStep, Policy

        ensure_default_policies(Policy, EscalationStep, Calendar)
