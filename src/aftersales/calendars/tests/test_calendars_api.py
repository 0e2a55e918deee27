import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendars/{code}/deadline/"


def _deadline(client, code="standard", **params):
    return client.get(URL.format(code=code), params)


@pytest.mark.parametrize(
    ("code", "start", "amount", "unit", "due"),
    [
        ("standard", "2026-09-18T16:00:00+08:00", 8, "working_hours", "2026-09-20T16:00:00+08:00"),
        ("standard", "2026-09-30T10:00:00+08:00", 3, "working_days", "2026-10-10T18:00:00+08:00"),
        ("standard", "2026-09-21T09:00:00+08:00", 3, "working_hours", "2026-09-21T12:00:00+08:00"),
        ("standard", "2026-09-21T12:30:00+08:00", 0, "working_hours", "2026-09-21T13:00:00+08:00"),
        (
            "standard",
            "2026-09-21T19:00:00+08:00",
            0,
            "same_working_day",
            "2026-09-22T18:00:00+08:00",
        ),
        ("standard", "2026-09-18T08:00:00Z", 8, "working_hours", "2026-09-20T16:00:00+08:00"),
        ("24x7", "2026-10-01T10:00:00+08:00", 10, "minutes", "2026-10-01T10:10:00+08:00"),
    ],
)
def test_the_policies_examples_hold_through_the_api(api, users, code, start, amount, unit, due):
    response = _deadline(api(users.agent), code, start=start, amount=amount, unit=unit)
    assert response.status_code == 200, response.content
    assert response.json() == {"due_at": due}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-09-18T16:00:00+08:00", "amount": 1, "unit": "fortnights"}, "unit"),
        ({"start": "2026-09-18T16:00:00+08:00", "amount": -1, "unit": "hours"}, "amount"),
        (
            {"start": "2026-09-18T16:00:00+08:00", "amount": 100000, "unit": "working_hours"},
            "amount",
        ),
        ({"start": "2026-09-18T16:00:00+08:00", "amount": 4000, "unit": "days"}, "amount"),
        ({"start": "2026-09-18T16:00:00+08:00", "amount": "x", "unit": "hours"}, "amount"),
        ({"start": "2026-09-18T16:00:00", "amount": 1, "unit": "hours"}, "start"),
        ({"start": "yesterday", "amount": 1, "unit": "hours"}, "start"),
        ({"amount": 1, "unit": "hours"}, "start"),
        ({"start": "2026-09-18T16:00:00+08:00", "amount": 2, "unit": "same_working_day"}, "amount"),
    ],
)
def test_bad_deadline_queries_are_400_with_the_field(api, users, params, field):
    response = _deadline(api(users.agent), **params)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_an_unknown_calendar_is_a_404_naming_the_calendar(api, users):
    """The calendar is the record in the path: one that is not there is a 404 (as the
    schema says), never a 400 for a well-formed request."""
    response = _deadline(
        api(users.agent), "nonsense", start="2026-09-18T16:00:00+08:00", amount=1, unit="hours"
    )
    assert response.status_code == 404
    assert "nonsense" in response.json()["detail"]


def test_errors_are_in_chinese_by_default(api, users):
    response = _deadline(api(users.agent), start="2026-09-18T16:00:00", amount=1, unit="hours")
    assert "时间" in response.json()["start"][0] or "偏移" in response.json()["start"][0]


def test_working_time_between_two_instants(api, users):
    response = api(users.agent).get(
        "/api/v1/calendars/standard/working-time/",
        {"start": "2026-09-18T16:00:00+08:00", "end": "2026-09-20T16:00:00+08:00"},
    )
    assert response.json() == {"working_minutes": 480.0}


def test_calendars_and_their_exceptions_are_listed(api, users):
    client = api(users.tech)
    codes = [c["code"] for c in client.get("/api/v1/calendars/").json()["results"]]
    assert codes == ["24x7", "standard"]
    days = client.get("/api/v1/calendars/standard/exceptions/", {"year": 2026}).json()
    assert {"date": "2026-10-10", "kind": "workday", "name": "调休上班"} in days
    assert client.get("/api/v1/calendars/standard/exceptions/").status_code == 400


def test_customers_and_anonymous_callers_are_refused(api, users, company_a):
    params = {"start": "2026-09-18T16:00:00+08:00", "amount": 1, "unit": "hours"}
    assert _deadline(api(company_a.user), **params).status_code == 403
    assert _deadline(api(users.nobody), **params).status_code == 403
    assert _deadline(api(), **params).status_code == 401


def test_working_periods_are_local_wall_times(api, users):
    client = api(users.tech)
    standard = client.get("/api/v1/calendars/standard/").json()
    assert standard["periods"][:2] == [
        {"weekday": 0, "starts_at": "09:00", "ends_at": "12:00"},
        {"weekday": 0, "starts_at": "13:00", "ends_at": "18:00"},
    ]
    always = client.get("/api/v1/calendars/24x7/").json()
    assert always["periods"][0] == {"weekday": 0, "starts_at": "00:00", "ends_at": "24:00"}
