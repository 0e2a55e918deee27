import pytest

from aftersales.calendars.models import Calendar

pytestmark = pytest.mark.django_db


def test_the_calculator_gives_the_policies_example(page, users):
    html = (
        page(users.agent)
        .get(
            "/calendars/calculator/",
            {
                "calendar": "standard",
                "start": "2026-09-18T16:00",
                "amount": 8,
                "unit": "working_hours",
            },
        )
        .content.decode()
    )
    assert 'id="due"' in html and "2026-09-20 16:00" in html


def test_the_calculator_shows_bad_input_next_to_the_field(page, users):
    response = page(users.agent).get(
        "/calendars/calculator/",
        {
            "calendar": "standard",
            "start": "2026-09-18T16:00",
            "amount": 99999999,
            "unit": "working_hours",
        },
    )
    assert "amount" in response.context["form"].errors
    assert 'id="due"' not in response.content.decode()


def test_the_calendar_page_lists_the_years_days(page, users):
    html = page(users.tech).get("/calendars/standard/?year=2026").content.decode()
    assert 'data-date="2026-10-10" data-kind="workday"' in html
    assert 'data-date="2026-10-01" data-kind="day_off"' in html
    assert "Remove" not in html and "移除" not in html  # technicians cannot edit


def test_a_manager_adds_and_removes_a_day_off(page, users):
    client = page(users.manager)
    response = client.post(
        "/calendars/standard/?year=2026",
        {"date": "2026-09-21", "kind": "day_off", "name": "公司年会"},
    )
    assert response.status_code == 302
    added = Calendar.objects.get(code="standard").exceptions.get(date="2026-09-21")
    assert added.history.get().history_user == users.manager
    response = client.post(f"/calendars/standard/exceptions/{added.pk}/remove/")
    assert response.status_code == 302
    assert not Calendar.objects.get(code="standard").exceptions.filter(date="2026-09-21").exists()


def test_a_contradicting_day_shows_an_error_and_changes_nothing(page, users):
    response = page(users.manager).post(
        "/calendars/standard/?year=2026", {"date": "2026-10-10", "kind": "day_off"}
    )
    assert response.status_code == 200
    assert "date" in response.context["exception_form"].errors
    assert Calendar.objects.get(code="standard").exceptions.get(date="2026-10-10").kind == "workday"


def test_a_manager_imports_a_year(page, users):
    response = page(users.manager).post("/calendars/standard/import/", {"year": 2025})
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["agent", "tech", "quality", "gm"])
def test_other_roles_cannot_change_calendars(page, users, role):
    client = page(getattr(users, role))
    assert (
        client.post("/calendars/standard/", {"date": "2026-09-21", "kind": "day_off"}).status_code
        == 403
    )
    assert client.post("/calendars/standard/import/", {"year": 2025}).status_code == 403
    exception = Calendar.objects.get(code="standard").exceptions.first()
    assert client.post(f"/calendars/standard/exceptions/{exception.pk}/remove/").status_code == 403


def test_customers_cannot_open_calendar_pages(page, company_a):
    client = page(company_a.user)
    for url in ["/calendars/", "/calendars/standard/", "/calendars/calculator/"]:
        assert client.get(url).status_code == 403


def test_an_unknown_calendar_page_is_404(page, users):
    assert page(users.manager).get("/calendars/nonsense/").status_code == 404


def test_the_home_page_warns_managers_about_next_years_missing_days(page, users):
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC), tick=False):
        assert 'id="statutory-warning"' in page(users.manager).get("/").content.decode()
        assert 'id="statutory-warning"' not in page(users.agent).get("/").content.decode()
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False):
        assert 'id="statutory-warning"' not in page(users.manager).get("/").content.decode()


def test_the_calculator_starts_now_in_the_pickers_own_format(page, users):
    """A datetime-local input shows only 2026-12-07T09:07, not the locale's 2026/12/07."""
    import re

    html = page(users.agent).get("/calendars/calculator/").content.decode()
    start = re.search(r'<input type="datetime-local" name="start" value="([^"]*)"', html)
    assert start and re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d", start.group(1)), start


def test_a_calendars_zone_is_named_as_people_say_it(page, users):
    """Found by a trial: the calendar pages showed 'Asia/Shanghai'."""
    html = page(users.manager).get("/calendars/").content.decode()
    assert "北京时间" in html and "Asia/Shanghai" not in html
