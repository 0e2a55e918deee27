"""Rules: R-CUS-1 (customers), R-CUS-2 (catalogue), R-CUS-3 (equipment), R-CUS-5
(warranty), R-ORG-1 (roles), R-ORG-3 (customers see their own)."""

import pytest
from tests import factories

from aftersales.customers.models import Customer, Equipment

pytestmark = pytest.mark.django_db

EQUIPMENT = {
    "serial_number": "SN-API-1",
    "product_model": "HX-NVR-6400",
    "accepted_on": "2026-03-15",
    "warranty_months": 12,
}


def test_an_agent_creates_a_customer_with_the_fixed_fields(api, users):
    response = api(users.agent).post(
        "/api/v1/customers/",
        {"name": "丁公司", "region": "华南", "is_key_customer": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "丁公司" and body["region"] == "华南" and body["is_key_customer"] is True
    assert Customer.objects.get(pk=body["id"]).history.get().history_user == users.agent


def test_an_agent_creates_equipment_and_gets_its_warranty_dates(api, users, company_a):
    body = {
        **EQUIPMENT,
        "customer": company_a.customer.pk,
        "maintenance_months": 24,
        "batch_number": "B2026",
    }
    response = api(users.agent).post("/api/v1/equipment/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["warranty_until"] == "2027-03-14"
    assert data["maintenance_until"] == "2029-03-14"
    assert data["product_model"] == "HX-NVR-6400"
    assert data["warranty_status"] in {"in_warranty", "maintenance_contract", "out_of_warranty"}


def _equipment(owner, **changes):
    return {**EQUIPMENT, "customer": owner.pk, **changes}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"accepted_on": "2026-01-01", "delivered_on": "2026-02-01"}, "accepted_on"),
        ({"warranty_months": -1}, "warranty_months"),
        ({"warranty_months": 1200}, "warranty_months"),
        ({"warranty_months": 1.5}, "warranty_months"),
        ({"maintenance_months": 100000}, "maintenance_months"),
        ({"customer": 999999}, "customer"),
        ({"customer": "abc"}, "customer"),
        ({"serial_number": ""}, "serial_number"),
        ({"serial_number": "X" * 101}, "serial_number"),
        ({"serial_number": "AB\u0000CD"}, "serial_number"),
        ({"product_model": ""}, "product_model"),
        ({"product_model": "M" * 51}, "product_model"),
        ({"accepted_on": "2026-02-30"}, "accepted_on"),
        ({"accepted_on": "yesterday"}, "accepted_on"),
    ],
)
def test_bad_equipment_input_is_a_field_error_in_chinese_and_writes_nothing(
    api, users, company_a, changes, field
):
    before = Equipment.objects.count()
    response = api(users.agent).post(
        "/api/v1/equipment/", _equipment(company_a.customer, **changes), format="json"
    )
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in " ".join(errors[field])), errors
    assert Equipment.objects.count() == before


def test_a_duplicate_serial_number_is_a_400_on_that_field(api, users, company_a):
    response = api(users.agent).post(
        "/api/v1/equipment/", _equipment(company_a.customer, serial_number="A-0001"), format="json"
    )
    assert response.status_code == 400
    assert "serial_number" in response.json()


def test_errors_come_in_english_when_asked(api, users, company_a):
    response = api(users.agent, language="en").post(
        "/api/v1/equipment/", _equipment(company_a.customer, warranty_months=-1), format="json"
    )
    assert response.status_code == 400
    assert "greater than or equal to 0" in response.json()["warranty_months"][0]


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": "名" * 201},
        {"name": "a\u0000b"},
        {},
        {"name": "x", "region": "区" * 51},
        {"name": "x", "is_key_customer": "maybe"},
        {"name": "x", "sales_owner": 999999},
    ],
)
def test_bad_customer_input_is_a_400_and_writes_nothing(api, users, body):
    response = api(users.agent).post("/api/v1/customers/", body, format="json")
    assert response.status_code == 400, response.content
    assert not Customer.objects.exists()


def test_a_duplicate_customer_name_is_a_400(api, users, company_a):
    response = api(users.agent).post("/api/v1/customers/", {"name": "甲公司"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize("payload", ['{"name": ', "[1, 2]", "null", '{"name": NaN}', "\x00"])
def test_malformed_json_is_a_400(api, users, payload):
    response = api(users.agent).post("/api/v1/customers/", payload, content_type="application/json")
    assert response.status_code == 400
    assert not Customer.objects.exists()


def test_a_customer_contact_sees_only_their_own_company(api, company_a, company_b):
    client = api(company_a.user)
    listed = client.get("/api/v1/customers/").json()
    assert [c["id"] for c in listed["results"]] == [company_a.customer.pk]
    assert client.get(f"/api/v1/customers/{company_a.customer.pk}/").status_code == 200
    assert client.get(f"/api/v1/customers/{company_b.customer.pk}/").status_code == 404
    equipment = client.get("/api/v1/equipment/").json()
    assert [e["serial_number"] for e in equipment["results"]] == ["A-0001"]
    assert client.get(f"/api/v1/equipment/{company_b.equipment.pk}/").status_code == 404
    assert client.get(f"/api/v1/equipment/?customer={company_b.customer.pk}").json()["count"] == 0


def test_a_customer_contact_cannot_create_or_change_records(api, company_a, company_b):
    client = api(company_a.user)
    assert client.post("/api/v1/customers/", {"name": "新公司"}, format="json").status_code == 403
    response = client.patch(
        f"/api/v1/customers/{company_a.customer.pk}/", {"region": "华南"}, format="json"
    )
    assert response.status_code == 403
    response = client.patch(
        f"/api/v1/equipment/{company_b.equipment.pk}/", {"batch_number": "X"}, format="json"
    )
    assert response.status_code in {403, 404}
    company_b.equipment.refresh_from_db()
    assert company_b.equipment.batch_number == ""


@pytest.mark.parametrize("role", ["tech", "quality", "finance", "warehouse", "vp", "gm", "nobody"])
def test_roles_without_the_permission_cannot_create_customers_or_equipment(
    api, users, company_a, role
):
    client = api(getattr(users, role))
    assert client.post("/api/v1/customers/", {"name": "新公司"}, format="json").status_code == 403
    response = client.post("/api/v1/equipment/", _equipment(company_a.customer), format="json")
    assert response.status_code == 403
    assert not Equipment.objects.filter(serial_number="SN-API-1").exists()


@pytest.mark.parametrize("role", ["agent", "tech", "manager", "quality", "finance", "vp", "gm"])
def test_staff_roles_can_read_every_customer(api, users, company_a, company_b, role):
    response = api(getattr(users, role)).get("/api/v1/customers/")
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_a_user_without_a_role_reads_nothing(api, users, company_a):
    assert api(users.nobody).get("/api/v1/customers/").status_code == 403
    assert api(users.nobody).get(f"/api/v1/equipment/{company_a.equipment.pk}/").status_code == 403


def test_anonymous_requests_are_refused(api, company_a):
    assert api().get("/api/v1/customers/").status_code == 401
    assert api().get(f"/api/v1/equipment/{company_a.equipment.pk}/").status_code == 401


def test_equipment_filters_by_warranty_status(api, users, company_a):
    factories.make_equipment(company_a.customer, serial_number="NO-DATE", accepted_on=None)
    data = api(users.agent).get("/api/v1/equipment/?warranty_status=unknown").json()
    assert [e["serial_number"] for e in data["results"]] == ["NO-DATE"]


def test_patching_equipment_recomputes_its_warranty(api, users, company_a):
    response = api(users.agent).patch(
        f"/api/v1/equipment/{company_a.equipment.pk}/",
        {"accepted_on": "2026-06-01", "warranty_months": 6},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["warranty_until"] == "2026-11-30"


def test_the_equipment_list_takes_a_fixed_number_of_queries(api, users, company_a):
    client = api(users.agent)
    few = factories.count_queries(client, "/api/v1/equipment/")
    for n in range(20):
        factories.make_equipment(company_a.customer, serial_number=f"Q-{n}")
    assert factories.count_queries(client, "/api/v1/equipment/") == few
    assert client.get("/api/v1/equipment/").json()["count"] == 21


def test_contracts_are_scoped_and_created_only_with_the_permission(
    api, users, company_a, company_b
):
    body = {
        "number": "WB-9",
        "customer": company_a.customer.pk,
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "equipment": [company_a.equipment.pk],
    }
    assert (
        api(users.tech).post("/api/v1/maintenance-contracts/", body, format="json").status_code
        == 403
    )
    created = api(users.manager).post("/api/v1/maintenance-contracts/", body, format="json")
    assert created.status_code == 201, created.content
    assert api(company_a.user).get("/api/v1/maintenance-contracts/").json()["count"] == 1
    assert api(company_b.user).get("/api/v1/maintenance-contracts/").json()["count"] == 0
    contract_id = created.json()["id"]
    assert (
        api(company_b.user).get(f"/api/v1/maintenance-contracts/{contract_id}/").status_code == 404
    )
    assert (
        api(company_a.user).post("/api/v1/maintenance-contracts/", body, format="json").status_code
        == 403
    )


def test_a_contract_for_another_customers_equipment_is_a_400(api, users, company_a, company_b):
    body = {
        "number": "WB-10",
        "customer": company_a.customer.pk,
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "equipment": [company_b.equipment.pk],
    }
    response = api(users.manager).post("/api/v1/maintenance-contracts/", body, format="json")
    assert response.status_code == 400 and "equipment" in response.json()


def test_the_product_catalogue_needs_a_role(api, users, company_a):
    assert api(users.agent).get("/api/v1/product-models/").json()["count"] >= 1
    assert api(users.nobody).get("/api/v1/product-models/").status_code == 403
    assert api().get("/api/v1/product-models/").status_code == 401
