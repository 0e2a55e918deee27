"""The default time limits and escalation ladder of spec/policies.md (the
descriptions are data, in Chinese like the rest of what users read)."""

from __future__ import annotations

from typing import Any

S, A = "standard", "24x7"
SR = ("P1", "P2", "P3", "CONSULT")

# rule: (what must happen, {severity: (amount, unit, calendar)}); "" = every severity
TABLE: dict[str, tuple[str, dict[str, tuple[int, str, str]]]] = {
    "SR.REPLY": (
        "首次回复来电人",
        {
            "P1": (10, "minutes", A),
            "P2": (10, "minutes", A),
            "P3": (30, "minutes", A),
            "CONSULT": (30, "minutes", A),
        },
    ),
    "SR.RESPOND": (
        "工程师联系客户，告知处理方案和到达时间",
        {
            "P1": (30, "minutes", A),
            "P2": (2, "hours", A),
            "P3": (4, "working_hours", S),
            "CONSULT": (8, "working_hours", S),
        },
    ),
    "SR.ARRIVE": (
        "技术员到达现场（仅限上门服务）",
        {"P1": (4, "hours", A), "P2": (12, "hours", A), "P3": (24, "hours", A)},
    ),
    "SR.SPARE": (
        "无法修复时备件或备机到达现场",
        {"P1": (4, "hours", A), "P2": (4, "hours", A), "P3": (2, "working_days", S)},
    ),
    "SR.RESOLVE": (
        "故障排除并经客户确认",
        {
            "P1": (24, "hours", A),
            "P2": (72, "hours", A),
            "P3": (5, "working_days", S),
            "CONSULT": (3, "working_days", S),
        },
    ),
    # Not a deadline but a window: a failure of the same fault on the same unit
    # within it is a repeat repair (R-SR-8).
    "SR.REPEAT": ("同一故障重复维修的判定期", {"": (90, "days", A)}),
    "SR.QUOTE": (
        "保修期外维修报价审批并发给客户",
        {
            "P1": (4, "working_hours", S),
            "P2": (4, "working_hours", S),
            "P3": (8, "working_hours", S),
        },
    ),
    "WO.PAPERS": (
        "提交客户签字的维修单（未完成的附延时原因分析）",
        {s: (48, "hours", A) for s in ("P1", "P2", "P3")},
    ),
    "WO.FAULT_REPORT": (
        "现场维修后提交故障分析报告",
        {"P1": (3, "working_days", S), "P2": (3, "working_days", S)},
    ),
    "WO.FILE": ("客户签字的服务记录归档", {s: (5, "days", A) for s in ("P1", "P2", "P3")}),
    # A lent backup unit comes back within this (R-SP-2; not in policies.md's table,
    # which the regulations leave to the company: 30 days by default, editable).
    "SP.BACKUP_RETURN": ("借出备机归还", {"": (30, "days", A)}),
    # Per 10 units: the service multiplies by ceil(n/10).
    "DEPOT.REPAIR": ("返修设备修复（每 10 台）", {"": (1, "working_days", S)}),
    "FB.RETURN_VISIT": (
        "维修完成后回访",
        {s: (3, "days", A) for s in ("P1", "P2", "P3")},
    ),
    "FB.TRANSFER": ("回访中未解决的问题转交责任部门并答复", {"": (24, "hours", A)}),
    # R-FB-1 "first follow-up call within 3 working days of feedback": a low survey score.
    "FB.FOLLOW_UP": ("满意度低分后首次跟进回访", {"": (3, "working_days", S)}),
    # Not deadlines the regulations name, but times the company sets (editable): how long
    # a survey link stays valid, and how soon a visit not reached is tried again.
    "FB.SURVEY_LINK": ("满意度调查链接有效期", {"": (14, "days", A)}),
    "FB.RETRY": ("回访未接通后再次拨打", {"": (4, "working_hours", S)}),
    "CP.CONTACT": ("联系投诉人", {"": (4, "hours", A)}),
    "CP.TRANSFER": ("转交责任人", {"": (0, "same_working_day", S)}),
    "CP.INVESTIGATE": ("开始调查", {"": (8, "working_hours", S)}),
    "CP.OPINION": ("首次处理意见", {"": (3, "working_days", S)}),
    "CP.PROPOSAL": ("调查后提出处理方案", {"": (5, "working_days", S)}),
    "CP.PROGRESS": (
        "有处理进展记录（否则上报公司负责人）",
        {"": (72, "hours", A)},
    ),
    "CP.MAJOR_OPINION": (
        "重大投诉处理小组意见",
        {"": (8, "working_hours", S)},
    ),
    # Agreed dates, kept as limits: the clock starts at 00:00 of the agreed day and runs to
    # the end of that working day (the next one if it is a day off).
    "CP.CAPA": ("纠正预防措施按约定日期完成", {"": (0, "same_working_day", S)}),
    "CP.EXTERNAL": ("外部机构（消协、市场监管等）要求的答复期限", {"": (0, "same_working_day", S)}),
    "CP.FOLLOW_UP": ("整改后回访客户确认效果", {"": (7, "days", A)}),
    # A window, not a deadline: a return or exchange is accepted within it after the
    # purchase date (R-RT-1, 001 第十七条).
    "RT.WINDOW": ("购买后可申请退换货的期限", {"": (7, "days", A)}),
    "RT.DECIDE": (
        "总经理批准或拒绝退换货",
        {"": (2, "working_days", S)},
    ),
    "PM.REPORT": ("提交巡检报告", {"": (3, "working_days", S)}),
    "PM.COMMISSION": ("到货后完成设备调试", {"": (2, "working_days", S)}),
    # A threshold, not a deadline: an outage shorter than this does not lower the
    # equipment availability (R-PM-3, 001 三 1: 4小时以内故障不计算在内).
    "PM.OUTAGE": ("不计入设备完好率的短时故障", {"": (4, "hours", A)}),
    "OP.ASSEMBLE": ("应急事件管理人员集合", {"": (20, "minutes", A)}),
    "OP.GM_REPORT": ("向总经理提交书面应急报告", {"": (4, "hours", A)}),
    "RC.NOTIFY": ("通知所有受影响客户产品召回", {"": (1, "days", A)}),
}

# Rules whose breach goes to the top at once (policies.md: emergencies, and
# CP.PROGRESS "escalate to the company head").
AT_ONCE_TO_THE_TOP = {"OP.ASSEMBLE", "OP.GM_REPORT", "CP.PROGRESS"}


def ladder(rule: str, severity: str) -> list[tuple[int, str, int, str, str]]:
    """(step, role, delay amount, delay unit, delay calendar) for steps 2-4."""
    to_the_top = rule in AT_ONCE_TO_THE_TOP
    vp_at_once = to_the_top or severity == "P1"
    # "At once" is at once: zero natural hours, not zero working hours (which on a
    # holiday would wait for the next working morning).
    return [
        (2, "service_manager", 0, "hours", A),
        (3, "sales_vp", *((0, "hours", A) if vp_at_once else (8, "working_hours", S))),
        (4, "general_manager", 0 if to_the_top else 24, "hours", A),
    ]


def ensure_default_policies(policy_model: Any, step_model: Any, calendar_model: Any) -> None:
    """Load the rules the table has and the database lacks (a new installation gets
    them all; a later version adds its new rules). A rule with any row already is left
    as the administrator made it."""
    have = set(policy_model.objects.values_list("rule", flat=True).distinct())
    calendars = {c.code: c for c in calendar_model.objects.filter(code__in=[S, A])}
    if len(calendars) < 2:
        return  # calendars not loaded yet: the next migrate run adds the rules
    for rule, (description, rows) in TABLE.items():
        if rule in have:
            continue
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
