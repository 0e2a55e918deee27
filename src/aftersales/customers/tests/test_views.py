"""Rules: R-CUS-1 (customers), R-CUS-3 (equipment), R-CUS-4 (equipment history), R-ORG-1
(roles), R-ORG-3 (customers see their own)."""

import pytest
from tests import factories

from aftersales.customers.models import Customer, Equipment

pytestmark = pytest.mark.django_db


def test_the_customer_list_is_in_chinese_and_searchable(page, users, company_a, company_b):
    response = page(users.agent).get("/customers/?q=甲")
    html = response.content.decode()
    assert response.status_code == 200
    assert "客户" in html and "甲公司" in html and "乙公司" not in html


def test_the_customer_list_filters_by_region_and_key_flag(page, users, company_a, company_b):
    assert "乙公司" in page(users.agent).get("/customers/?region=华北").content.decode()
    html = page(users.agent).get("/customers/?key=1").content.decode()
    assert "甲公司" in html and "乙公司" not in html


def test_the_customer_list_is_paginated(page, users):
    for n in range(30):
        factories.make_customer(f"分页客户{n:02d}")
    first = page(users.agent).get("/customers/").content.decode()
    second = page(users.agent).get("/customers/?page=2").content.decode()
    assert "分页客户00" in first and "分页客户29" not in first
    assert "分页客户29" in second


@pytest.mark.parametrize(
    ("url", "add_rows"),
    [
        ("/customers/", lambda: factories.make_equipment(factories.make_customer())),
        ("/equipment/", lambda: factories.make_equipment()),
    ],
)
def test_list_pages_take_a_fixed_number_of_queries(page, users, url, add_rows):
    client = page(users.agent)
    add_rows()
    few = factories.count_queries(client, url)
    for _ in range(15):
        add_rows()
    assert factories.count_queries(client, url) == few


def test_customer_detail_shows_sites_contacts_equipment_and_contracts(page, users, company_a):
    html = page(users.agent).get(f"/customers/{company_a.customer.pk}/").content.decode()
    for section in ['id="sites"', 'id="contacts"', 'id="equipment"', 'id="contracts"', "A-0001"]:
        assert section in html


def test_equipment_detail_shows_the_warranty_badge_and_timeline(page, users, company_a):
    html = page(users.manager).get(f"/equipment/{company_a.equipment.pk}/").content.decode()
    assert 'data-warranty="' in html
    assert 'id="timeline"' in html and 'data-kind="record"' in html


def test_managers_see_the_audit_trail_and_agents_do_not(page, users, company_a):
    url = f"/customers/{company_a.customer.pk}/"
    assert 'id="audit-trail"' in page(users.manager).get(url).content.decode()
    assert 'id="audit-trail"' not in page(users.agent).get(url).content.decode()


def test_an_agent_creates_a_customer_through_the_form(page, users):
    response = page(users.agent).post(
        "/customers/new/", {"name": "戊公司", "kind": "organisation", "region": "华东"}
    )
    customer = Customer.objects.get(name="戊公司")
    assert response.status_code == 302 and response["Location"] == f"/customers/{customer.pk}/"
    assert customer.history.get().history_user == users.agent


def test_form_errors_appear_next_to_their_fields(page, users, company_a):
    response = page(users.agent).post(
        "/equipment/new/",
        {
            "serial_number": "A-0001",
            "customer": company_a.customer.pk,
            "product_model": company_a.equipment.product_model_id,
            "delivered_on": "2026-02-01",
            "accepted_on": "2026-01-01",
            "warranty_months": 999,
            "maintenance_months": 0,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"serial_number", "accepted_on", "warranty_months"}
    html = response.content.decode()
    assert html.index('data-field="accepted_on"') < html.index("验收合格日不能早于交货日期")
    assert Equipment.objects.count() == 1


def test_editing_equipment_recomputes_the_warranty(page, users, company_a):
    unit = company_a.equipment
    response = page(users.agent).post(
        f"/equipment/{unit.pk}/edit/",
        {
            "serial_number": unit.serial_number,
            "customer": unit.customer_id,
            "product_model": unit.product_model_id,
            "accepted_on": "2026-06-01",
            "warranty_months": 6,
            "maintenance_months": 0,
            "installed_by_us": "on",
        },
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert str(unit.warranty_until) == "2026-11-30"


def test_a_customer_contact_cannot_open_another_companys_pages(page, company_a, company_b):
    client = page(company_a.user)
    assert client.get(f"/customers/{company_b.customer.pk}/").status_code == 404
    assert client.get(f"/equipment/{company_b.equipment.pk}/").status_code == 404
    assert client.get(f"/equipment/{company_a.equipment.pk}/").status_code == 200
    # The staff lists send a customer's contact to the portal's list of their units,
    # which links to each unit's history.
    for staff_list in ("/equipment/", "/customers/"):
        assert client.get(staff_list).url == "/portal/equipment/"
    html = client.get("/portal/equipment/").content.decode()
    assert "A-0001" in html and "B-0001" not in html
    assert f'href="/equipment/{company_a.equipment.pk}/"' in html


FORMS = [
    "/customers/new/",
    "/equipment/new/",
    "/customers/{a}/edit/",
    "/customers/{a}/sites/new/",
    "/customers/{a}/contacts/new/",
    "/customers/{a}/contracts/new/",
    "/equipment/{e}/edit/",
]


@pytest.mark.parametrize("url", FORMS)
def test_a_customer_contact_cannot_open_forms(page, company_a, url):
    url = url.format(a=company_a.customer.pk, e=company_a.equipment.pk)
    assert page(company_a.user).get(url).status_code == 403


@pytest.mark.parametrize("url", FORMS)
@pytest.mark.parametrize("role", ["tech", "quality", "finance", "vp", "gm", "nobody"])
def test_roles_without_the_permission_cannot_open_forms(page, users, company_a, role, url):
    url = url.format(a=company_a.customer.pk, e=company_a.equipment.pk)
    assert page(getattr(users, role)).get(url).status_code == 403
    assert page(getattr(users, role)).post(url, {"name": "x"}).status_code == 403


@pytest.mark.parametrize("url", FORMS[2:])
def test_forms_of_another_companys_records_are_not_found_for_staff_too(page, users, url):
    url = url.format(a=999999, e=999999)
    assert page(users.manager).get(url).status_code == 404


def test_a_user_without_a_role_cannot_open_lists_or_records(page, users, company_a):
    client = page(users.nobody)
    assert client.get("/customers/").status_code == 403
    assert client.get("/equipment/").status_code == 403
    assert client.get(f"/customers/{company_a.customer.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, company_a):
    for url in ["/", "/customers/", f"/equipment/{company_a.equipment.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_home_page_lists_every_area_and_marks_later_ones(page, users):
    html = page(users.agent).get("/").content.decode()
    for slug in ["customers", "service-requests", "complaints", "feedback", "reports"]:
        assert f'data-area="{slug}"' in html
    assert "尚未开放" in html
    assert page(users.agent).get("/areas/reports/").status_code == 200
    assert page(users.agent).get("/areas/feedback/").status_code == 404  # built: its own page
    assert page(users.agent).get("/areas/nonsense/").status_code == 404


def test_english_is_available_through_the_language_switch(page, users):
    client = page(users.agent)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Customers and equipment" in client.get("/").content.decode()


def test_record_changes_stay_off_the_timeline_for_non_managers(page, users, company_a):
    html = page(users.agent).get(f"/equipment/{company_a.equipment.pk}/").content.decode()
    assert 'data-kind="record"' not in html
    assert 'data-kind="contract"' in html


def test_a_customer_sees_the_equipment_timeline_without_the_audit_trail(page, company_a):
    html = page(company_a.user).get(f"/equipment/{company_a.equipment.pk}/").content.decode()
    assert 'id="timeline"' in html and 'data-kind="record"' not in html
