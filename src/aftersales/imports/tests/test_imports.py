"""Imports from spreadsheets (issue 17 part 2): a dry run reports every bad row and
writes nothing; a clean file imports; the same file again changes nothing; CSV in GBK
and UTF-8 read as Excel does; only the service manager may import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from tests import factories

from aftersales.customers.models import Customer, Equipment
from aftersales.imports.models import ImportRun
from aftersales.imports.services import import_run

pytestmark = pytest.mark.django_db


def xlsx(rows, name="units.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile(name, data.getvalue())


def csv_file(text, encoding, name="customers.csv"):
    return SimpleUploadedFile(name, text.encode(encoding))


UNITS = [
    ["序列号*", "客户名称*", "型号编码*", "交货日期", "验收合格日", "保修（月）"],
    ["NVR-1", "甲公司", "HX-NVR-6400", "2026-03-01", "2026年3月5日", "24"],
    ["NVR-2", "甲公司", "HX-NVR-6400", "2026/3/1", "", ""],
    ["NVR-3", "丙公司", "HX-NVR-6400", "", "", ""],  # no such customer
    ["NVR-4", "甲公司", "NOPE", "", "", ""],  # no such model
    ["NVR-1", "甲公司", "HX-NVR-6400", "", "", ""],  # repeats row 2
    ["B-0001", "甲公司", "HX-NVR-6400", "", "", ""],  # company B's unit
    ["NVR-5", "甲公司", "HX-NVR-6400", "2026-13-01", "", ""],  # not a date
]


def test_a_dry_run_reports_every_bad_row_and_imports_nothing(users, company_a, company_b):
    factories.make_product_model("HX-NVR-6400")
    run = import_run(actor=users.manager, kind="equipment", upload=xlsx(UNITS), mode="check")
    assert run.outcome == "checked" and run.created == 2
    assert [p["row"] for p in run.problems] == [4, 5, 6, 7, 8]
    assert run.problems[0]["column"] == "客户名称" and "客户" in run.problems[0]["reason"]
    assert not Equipment.objects.filter(serial_number__startswith="NVR").exists()
    refused = import_run(actor=users.manager, kind="equipment", upload=xlsx(UNITS), mode="import")
    assert refused.outcome == "refused"
    assert not Equipment.objects.filter(serial_number__startswith="NVR").exists()


def test_good_rows_import_with_their_history_and_again_changes_nothing(users, company_a, company_b):
    factories.make_product_model("HX-NVR-6400")
    run = import_run(actor=users.manager, kind="equipment", upload=xlsx(UNITS), mode="good")
    assert (run.outcome, run.created) == ("imported", 2)
    unit = Equipment.objects.get(serial_number="NVR-1")
    assert str(unit.accepted_on) == "2026-03-05" and unit.warranty_months == 24
    assert unit.history.first().history_change_reason == "imported from units.xlsx"
    again = import_run(actor=users.manager, kind="equipment", upload=xlsx(UNITS), mode="good")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_customers_import_from_csv_as_chinese_excel_saves_it(users, encoding):
    text = "客户名称*,区域,电话,地址,重点客户（是/否）\n华东电力,华东,021-5555 1234,上海市,是\n"
    run = import_run(
        actor=users.manager, kind="customers", upload=csv_file(text, encoding), mode="import"
    )
    assert run.outcome == "imported" and run.problems == []
    made = Customer.objects.get(name="华东电力")
    assert made.is_key_customer and made.region == "华东"


def test_a_file_that_is_not_a_spreadsheet_or_lacks_headers_is_refused(users):
    with factories.refused("file"):
        import_run(
            actor=users.manager,
            kind="customers",
            upload=SimpleUploadedFile("x.pdf", b"%PDF"),
            mode="check",
        )
    with factories.refused("file"):
        import_run(
            actor=users.manager,
            kind="equipment",
            upload=csv_file("客户名称\n甲公司\n", "utf-8"),
            mode="check",
        )
    assert not ImportRun.objects.exists()


def test_only_the_service_manager_imports_on_the_page(page, users, company_a):
    answer = page(users.manager).post(
        "/imports/",
        {
            "kind": "customers",
            "mode": "import",
            "file": csv_file("客户名称\n新客户\n", "utf-8"),
        },
    )
    run = ImportRun.objects.get()
    assert answer.url == f"/imports/{run.pk}/"
    assert "新客户" in Customer.objects.values_list("name", flat=True)
    template = page(users.manager).get("/imports/template/equipment/")
    assert template.status_code == 200 and template.content.startswith(b"PK")
    for who in (users.agent, users.tech, users.sales, company_a.user):
        assert page(who).get("/imports/").status_code == 403
        assert page(who).get(f"/imports/{run.pk}/").status_code == 403
