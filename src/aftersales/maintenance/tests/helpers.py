"""Records the maintenance tests share: a contract, the A–G checklist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aftersales.customers.models import Equipment, MaintenanceContract
from aftersales.maintenance.checklists import checklist_save

AG = [
    ("A", "对中心控制室内设备的运行状态进行检查", "check"),
    ("B", "对主机及机柜进行清洁", "clean"),
    ("C", "对中心控制室内线路进行检查，必要时进行紧固", "fasten"),
    ("D", "对系统工作状况和必要技术性能进行检测、调整相关技术参数", "measure"),
    ("E", "对前端及后端设备进行清洁", "clean"),
    ("F", "及时进行必要的系统软件升级", "upgrade"),
    ("G", "对整个系统线路进行检查，保持联接稳定可靠", "check"),
]


def make_contract(
    equipment: Equipment, *, visits: int = 4, starts=dt.date(2026, 1, 1), ends=dt.date(2026, 12, 31)
) -> MaintenanceContract:
    contract = MaintenanceContract.objects.create(
        number=f"WB-{equipment.serial_number}-{visits}",
        customer=equipment.customer,
        starts_on=starts,
        ends_on=ends,
        visits_per_year=visits,
    )
    contract.equipment.add(equipment)
    return contract


def make_checklist(actor: Any, name: str = "季度检查维护", **fields: Any):
    from decimal import Decimal

    items = [
        {"code": code, "text": text, "kind": kind}
        | (
            {"unit": "V", "low": Decimal("210"), "high": Decimal("230")}
            if kind == "measure"
            else {}
        )
        for code, text, kind in AG
    ]
    return checklist_save(actor=actor, template=None, name=name, items=items, **fields)
