"""Every kind a company brings imports (sites, contacts, models, parts, contracts, sales
orders), the records exported in their templates import back changing nothing, bad
input is reported row by row, and a large file runs in the background."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from tests import factories

from aftersales.customers.models import Contact, Equipment, MaintenanceContract, PartItem, Site
from aftersales.imports.models import ImportRun
from aftersales.imports.services import INLINE_BYTES, SPECS, import_queue, import_run
from aftersales.imports.tests.test_imports import xlsx
from aftersales.sales.models import SalesOrder

pytestmark = pytest.mark.django_db


def run(users, kind, rows, mode="import", name=None):
    return import_run(
        actor=users.manager, kind=kind, upload=xlsx(rows, name or f"{kind}.xlsx"), mode=mode
    )


def test_sites_contacts_models_and_parts_import(users, company_a):
    assert (
        run(
            users, "sites", [["客户名称", "站点名称", "地址"], ["甲公司", "二号厂房", "上海"]]
        ).created
        == 1
    )
    site = Site.objects.get(name="二号厂房")
    contacts = run(
        users,
        "contacts",
        [
            [
                "客户名称",
                "联系人姓名",
                "电话",
                "职务",
                "电子邮箱",
                "站点名称",
                "主要联系人（是/否）",
            ],
            ["甲公司", "王工", "13800138000", "设备科长", "wang@example.com", "二号厂房", "是"],
            ["甲公司", "李工", "", "", "", "", "否"],
            ["甲公司", "赵工", "12", "", "", "", ""],  # not a phone
            ["甲公司", "钱工", "", "", "", "三号厂房", ""],  # no such site
        ],
        mode="good",
    )
    assert (contacts.created, [p["row"] for p in contacts.problems]) == (2, [4, 5])
    wang = Contact.objects.get(name="王工")
    assert wang.site == site and wang.is_primary and wang.email == "wang@example.com"
    models = run(
        users,
        "product_models",
        [
            ["型号编码", "型号名称", "品牌", "类别", "保修（月）"],
            ["HX-CAM-200", "半球摄像机", "华信", "摄像机", "18"],
        ],
    )
    assert models.created == 1
    parts = run(
        users,
        "parts",
        [
            ["料号", "备件名称", "备件或耗材", "单位", "单价", "补货点", "适用型号（编码）"],
            ["P-100", "电源板", "备件", "块", "¥1,250.50", "2", "HX-CAM-200"],
        ],
    )
    assert parts.created == 1
    part = PartItem.objects.get(code="P-100")
    assert str(part.unit_price) == "1250.50" and [m.code for m in part.product_models.all()] == [
        "HX-CAM-200"
    ]


def test_contracts_cover_only_the_customers_units(users, company_a, company_b):
    header = [
        "合同编号",
        "客户名称",
        "等级",
        "开始日期",
        "结束日期",
        "每年巡检次数",
        "年费",
        "覆盖的序列号",
    ]
    bad = run(
        users,
        "contracts",
        [
            header,
            [
                "WB-1",
                "甲公司",
                "全面维保（7×24）",
                "2026-01-01",
                "2026-12-31",
                "4",
                "",
                "A-0001、B-0001",
            ],
        ],
    )
    assert bad.outcome == "refused" and "B-0001" in bad.problems[0]["reason"]
    good = run(
        users,
        "contracts",
        [
            header,
            [
                "WB-1",
                "甲公司",
                "全面维保（7×24）",
                "2026-01-01",
                "2026-12-31",
                "4",
                "8000",
                "A-0001",
            ],
        ],
    )
    contract = MaintenanceContract.objects.get(number="WB-1")
    assert good.created == 1 and contract.level == "premium"
    assert list(contract.equipment.all()) == [company_a.equipment]


def test_a_sales_order_of_several_rows_is_one_order_and_dates_its_units(users, company_a):
    factories.make_product_model("HX-NVR-6400")
    header = [
        "订单号",
        "客户名称",
        "订单日期",
        "销售人员",
        "物料号/零件号",
        "说明",
        "数量",
        "单价",
        "发货日期",
        "交付的序列号",
    ]
    rows = [
        header,
        [
            "SO-9",
            "甲公司",
            "2026-02-01",
            "sales",
            "HX-NVR-6400",
            "",
            "2",
            "9800",
            "2026-02-03",
            "S-1、S-2",
        ],
        ["SO-9", "甲公司", "2026-02-01", "sales", "安装服务", "", "1", "500", "", ""],
        ["SO-10", "甲公司", "2026-02-01", "nobody", "HX-NVR-6400", "", "1", "", "", ""],
    ]
    first = run(users, "sales_orders", rows, mode="good")
    assert (first.created, first.problems[0]["row"]) == (1, 4)  # nobody sells
    order = SalesOrder.objects.get(number="SO-9")
    assert order.lines.count() == 2 and order.salesperson == users.sales
    assert Equipment.objects.get(serial_number="S-2").purchased_on == dt.date(2026, 2, 1)
    again = run(users, "sales_orders", rows[:3])
    assert (again.outcome, again.created, again.unchanged) == ("imported", 0, 1)


def test_the_demos_export_imports_back_changing_nothing(client, settings):
    """The demo's own records, each kind exported in turn and imported back: nothing
    new, nothing changed, no problem."""
    from aftersales.accounts.models import User
    from aftersales.demo import load_demo

    settings.DEMO = True
    with factories.committed():  # the demo's tasks run after commit, as in make run
        load_demo()
    manager = User.objects.get(username="manager")
    client.force_login(manager)
    for kind in SPECS:
        answer = client.get(f"/imports/export/{kind}/")
        assert answer.status_code == 200, kind
        rows = list(load_workbook(io.BytesIO(answer.content)).active.values)
        upload = SimpleUploadedFile(f"{kind}.xlsx", answer.content)
        back = import_run(actor=manager, kind=kind, upload=upload, mode="import")
        assert (back.outcome, back.problems) == ("imported", []), kind
        records = SalesOrder.objects.count() if kind == "sales_orders" else back.rows
        assert (back.created, back.updated, back.unchanged) == (0, 0, records), kind
        assert back.rows == len(rows) - 1 > 0, kind


def test_bad_input_is_reported_and_nothing_half_imported(users, company_a, company_b):
    factories.make_product_model("HX-NVR-6400")
    header = ["序列号", "客户名称", "型号编码", "交货日期"]
    rows = [
        header,
        ["N-1", "甲公司", "HX-NVR-6400", "2026-03-01"],
        ["N-2", "甲公司", "HX-NVR-6400", "2026/3/1"],
        ["N-3", "甲公司", "HX-NVR-6400", "2026年3月1日"],
        ["N-4", "甲公司", "HX-NVR-6400", "=TODAY()"],
        ["n-1", "甲公司", "HX-NVR-6400", ""],  # the same serial in another case
        ["B-0001", "甲公司", "HX-NVR-6400", ""],  # another customer's
        ["N-5", "甲公司", "HX-NVR-6400", "3/1/26"],  # no year first: not read as a date
    ]
    refused = run(users, "equipment", rows)
    assert refused.outcome == "refused" and refused.created == 3
    assert [p["row"] for p in refused.problems] == [5, 6, 7, 8]
    assert "公式" in refused.problems[0]["reason"] and "2026-03-05" in refused.problems[3]["reason"]
    assert not Equipment.objects.filter(serial_number__startswith="N-").exists()
    with factories.refused("file"):
        import_run(
            actor=users.manager,
            kind="equipment",
            upload=SimpleUploadedFile("big.csv", b"x" * (50 * 1024 * 1024)),
            mode="check",
        )
    with factories.refused("file"):
        import_run(
            actor=users.manager,
            kind="equipment",
            upload=SimpleUploadedFile("units.xlsx", b"not a zip"),
            mode="check",
        )


def test_a_large_file_runs_in_the_background_with_its_progress(
    page, users, company_a, django_capture_on_commit_callbacks
):
    lines = "".join(f"客户{n:05d},{'上海市' * 20}\n" for n in range(4000))
    csv = ("客户名称,地址\n" + lines).encode("gbk")
    assert len(csv) > INLINE_BYTES
    client = page(users.manager)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = client.post(
            "/imports/",
            {"kind": "customers", "mode": "import", "file": SimpleUploadedFile("many.csv", csv)},
        )
    run_ = ImportRun.objects.get()
    assert answer.url == f"/imports/{run_.pk}/" and run_.outcome == "queued"
    waiting = client.get(f"/imports/{run_.pk}/")
    assert b'role="progressbar"' in waiting.content and b"hx-get" in waiting.content
    for callback in queued:
        callback()
    run_.refresh_from_db()
    assert (run_.outcome, run_.created, run_.rows) == ("imported", 4000, 4000)
    done = client.get(f"/imports/{run_.pk}/progress/")
    assert done.headers["HX-Refresh"] == "true"
    assert b"4000" in client.get(f"/imports/{run_.pk}/").content
    # queued twice (a retried task) it is not imported twice
    from aftersales.imports.services import import_queued

    assert import_queued(run_.pk, lambda *_: None).created == 4000


def test_a_queued_file_found_unreadable_is_reported_on_its_run(
    users, django_capture_on_commit_callbacks
):
    # a zip archive, as an Excel file is, but not a workbook
    upload = SimpleUploadedFile("units.xlsx", b"PK\x03\x04" + b"x" * (INLINE_BYTES + 1))
    with django_capture_on_commit_callbacks(execute=True):
        made = import_queue(actor=users.manager, kind="equipment", upload=upload, mode="check")
    made.refresh_from_db()
    assert made.outcome == "unreadable" and made.problems[0]["row"] == 0


def test_an_order_with_a_bad_row_is_not_imported_half(users, company_a, company_b):
    factories.make_product_model("HX-NVR-6400")
    header = ["订单号", "客户名称", "订单日期", "物料号/零件号", "数量", "交付的序列号"]
    rows = [
        header,
        ["SO-1", "甲公司", "2026-02-01", "HX-NVR-6400", "1", "H-1"],
        ["SO-1", "甲公司", "2026-02-01", "配件", "abc", ""],  # bad quantity
        ["SO-2", "甲公司", "2026-02-01", "HX-NVR-6400", "1", "H-2"],
        ["SO-2", "甲公司", "2026-02-01", "HX-NVR-6400", "1", "B-0001"],  # company B's unit
    ]
    good = run(users, "sales_orders", rows, mode="good")
    assert good.created == 0 and not SalesOrder.objects.exists()
    said = {(p["row"], p["reason"]) for p in good.problems}
    assert any(row == 2 and "第 3 行" in reason for row, reason in said)  # SO-1 not half
    assert any(row == 5 and "B-0001" in reason and "第 2 行" not in reason for row, reason in said)


def test_dates_say_what_is_wrong_and_an_import_names_its_file_in_the_history(
    page, users, company_a
):
    factories.make_product_model("HX-NVR-6400")
    header = ["序列号", "客户名称", "型号编码", "交货日期"]
    bad = run(
        users,
        "equipment",
        [
            header,
            ["D-1", "甲公司", "HX-NVR-6400", "03/05/2026"],
            ["D-2", "甲公司", "HX-NVR-6400", "2026-02-30"],
        ],
        mode="check",
    )
    assert "年在前" in bad.problems[0]["reason"] and "没有 2026-02-30" in bad.problems[1]["reason"]
    run(
        users,
        "equipment",
        [header, ["D-3", "甲公司", "HX-NVR-6400", "2026-03-01"]],
        name="units.xlsx",
    )
    unit = Equipment.objects.get(serial_number="D-3")
    shown = page(users.manager).get(f"/equipment/{unit.pk}/").content.decode()
    assert "从文件 units.xlsx 导入" in shown


def test_a_renamed_file_is_refused_before_it_is_queued(users):
    with factories.refused("file"):
        import_queue(
            actor=users.manager,
            kind="equipment",
            upload=SimpleUploadedFile("fake.xlsx", b"\x89PNG" + b"x" * (INLINE_BYTES + 1)),
            mode="check",
        )
    assert not ImportRun.objects.exists()


def test_a_gbk_csv_with_bad_rows_is_checked_then_its_good_rows_import_once(users, company_a):
    from aftersales.imports.tests.test_imports import csv_file

    factories.make_product_model("HX-NVR-6400")
    text = (
        "序列号,客户名称,型号编码,交货日期\n"
        "G-1,甲公司,HX-NVR-6400,2026年3月1日\n"
        "G-2,无此公司,HX-NVR-6400,2026/3/1\n"
        "G-1,甲公司,HX-NVR-6400,\n"
    )
    checked = import_run(
        actor=users.manager,
        kind="equipment",
        upload=csv_file(text, "gbk", "units.csv"),
        mode="check",
    )
    assert (checked.outcome, [p["row"] for p in checked.problems]) == ("checked", [3, 4])
    assert not Equipment.objects.filter(serial_number__startswith="G-").exists()
    first = import_run(
        actor=users.manager,
        kind="equipment",
        upload=csv_file(text, "gbk", "units.csv"),
        mode="good",
    )
    again = import_run(
        actor=users.manager,
        kind="equipment",
        upload=csv_file(text, "gbk", "units.csv"),
        mode="good",
    )
    assert (first.created, again.created, again.updated, again.unchanged) == (1, 0, 0, 1)


def test_every_row_of_a_skipped_order_is_told_and_a_picture_renamed_csv_is_refused(
    users, company_a, company_b
):
    factories.make_product_model("HX-NVR-6400")
    header = ["订单号", "客户名称", "订单日期", "物料号/零件号", "数量", "交付的序列号"]
    rows = [
        header,
        ["SO-7", "甲公司", "2026-02-01", "HX-NVR-6400", "1", "H-7"],
        ["SO-7", "甲公司", "2026-02-01", "HX-NVR-6400", "1", "B-0001"],  # company B's
        ["SO-8", "甲公司", "2026-02-01", "HX-NVR-6400", "1", "H-8"],
    ]
    made = run(users, "sales_orders", rows, mode="good")
    assert made.created == 1 and made.skipped_some and not made.wrote_nothing
    assert sorted(p["row"] for p in made.problems) == [2, 3]
    with factories.refused("file"):
        import_run(
            actor=users.manager,
            kind="customers",
            upload=SimpleUploadedFile("fake.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
            mode="check",
        )
