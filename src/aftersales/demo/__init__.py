"""Demo data that looks like a real Chinese equipment service company, one module per
area (people and customers here; service, parts, complaints, feedback beside it).

Dates are relative to today, so every warranty state is present whenever the
demo is loaded. Loaded only in demo mode (settings.DEMO) and only into an
empty database.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from aftersales.accounts import services as accounts
from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.audit import save_audited
from aftersales.customers import services as customers
from aftersales.customers.models import Customer
from aftersales.demo import (
    complaints,
    feedback,
    knowledge,
    mail,
    maintenance,
    operations,
    parts,
    sales,
    service,
)

PASSWORD = "demo12345"

DEPARTMENTS = [
    ("service", "售后服务部"),
    ("hotline", "客服中心"),
    ("technical", "技术部"),
    ("quality", "品控部"),
    ("warehouse", "备件库"),
    ("finance", "财务部"),
    ("sales", "销售部"),
    ("office", "总经理办公室"),
]

# username, full name, phone, department, roles
STAFF = [
    ("agent", "王丽", "13801012345", "hotline", [Role.AGENT]),
    ("agent2", "林芳", "13801012346", "hotline", [Role.AGENT]),
    ("tech", "张伟", "13911023456", "service", [Role.TECHNICIAN]),
    ("tech2", "李强", "13611034567", "service", [Role.TECHNICIAN]),
    ("manager", "陈静", "13701045678", "service", [Role.SERVICE_MANAGER]),
    ("vp", "刘洋", "13501056789", "sales", [Role.SALES_VP]),
    ("gm", "赵国华", "13301067890", "office", [Role.GENERAL_MANAGER]),
    ("warehouse", "孙敏", "13201078901", "warehouse", [Role.WAREHOUSE]),
    ("finance", "周婷", "13101089012", "finance", [Role.FINANCE]),
    ("quality", "吴刚", "15001090123", "quality", [Role.QUALITY]),
    ("sales", "郑浩", "15101001234", "sales", [Role.SALES]),
    ("techdept", "黄磊", "15201012340", "technical", [Role.TECHNICAL]),
]

# name, region, key customer, phone, address
CUSTOMERS = [
    ("上海浦江精密仪器有限公司", "华东", True, "021-58881234", "上海市浦东新区张江路 1088 号"),
    ("北京京华医疗设备有限公司", "华北", True, "010-62345678", "北京市海淀区中关村大街 27 号"),
    ("杭州西湖数据科技有限公司", "华东", False, "0571-87654321", "杭州市西湖区文三路 398 号"),
    ("广州南方电力设备有限公司", "华南", True, "020-38765432", "广州市天河区珠江新城华夏路 8 号"),
    ("成都天府智能制造有限公司", "西南", False, "028-85123456", "成都市高新区天府大道中段 666 号"),
    ("武汉光谷光电有限公司", "华中", False, "027-87001234", "武汉市东湖高新区光谷大道 77 号"),
    (
        "南京金陵化工集团有限公司",
        "华东",
        False,
        "025-84567890",
        "南京市江北新区化工园区方水路 18 号",
    ),
    ("深圳鹏城通信技术有限公司", "华南", False, "0755-26543210", "深圳市南山区科技园南区 12 栋"),
    ("天津滨海港务集团有限公司", "华北", True, "022-25601234", "天津市滨海新区新港二号路 35 号"),
    (
        "重庆山城轨道交通运营有限公司",
        "西南",
        False,
        "023-68123456",
        "重庆市渝中区解放碑民族路 166 号",
    ),
    ("西安古城能源科技有限公司", "西北", False, "029-88234567", "西安市雁塔区科技路 48 号"),
    ("苏州工业园区第一人民医院", "华东", False, "0512-62781234", "苏州市工业园区星湖街 899 号"),
]

CONTACT_NAMES = [
    "刘建国",
    "陈晓燕",
    "杨帆",
    "黄志强",
    "周丽娟",
    "吴海涛",
    "徐静",
    "孙志刚",
    "马晓东",
    "朱敏",
    "胡斌",
    "郭晓玲",
    "何伟",
    "高峰",
    "林小红",
    "罗明",
]
TITLES = ["设备科科长", "信息中心主任", "机房管理员", "采购经理", "总务处处长", "运维工程师"]

# code, name, brand, category, warranty months, maintenance months
MODELS = [
    ("HX-NVR-6400", "网络硬盘录像机 64 路", "华信", "监控", 24, 12),
    ("HX-CAM-420", "高清网络摄像机 400 万像素", "华信", "监控", 24, 0),
    ("HX-UPS-20K", "在线式不间断电源 20kVA", "华信", "电源", 12, 24),
    ("HX-SW-48G", "千兆以太网交换机 48 口", "华信", "网络", 36, 0),
    ("HX-SRV-2U", "机架式服务器 2U", "华信", "服务器", 36, 24),
    ("HX-LCD-55", "55 英寸液晶拼接屏", "华信", "显示", 12, 12),
    ("HX-ACS-100", "门禁控制器", "华信", "门禁", 12, 0),
]

# The fault codes (故障代码) technicians choose at diagnosis, per model.
FAULT_CODES = {
    "HX-NVR-6400": [
        ("E01", "硬盘故障或未识别"),
        ("E02", "录像丢失或回放卡顿"),
        ("E03", "网络断线"),
        ("E04", "风扇故障导致过热"),
    ],
    "HX-CAM-420": [
        ("C01", "无图像"),
        ("C02", "夜视画面偏红（红外滤光片切换失灵）"),
        ("C03", "画面模糊或镜头进水"),
    ],
    "HX-UPS-20K": [("U01", "蓄电池容量不足"), ("U02", "逆变器故障"), ("U03", "频繁切换旁路")],
    "HX-SW-48G": [("S01", "端口不通"), ("S02", "光模块故障")],
    "HX-SRV-2U": [("V01", "电源模块故障"), ("V02", "内存报错"), ("V03", "RAID 降级")],
    "HX-LCD-55": [("L01", "屏幕闪烁"), ("L02", "拼缝亮线"), ("L03", "背光不亮")],
    "HX-ACS-100": [("A01", "读卡无反应"), ("A02", "门锁不动作")],
}

PARTS = [
    ("P-HDD-4T", "监控级硬盘 4TB", "spare_part", "块", "680.00", ["HX-NVR-6400"]),
    ("P-PSU-800", "服务器电源模块 800W", "spare_part", "个", "1250.00", ["HX-SRV-2U"]),
    ("P-BAT-12V", "UPS 蓄电池 12V 100Ah", "spare_part", "节", "980.00", ["HX-UPS-20K"]),
    ("P-FAN-80", "散热风扇 80mm", "spare_part", "个", "45.00", ["HX-NVR-6400", "HX-SRV-2U"]),
    ("P-LENS-4MM", "摄像机镜头 4mm", "spare_part", "个", "160.00", ["HX-CAM-420"]),
    ("P-SFP-1G", "千兆光模块", "spare_part", "个", "220.00", ["HX-SW-48G"]),
    ("C-CLEAN", "屏幕清洁套装", "consumable", "套", "35.00", ["HX-LCD-55"]),
    ("C-CABLE-6", "六类网线 305 米", "consumable", "箱", "520.00", []),
]


def _ago(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)


@transaction.atomic
def load_demo(*, today: dt.date | None = None) -> dict[str, int]:
    """Create the demo company. Refuses outside demo mode or into a used database."""
    if not settings.DEMO:
        raise ImproperlyConfigured("Demo data is loaded only in demo mode (DEMO=1).")
    if User.objects.exists() or Customer.objects.exists():
        raise ImproperlyConfigured("The database is not empty; demo data is loaded only once.")
    today = today or timezone.localdate()
    rng = random.Random(20260101)

    admin = accounts.user_create(
        actor=None,
        username="admin",
        password=PASSWORD,
        full_name="系统管理员",
        email="admin@example.com",
        is_superuser=True,
    )
    departments = {
        code: accounts.department_create(actor=admin, code=code, name=name)
        for code, name in DEPARTMENTS
    }
    staff = {}
    for username, full_name, phone, department, roles in STAFF:
        staff[username] = accounts.user_create(
            actor=admin,
            username=username,
            password=PASSWORD,
            full_name=full_name,
            phone=phone,
            email=f"{username}@example.com",
            department=departments[department],
            roles=roles,
        )
    for username, region, skills in [
        ("tech", "华东", "监控,服务器"),
        ("tech2", "华北", "电源,网络"),
    ]:
        staff[username].region, staff[username].skills = region, skills
        save_audited(staff[username], actor=admin, reason="region and skills")
    for code, head in [("service", "manager"), ("office", "gm"), ("sales", "vp")]:
        accounts.department_set_head(actor=admin, department=departments[code], head=staff[head])

    models = {
        code: customers.product_model_create(
            actor=admin,
            code=code,
            name=name,
            brand=brand,
            category=category,
            default_warranty_months=warranty_months,
            default_maintenance_months=maintenance_months,
        )
        for code, name, brand, category, warranty_months, maintenance_months in MODELS
    }
    for model_code, faults in FAULT_CODES.items():
        for code, name in faults:
            customers.fault_code_create(
                actor=admin, product_model=models[model_code], code=code, name=name
            )
    for code, name, kind, unit_name, price, fits in PARTS:
        customers.part_item_create(
            actor=admin,
            code=code,
            name=name,
            kind=kind,
            unit=unit_name,
            unit_price=price,
            product_models=[models[m] for m in fits],
        )

    # The warranty states the demo must show, cycled over each customer's units:
    # (days since acceptance, warranty months, maintenance months, contract?)
    states = [
        (60, 24, 0, False),  # in warranty
        (400, 12, 24, False),  # in the maintenance period after warranty
        (900, 12, 0, True),  # out of warranty but under a maintenance contract
        (1200, 12, 0, False),  # out of warranty
        (None, 12, 0, False),  # no acceptance date on record: unknown
        (350, 12, 0, False),  # warranty ends in about two weeks
    ]
    serial = 0
    created_customers = []
    for index, (name, region, key, phone, address) in enumerate(CUSTOMERS):
        customer = customers.customer_create(
            actor=staff["agent"],
            name=name,
            region=region,
            is_key_customer=key,
            phone=phone,
            address=address,
            sales_owner=staff["sales"],
        )
        created_customers.append(customer)
        main_site = customers.site_create(
            actor=staff["agent"], customer=customer, name="总部机房", address=address
        )
        branch = customers.site_create(
            actor=staff["agent"],
            customer=customer,
            name="分部监控中心",
            address=address.split("市")[0] + "市分部",
        )
        for n in range(2):
            contact_name = CONTACT_NAMES[(index * 2 + n) % len(CONTACT_NAMES)]
            customers.contact_create(
                actor=staff["agent"],
                customer=customer,
                name=contact_name,
                title=TITLES[(index + n) % len(TITLES)],
                phone=f"1{rng.choice('35789')}{rng.randrange(10**8, 10**9)}",
                email=f"contact{index}{n}@example.cn",
                is_primary=n == 0,
                site=main_site if n == 0 else branch,
            )
        covered = []
        for n in range(3 + index % 4):
            days, warranty_months, maintenance_months, contract = states[(index + n) % len(states)]
            model_code = MODELS[(index + n) % len(MODELS)][0]
            serial += 1
            accepted = None if days is None else _ago(today, days)
            unit = customers.equipment_create(
                actor=staff["agent"],
                serial_number=f"{model_code.split('-')[1]}{today.year % 100:02d}{serial:06d}",
                customer=customer,
                product_model=models[model_code],
                site=main_site if n % 2 == 0 else branch,
                batch_number=f"B{(accepted or today).year}{(index % 9) + 1:02d}",
                delivered_on=None if accepted is None else accepted - dt.timedelta(days=7),
                accepted_on=accepted,
                warranty_months=warranty_months,
                maintenance_months=maintenance_months,
                installed_by_us=not (index == 10 and n == 0),
            )
            if contract:
                covered.append(unit)
        if covered:
            customers.contract_create(
                actor=staff["manager"],
                customer=customer,
                number=f"WB-{today.year}-{index + 1:03d}",
                level=["basic", "standard", "premium"][index % 3],
                starts_on=_ago(today, 120),
                ends_on=_ago(today, 120) + dt.timedelta(days=364),
                equipment=covered,
                annual_fee=f"{(index % 5 + 2) * 6000}.00",
            )

    # Portal accounts: one contact of company A and one of company B.
    for username, customer in [
        ("customer_a", created_customers[0]),
        ("customer_b", created_customers[1]),
    ]:
        user = accounts.user_create(
            actor=admin,
            username=username,
            password=PASSWORD,
            full_name=customer.contacts.order_by("pk").first().name,  # type: ignore[union-attr]
            roles=[Role.CUSTOMER],
        )
        contact = customer.contacts.order_by("pk").first()
        customers.contact_update(actor=admin, contact=contact, user=user)  # type: ignore[arg-type]

    service.demo_service(staff, created_customers)
    depot = parts.demo_stock(staff)
    parts.demo_backups(staff, depot)
    service.demo_depot_and_returns(staff)
    parts.demo_tool_kits(staff)
    complaints.demo_complaints(staff)
    feedback.demo_feedback(staff)
    maintenance.demo_maintenance(staff)
    sales.demo_sales(staff, created_customers)
    knowledge.demo_knowledge(staff)
    mail.demo_mail(staff)
    operations.demo_operations(staff)
    return {"users": User.objects.count(), "customers": len(created_customers), "equipment": serial}
