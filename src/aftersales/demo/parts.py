"""Demo stock, backup units and tool kits."""

from __future__ import annotations

from typing import Any

from aftersales.accounts.models import User
from aftersales.customers import services as customers


def demo_stock(staff: dict[str, User]) -> Any:
    """The depot with this month's receipts, a kit for each technician, one item below
    its reorder level, and a power module used on the technician's open order."""
    from aftersales.customers.models import PartItem
    from aftersales.parts import services as parts
    from aftersales.service.models import WorkOrder

    keeper = staff["warehouse"]
    depot = parts.location_create(actor=keeper, code="DEPOT", name="中心库", kind="depot")
    kits = {
        username: parts.location_create(
            actor=keeper,
            code=f"KIT-{username.upper()}",
            name=f"{staff[username].full_name}随车库",
            kind="kit",
            holder=staff[username],
        )
        for username in ("tech", "tech2")
    }
    items = {item.code: item for item in PartItem.objects.all()}
    for code, quantity in [
        ("P-HDD-4T", 12),
        ("P-PSU-800", 6),
        ("P-BAT-12V", 2),
        ("P-FAN-80", 40),
        ("P-LENS-4MM", 15),
        ("P-SFP-1G", 20),
        ("C-CABLE-6", 3),
    ]:
        parts.stock_receive(
            actor=keeper,
            item=items[code],
            location=depot,
            quantity=quantity,
            unit_cost=items[code].unit_price,
            document=f"供应商送货单 {code}",
        )
    customers.part_item_update(actor=keeper, part_item=items["P-BAT-12V"], reorder_level=4)
    # Each technician carries what their jobs usually need: 张伟 power and cooling, 李强
    # (networks) optical modules and cable.
    for username, code in [
        ("tech", "P-PSU-800"),
        ("tech", "P-FAN-80"),
        ("tech2", "P-SFP-1G"),
        ("tech2", "C-CABLE-6"),
    ]:
        parts.stock_transfer(
            actor=keeper, item=items[code], source=depot, target=kits[username], quantity=2
        )
    order = WorkOrder.objects.filter(technician=staff["tech"], status="open").first()
    if order is not None:
        parts.stock_issue(
            actor=staff["tech"],
            work_order=order,
            item=items["P-FAN-80"],
            location=kits["tech"],
            quantity=1,
        )
    return depot


def demo_backups(staff: dict[str, User], depot: Any) -> None:
    """Backup units of two models, one lent for the P1 request on site, one in repair,
    and a baseline that is one unit short."""
    from aftersales.customers.models import ProductModel
    from aftersales.parts import backups
    from aftersales.service.models import ServiceRequest

    keeper = staff["warehouse"]
    nvr, ups = (
        ProductModel.objects.get(code="HX-NVR-6400"),
        ProductModel.objects.get(code="HX-UPS-20K"),
    )
    units = [
        backups.backup_unit_add(
            actor=keeper, serial_number=serial, product_model=model, location=depot, origin="采购"
        )
        for serial, model in [("BK-NVR-01", nvr), ("BK-NVR-02", nvr), ("BK-UPS-01", ups)]
    ]
    backups.backup_baseline_set(actor=staff["manager"], product_model=nvr, quantity=4)
    backups.backup_baseline_set(actor=staff["manager"], product_model=ups, quantity=1)
    urgent = ServiceRequest.objects.filter(severity="P1", status="onsite").first()
    if urgent is not None:
        from aftersales.service import spares

        spares.service_request_swap(
            actor=staff["manager"], request=urgent, note="主板故障，更换备机"
        )
        backups.backup_lend(
            actor=keeper, unit=units[0], customer=urgent.customer, service_request=urgent
        )
    backups.backup_unit_add(
        actor=keeper,
        serial_number="BK-NVR-03",
        product_model=nvr,
        location=depot,
        origin="三包更换下的旧机",
        status="in_repair",
    )


def demo_tool_kits(staff: dict[str, User]) -> None:
    """A kit for each technician; one multimeter reported lost, awaiting replacement."""
    from aftersales.parts import toolkits

    tools = [
        ("数字万用表", "GJ-{n}01"),
        ("网线钳", ""),
        ("光功率计", "GJ-{n}02"),
        ("笔记本电脑", "IT-{n}03"),
    ]
    for n, username in enumerate(("tech", "tech2"), start=1):
        kit = toolkits.tool_kit_create(
            actor=staff["warehouse"],
            code=f"TK-{n:02d}",
            holder=staff[username],
            tools=[(name, asset.format(n=n)) for name, asset in tools],
        )
        if n == 2:
            toolkits.tool_lost(actor=staff[username], tool=kit.tools.first(), reason="现场遗失")  # type: ignore[arg-type]
