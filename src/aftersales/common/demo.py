"""Demo data that looks like a real Chinese equipment service company.

Dates are relative to today, so every warranty state is present whenever the
demo is loaded. Loaded only in demo mode (settings.DEMO) and only into an
empty database.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

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

    _demo_service(staff, created_customers)
    _demo_stock(staff)
    return {"users": User.objects.count(), "customers": len(created_customers), "equipment": serial}


def _demo_service(staff: dict[str, User], companies: list[Customer]) -> None:
    """A few requests at different steps, received over the past days."""
    from aftersales.service import services as service

    now = timezone.now()
    calls = [
        # company, hours ago, severity, description, how far it got
        (0, 2, "P2", "网络硬盘录像机无法开机，指示灯不亮", "new"),
        (2, 5, "P1", "监控中心大屏全部黑屏，值班无法查看画面", "onsite"),
        (3, 30, "P3", "交换机个别端口丢包", "replied"),
        (4, 50, "P3", "服务器风扇噪音大", "resolved"),
        (5, 80, "CONSULT", "咨询录像保存天数如何设置", "closed"),
    ]
    for index, hours, severity, text, reached in calls:
        customer = companies[index]
        unit = customer.equipment.order_by("pk").first()
        contact = customer.contacts.order_by("pk").first()
        request = service.service_request_create(
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
        if reached in ("replied", "onsite", "resolved", "closed"):
            service.service_request_reply(actor=staff["agent"], request=request)
        if reached == "onsite" and not request.needs_review:
            service.service_request_go_onsite(actor=staff["manager"], request=request)
            service.work_order_create(
                actor=staff["manager"], service_request=request, technician=staff["tech"]
            )
        if reached in ("resolved", "closed"):
            service.service_request_resolve(
                actor=staff["agent"], request=request, resolution="电话远程指导后恢复正常"
            )
        if reached == "closed":
            service.service_request_close(
                actor=staff["agent"],
                request=request,
                confirmed_by=contact.name if contact else "客户",
                confirmed_via="phone",
            )


def _demo_stock(staff: dict[str, User]) -> None:
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
    for code in ("P-PSU-800", "P-FAN-80"):
        parts.stock_transfer(
            actor=keeper, item=items[code], source=depot, target=kits["tech"], quantity=2
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
    _demo_backups(staff, depot)
    _demo_depot_and_returns(staff)
    _demo_tool_kits(staff)
    _demo_complaints(staff)
    _demo_feedback(staff)


def _demo_backups(staff: dict[str, User], depot: Any) -> None:
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
        from aftersales.service import services as service

        service.service_request_swap(
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


def _demo_depot_and_returns(staff: dict[str, User]) -> None:
    """Twelve cameras back for repair (two working days), and an exchange within the
    7 days waiting for the general manager."""
    from aftersales.customers.models import Equipment
    from aftersales.service import depot, returns

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


def _demo_tool_kits(staff: dict[str, User]) -> None:
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


def _demo_complaints(staff: dict[str, User]) -> None:
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


def _demo_feedback(staff: dict[str, User]) -> None:
    """Surveys in use, a repair closed (its visit and survey), answers with one low score
    (its follow-up), and this quarter's visit plan."""
    from aftersales.feedback import surveys, visits
    from aftersales.service import services as service

    after = surveys.question_set_create(
        actor=staff["manager"],
        code="after-service",
        name="售后服务满意度调查",
        kind="after_service",
        intro="感谢您使用我们的服务，请花一分钟评价本次服务。",
        questions=[
            {"kind": "score", "text": "您对响应速度是否满意？"},
            {"kind": "score", "text": "您对技术员的专业水平和服务态度是否满意？"},
            {"kind": "choice", "text": "问题是否一次解决？", "choices": ["是", "否"]},
            {"kind": "text", "text": "其他意见和建议", "required": False},
        ],
    )
    surveys.question_set_publish(actor=staff["manager"], question_set=after)
    annual = surveys.question_set_create(
        actor=staff["manager"],
        code="annual",
        name="年度顾客满意度调查",
        kind="annual",
        questions=[
            {"kind": "score", "text": "您对我们全年的服务总体是否满意？"},
            {"kind": "score", "text": "您对备品备件供应是否满意？"},
            {"kind": "text", "text": "您希望我们明年改进什么？", "required": False},
        ],
    )
    surveys.question_set_publish(actor=staff["manager"], question_set=annual)
    # A repair closed yesterday: its return visit is due and its survey was sent.
    customer = Customer.objects.order_by("pk")[1]
    contact = customer.contacts.order_by("pk").first()
    repaired = service.service_request_create(
        actor=staff["agent"],
        customer=customer,
        channel="phone",
        severity="P3",
        caller_name=contact.name if contact else "客户",
        caller_phone=contact.phone if contact else "13800000000",
        description="摄像机夜视画面偏红",
        received_at=timezone.now() - dt.timedelta(days=2),
    )
    service.service_request_resolve(
        actor=staff["agent"], request=repaired, resolution="更换红外滤光片切换器"
    )
    service.service_request_close(
        actor=staff["agent"],
        request=repaired,
        confirmed_by=repaired.caller_name,
        confirmed_via="phone",
    )
    keys = [f"q{q.pk}" for q in after.questions.order_by("position")]
    customers_ = list(Customer.objects.order_by("pk")[:6])
    for customer, scores, comment in zip(
        customers_,
        [("5", "5", "是"), ("4", "5", "是"), ("5", "4", "是"), ("2", "3", "否"), ("4", "4", "是")],
        ["技术员很专业", "", "响应很快", "等了两天才有人来", ""],
        strict=False,
    ):
        _invitation, token = surveys.invitation_create(
            actor=staff["agent"],
            question_set=after,
            customer=customer,
            to="",
            technician=staff["tech"],
        )
        surveys.survey_answer(
            token=token, answers=dict(zip(keys, scores, strict=False)), comment=comment
        )
    visits.visits_plan()
