"""The product catalogue page: each model's fault codes, kept by the technical
department (R-SR-7, R-SR-8: the code is what makes a fault "the same")."""

import pytest
from tests import factories

from aftersales.customers import services
from aftersales.customers.models import FaultCode

pytestmark = pytest.mark.django_db


def test_fault_codes_are_kept_per_model(users, company_a):
    model = company_a.equipment.product_model
    with factories.refused("code", "name"):
        services.fault_code_create(actor=users.techdept, product_model=model, code="", name=" ")
    made = services.fault_code_create(
        actor=users.techdept, product_model=model, code="E01", name="硬盘故障"
    )
    with factories.refused("code"):  # one code once per model, whatever its case
        services.fault_code_create(actor=users.techdept, product_model=model, code="e01", name="x")
    other = services.product_model_create(actor=None, code="HX-OTHER", name="另一型号")
    services.fault_code_create(actor=users.techdept, product_model=other, code="E01", name="别的")
    services.fault_code_rename(actor=users.techdept, fault_code=made, name="硬盘未识别")
    made.refresh_from_db()
    assert made.name == "硬盘未识别" and made.history.count() == 2


def test_the_catalogue_pages_and_who_may_change_them(page, users, company_a, company_b):
    model = company_a.equipment.product_model
    listed = page(users.tech).get("/product-models/").content.decode()
    assert f'data-model="{model.code}"' in listed
    detail = f"/product-models/{model.pk}/"
    assert 'id="add-code"' not in page(users.tech).get(detail).content.decode()
    assert (
        page(users.tech).post(detail, {"step": "add", "code": "X", "name": "x"}).status_code == 403
    )
    client = page(users.techdept)
    assert 'id="add-code"' in client.get(detail).content.decode()
    added = client.post(detail, {"step": "add", "code": "E07", "name": "电源灯不亮"}, follow=True)
    assert "故障代码已添加" in added.content.decode()
    refused = client.post(detail, {"step": "add", "code": "E07", "name": "again"}, follow=True)
    assert "已有此故障代码" in refused.content.decode()
    fault = FaultCode.objects.get(product_model=model, code="E07")
    client.post(detail, {"step": "rename", "fault": fault.pk, "name": "电源指示灯不亮"})
    fault.refresh_from_db()
    assert fault.name == "电源指示灯不亮"
    assert 'data-code="E07"' in client.get(detail).content.decode()
    assert page(company_b.user).get("/product-models/").status_code == 403
    assert page(company_b.user).get(detail).status_code == 403
    assert page(users.nobody).get("/product-models/").status_code == 403


def test_the_catalogue_is_in_the_menu_of_staff_who_may_see_it(page, users, company_a):
    home = page(users.techdept).get("/").content.decode()
    assert 'href="/product-models/"' in home and "产品型号" in home
    assert 'href="/product-models/"' not in page(company_a.user).get("/portal/").content.decode()
