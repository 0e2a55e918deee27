"""Demo complaints at every step, with a photo."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from aftersales.accounts.models import User
from aftersales.customers.models import Customer


def demo_complaints(staff: dict[str, User]) -> None:
    """Three complaints: one just in, one under investigation, one not accepted."""
    from django.core.files.base import ContentFile

    from aftersales.common.attachments import attach
    from aftersales.complaints import services as complaints

    now = timezone.now()
    customers_ = list(Customer.objects.order_by("pk")[:3])
    complaints.complaint_register(
        actor=staff["agent"],
        complainant_name="王女士",
        complainant_phone="13912345678",
        customer=customers_[0],
        category="staff_attitude",
        channel="phone",
        target_kind="person",
        target_person=staff["tech2"],
        demand="要求书面道歉",
        description="技术员上门迟到两小时且未提前告知",
        received_at=now - dt.timedelta(hours=2),
    )
    investigated = complaints.complaint_register(
        actor=staff["agent"],
        complainant_name="赵先生",
        complainant_phone="13822223333",
        customer=customers_[1],
        category="product_quality",
        channel="email",
        demand="更换同型号新机",
        description="录像机一周内三次死机，维修后仍复发",
        received_at=now - dt.timedelta(days=2),
        is_major=True,
        group=[staff["quality"], staff["tech"]],
    )
    complaints.complaint_contact(actor=staff["agent"], complaint=investigated, note="已致电安抚")
    complaints.complaint_transfer(
        actor=staff["manager"], complaint=investigated, responsible=staff["quality"]
    )
    complaints.complaint_investigate(
        actor=staff["quality"], complaint=investigated, note="调取维修记录与日志"
    )
    attach(
        actor=staff["quality"],
        about=investigated,
        upload=ContentFile(_demo_photo(), name="死机画面.png"),
        caption="死机时的监视器画面",
    )
    complaints.window_set(
        actor=staff["manager"], category="other", days=15, counted_from="检测报告出具日"
    )
    declined = complaints.complaint_register(
        actor=staff["agent"],
        complainant_name="钱经理",
        complainant_phone="13700001111",
        customer=customers_[2],
        category="other",
        channel="letter",
        demand="赔偿停工损失",
        description="对三个月前的检测报告有异议",
        received_at=now - dt.timedelta(days=1),
        reference_date=(now - dt.timedelta(days=90)).date(),
    )
    complaints.complaint_decline(
        actor=staff["manager"], complaint=declined, reason="检测报告出具已超过 15 日受理期"
    )


def _demo_photo() -> bytes:
    """A stand-in for a technician's photo: a frozen screen with a date stamp."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), (30, 34, 40))
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, 300, 160], outline=(90, 160, 220), width=3)
    for x in range(30, 300, 24):
        draw.line([(x, 30), (x + 12, 150)], fill=(60, 70, 80), width=2)
    draw.text((28, 168), "NVR-16 2026-11 FROZEN", fill=(230, 230, 230))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
