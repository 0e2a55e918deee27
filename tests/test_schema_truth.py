"""The API takes what its schema says and refuses the rest with a 400 (issue 14 item 10):
a JSON value of the wrong type, a page number that is not one, an empty or unreadable
filter. What schemathesis' negative mode found accepted before, each as a test.

Rule: the system's rule 7 (bad input gets a clear error and changes nothing)."""

import json

import pytest

from aftersales.customers.models import Customer
from tests import factories

CUSTOMER = {"name": "丙公司", "phone": "13900000000"}


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("is_active", 0),  # was read as False
        ("is_key_customer", "yes"),  # was read as True
        ("name", 0),  # was stored as "0"
        ("notes", ["说明"]),
        ("region", True),
    ],
)
def test_a_json_value_of_the_wrong_type_is_a_400_under_its_field(api, users, field, value):
    answer = _post(api(users.manager), "/api/v1/customers/", {**CUSTOMER, field: value})
    assert answer.status_code == 400, answer.content
    assert list(answer.json()) == [field]
    assert not Customer.objects.filter(phone=CUSTOMER["phone"]).exists()


def test_a_json_value_of_the_right_type_is_still_taken(api, users):
    body = {**CUSTOMER, "is_active": False, "is_key_customer": True}
    answer = _post(api(users.manager), "/api/v1/customers/", body)
    assert answer.status_code == 201, answer.content
    assert answer.json()["is_active"] is False


def test_text_takes_only_a_string_and_a_list_only_a_list(api, users, company_a):
    body = {"title": "华东地区预警", "text": 0}
    assert _post(api(users.manager), "/api/v1/regional-warnings/", body).status_code == 400
    complaint = factories.make_complaint(users, company_a.customer)
    url = f"/api/v1/complaints/{complaint.pk}/mark-major/"
    answer = _post(api(users.manager), url, {"group": {}})  # was read as "nobody"
    assert answer.status_code == 400, answer.content
    assert "group" in answer.json()
    complaint.refresh_from_db()
    assert not complaint.is_major


@pytest.mark.parametrize(
    "query", ["page_size=abc", "page_size=0", "page_size=201", "page_size=", "page=0", "page=x"]
)
def test_a_page_or_page_size_that_is_not_a_whole_number_in_range_is_a_400(api, users, query):
    answer = api(users.manager).get(f"/api/v1/customers/?{query}")
    assert answer.status_code == 400, answer.content
    name = query.split("=")[0]
    assert "整数" in answer.json()[name][0]


def test_page_and_page_size_in_range_are_taken(api, users, company_a, company_b):
    answer = api(users.manager).get("/api/v1/customers/?page=1&page_size=1")
    assert answer.status_code == 200
    assert len(answer.json()["results"]) == 1
    assert api(users.manager).get("/api/v1/customers/?page=last").status_code == 200


def test_a_filter_by_a_related_id_that_matches_nothing_is_an_empty_page(
    api, users, company_a, company_b
):
    """Not a 400 "not a valid choice": a customer filtering by another company's id
    learns nothing, and an unknown id is simply no match."""
    staff = api(users.manager).get("/api/v1/equipment/?customer=999999")
    assert staff.status_code == 200 and staff.json()["count"] == 0
    own = api(company_a.user).get(f"/api/v1/equipment/?customer={company_a.customer.pk}")
    assert own.json()["count"] == 1
    other = api(company_a.user).get(f"/api/v1/equipment/?customer={company_b.customer.pk}")
    assert other.status_code == 200 and other.json()["count"] == 0
    too_big = api(users.manager).get("/api/v1/equipment/?customer=99999999999999999999")
    assert too_big.status_code == 400


@pytest.mark.parametrize("value", ["null", "maybe", ""])
def test_a_yes_no_filter_takes_true_or_false_only(api, users, company_a, value):
    answer = api(users.manager).get(f"/api/v1/customers/?is_key_customer={value}")
    assert answer.status_code == 400, answer.content
    assert "is_key_customer" in answer.json()
    yes = api(users.manager).get("/api/v1/customers/?is_key_customer=true")
    assert [row["name"] for row in yes.json()["results"]] == ["甲公司"]


def test_a_year_of_thousands_of_digits_is_a_400(api, users):
    answer = api(users.manager).get("/api/v1/satisfaction/", {"year": "9" * 5000})
    assert answer.status_code == 400
    assert "year" in answer.json()


def test_the_schema_says_what_the_server_takes(client, users):
    """Months, years, decimals, pages and related-record filters are documented with the
    bounds the server checks, so valid generated input is never refused for its shape."""
    import yaml

    client.force_login(users.manager)
    schema = yaml.safe_load(client.get("/api/schema/").content)
    parameters = {
        p["name"]: p["schema"]
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
        for p in operation.get("parameters", [])
    }
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert parameters["year"]["minimum"] == 2000 and parameters["year"]["maximum"] == 2100
    assert parameters["month"]["pattern"].startswith("^(20")
    assert parameters["customer"]["type"] == "integer" and parameters["customer"]["minimum"] == 1
    patterns = [
        s["pattern"]
        for s in _walk(schema["components"])
        if isinstance(s, dict) and s.get("format") == "decimal"
    ]
    assert patterns and all("{0," not in p for p in patterns)


def _walk(node):
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        yield from _walk(child)


def test_a_null_body_is_refused_in_chinese(api, users):
    answer = _post(api(users.manager), "/api/v1/customers/", None)
    assert answer.status_code == 400
    assert answer.json() == {"non_field_errors": ["请以 JSON 对象发送各字段。"]}


def test_a_body_that_is_not_json_and_a_month_beside_a_year_are_400s(api, users):
    client = api(users.manager)
    broken = client.post("/api/v1/customers/", data=b"\xfc{", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json() == {"detail": "请求体不是有效的 JSON（UTF-8 编码）。"}
    both = client.get("/api/v1/satisfaction/", {"year": "2050", "month": "-µ"})
    assert both.status_code == 400 and "year" in both.json()


def test_an_empty_format_is_not_read_as_the_default(api, users):
    answer = api(users.manager).get("/api/v1/complaint-review/", {"format": "", "month": "2100-01"})
    assert answer.status_code == 404


def test_an_empty_location_on_the_reconciliation_is_a_400(api, users):
    answer = api(users.manager).get(
        "/api/v1/stock-reconciliation/", {"location": "", "month": "2000-01"}
    )
    assert answer.status_code == 400 and "location" in answer.json()
