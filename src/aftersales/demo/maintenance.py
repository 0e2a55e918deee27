"""Demo planned work: the A–G checklist of seed 001 七 2, this quarter's maintenance
plans, an inspection under way and one signed whose report is due."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from aftersales.common.signatures import check_signature
from aftersales.customers.models import MaintenanceContract
from aftersales.maintenance import checklists, inspections, installations, plans, training

AG = [
    ("A", "对中心控制室内设备的运行状态进行检查", "check", None),
    ("B", "对主机及机柜进行清洁", "clean", None),
    ("C", "对中心控制室内线路进行检查，必要时进行紧固", "fasten", None),
    ("D", "检测系统供电电压，调整相关技术参数", "measure", ("V", "198", "242")),
    ("E", "对前端及后端设备进行清洁", "clean", None),
    ("F", "及时进行必要的系统软件升级", "upgrade", None),
    ("G", "对整个系统线路进行检查，保持联接稳定可靠", "check", None),
]


def _signature() -> str:
    """A drawn scribble, as the pad sends it."""
    import base64
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (240, 90), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(20, 60), (60, 20), (100, 70), (150, 25), (210, 55)], fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return check_signature("data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode())


def _confirmed_by_phone(manager: Any, plan: Any) -> None:
    plans.maintenance_plan_confirm(
        actor=manager, plan=plan, confirmed_by=plan.contract.customer.name[:2] + "工", via="电话"
    )


def demo_maintenance(staff: dict[str, Any]) -> None:
    manager, tech = staff["manager"], staff["tech"]
    checklists.checklist_save(
        actor=manager,
        template=None,
        name="季度检查维护（A–G）",
        items=[
            {"code": code, "text": text, "kind": kind}
            | ({"unit": r[0], "low": Decimal(r[1]), "high": Decimal(r[2])} if r else {})
            for code, text, kind, r in AG
        ],
    )
    today = timezone.localdate()
    quarter = plans.Quarter.of(today)
    running = MaintenanceContract.objects.covering(today).order_by("customer_id", "pk")
    made = plans.maintenance_plans_generate(actor=manager, contracts=running, quarter=quarter)
    # This quarter's plans were confirmed by phone when they were made. Next quarter's
    # are out for confirmation: company A (the first customer) confirms its own in the
    # portal, one other still waits, the rest were confirmed by phone.
    for plan in made:
        _confirmed_by_phone(manager, plan)
    coming = quarter.next()
    upcoming = plans.maintenance_plans_generate(
        actor=manager,
        contracts=MaintenanceContract.objects.covering(coming.first).order_by("customer_id", "pk"),
        quarter=coming,
    )
    first_customer = min((p.contract.customer_id for p in upcoming), default=None)
    waiting = [p for p in upcoming if p.contract.customer_id != first_customer]
    for plan in waiting[1:]:
        _confirmed_by_phone(manager, plan)
    units = [
        (plan, unit)
        for plan in made
        for unit in plan.contract.equipment.filter(retired_on__isnull=True).order_by("pk")[:1]
    ]
    if len(units) < 2:
        return
    # A signed inspection whose report is due (PM.REPORT), and one under way.
    plan, unit = units[-1]
    done = inspections.inspection_start(
        actor=tech, equipment=unit, visit=plan.visits.order_by("planned_on").first()
    )
    rows = {
        row.pk: {"result": "ok"}
        | ({"measurement": Decimal("247")} if row.item.kind == "measure" else {})
        for row in done.items.select_related("item")
    }
    inspections.inspection_record(actor=tech, inspection=done, rows=rows)
    signature = _signature()
    inspections.inspection_sign(
        actor=tech, inspection=done, signer="technician", signature=signature
    )
    inspections.inspection_sign(
        actor=tech, inspection=done, signer="customer", signature=signature, signed_by="值班员小陈"
    )
    plan, unit = units[0]
    inspections.inspection_start(actor=tech, equipment=unit)
    _installation_and_training(staff, plan.contract.customer, signature)


def _installation_and_training(staff: dict[str, Any], customer: Any, signature: str) -> None:
    """A new unit delivered and waiting to be commissioned (PM.COMMISSION running), and
    the customer's training: every session already past held, signed and reported."""
    from aftersales.customers.services import equipment_create

    manager, tech = staff["manager"], staff["tech"]
    today = timezone.localdate()
    model = customer.equipment.order_by("pk").first().product_model
    unit = equipment_create(
        actor=manager,
        customer=customer,
        serial_number=f"NEW{today:%y}0001",
        product_model=model,
        site=customer.sites.order_by("pk").first(),
    )
    made = installations.installation_plan(
        actor=manager,
        equipment=unit,
        installer=tech,
        planned_on=today,
        contact_name="值班员小陈",
        contact_phone="13900001111",
    )
    installations.installation_call(actor=tech, installation=made, note="约定今天上午送货")
    installations.installation_deliver(actor=tech, installation=made)
    installations.installation_unpack(
        actor=tech, installation=made, outcome="ok", signed_by="值班员小陈"
    )
    # This year's sessions, and last year's (all past, whatever today is): each one
    # already past held, signed and reported.
    sessions = [
        session
        for year in (today.year - 1, today.year)
        for session in training.training_plan(
            actor=manager,
            customer=customer,
            year=year,
            topic="监控系统日常操作与维护",
            trainer=tech,
        )
    ]
    held = [s for s in sessions if s.planned_on < today]
    for session in held:
        training.training_hold(
            actor=tech,
            session=session,
            place="中心控制室",
            held_at=timezone.make_aware(dt.datetime.combine(session.planned_on, dt.time(14, 0))),
            attendees=[
                {"name": "陈明", "post": "值班员", "theory": 92, "practical": 88},
                {"name": "刘芳", "post": "值班员", "theory": 85, "practical": 90},
                {"name": "王磊", "post": "值班长", "theory": 58, "practical": 76},
            ],
        )
        for signer in ("technician", "customer"):
            training.training_sign(
                actor=tech, session=session, signer=signer, signature=signature, signed_by="陈工"
            )
        training.training_report(
            actor=tech,
            session=session,
            summary="值班人员已掌握日常操作和简单故障判断；王磊理论成绩未达合格分，下次培训补考。",
        )
