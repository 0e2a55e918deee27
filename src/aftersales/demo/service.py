"""Demo requests at every step, a depot batch and returns."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from aftersales.accounts.models import User
from aftersales.customers.models import Customer


def demo_service(staff: dict[str, User], companies: list[Customer]) -> None:
    """A few requests at different steps, received over the past days."""
    from aftersales.service import service_requests, work_orders

    now = timezone.now()
    calls = [
        # company, its nth unit, hours ago, severity, description, how far it got
        (0, 0, 2, "P2", "网络硬盘录像机无法开机，指示灯不亮", "new"),
        (2, 0, 5, "P1", "监控中心大屏全部黑屏，值班无法查看画面", "onsite"),
        (3, 0, 30, "P3", "交换机个别端口丢包", "replied"),
        (4, 0, 50, "P3", "服务器风扇噪音大", "resolved"),
        (5, 0, 80, "CONSULT", "咨询录像保存天数如何设置", "closed"),
        # Company A's contact (customer_a) has a repair to confirm in the portal, and
        # the second technician a visit this afternoon.
        (0, 1, 26, "P3", "报警主机偶尔误报", "resolved"),
        (1, 0, 4, "P2", "UPS 电源告警，电池无法充电", "onsite-tech2"),
    ]
    for index, nth, hours, severity, text, reached in calls:
        customer = companies[index]
        unit = customer.equipment.order_by("pk")[nth : nth + 1].first()
        contact = customer.contacts.order_by("pk").first()
        request = service_requests.service_request_create(
            actor=staff["agent"],
            customer=customer,
            serial_number=unit.serial_number if unit else "",
            channel="phone",
            severity=severity,
            caller_name=contact.name if contact else "客户",
            caller_phone=contact.phone if contact else "13800000000",
            description=text,
            received_at=now - dt.timedelta(hours=hours),
        )
        if reached in ("replied", "onsite", "onsite-tech2", "resolved", "closed"):
            service_requests.service_request_reply(actor=staff["agent"], request=request)
        if reached.startswith("onsite") and not request.needs_review:
            service_requests.service_request_go_onsite(actor=staff["manager"], request=request)
            work_orders.work_order_create(
                actor=staff["manager"],
                service_request=request,
                technician=staff["tech2" if reached == "onsite-tech2" else "tech"],
                planned_arrival=(now + dt.timedelta(hours=3)).replace(minute=0, second=0)
                if reached == "onsite-tech2"
                else None,
            )
        if reached in ("resolved", "closed"):
            service_requests.service_request_resolve(
                actor=staff["agent"], request=request, resolution="电话远程指导后恢复正常"
            )
        if reached == "closed":
            service_requests.service_request_close(
                actor=staff["agent"],
                request=request,
                confirmed_by=contact.name if contact else "客户",
                confirmed_via="phone",
            )


def demo_depot_and_returns(staff: dict[str, User]) -> None:
    """Twelve cameras back for repair (two working days), and an exchange within the
    7 days waiting for the general manager."""
    from aftersales.customers.models import Equipment
    from aftersales.depot import services as depot
    from aftersales.returns import services as returns

    camera = Equipment.objects.filter(product_model__code="HX-CAM-420").select_related("customer")
    customer = camera.first().customer  # type: ignore[union-attr]
    units = [{"serial_number": f"RMA-CAM-{n:03d}", "fault": "夜视模糊"} for n in range(1, 13)]
    batch = depot.repair_batch_receive(
        actor=staff["warehouse"], customer=customer, units=units, note="快递返修"
    )
    for unit in batch.units.all()[:5]:
        depot.repair_unit_finish(
            actor=staff["tech2"], unit=unit, repaired=True, result="更换红外灯板"
        )
    sold = Equipment.objects.order_by("-delivered_on", "pk").select_related("customer").first()
    if sold is not None:
        returns.return_request_create(
            actor=staff["agent"],
            customer=sold.customer,
            equipment=sold,
            kind="exchange",
            purchased_on=timezone.localdate() - dt.timedelta(days=3),
            problem="开箱后第二天出现花屏",
            caused_by_misuse=False,
            proof_checked=True,
            packaging_intact=True,
        )
