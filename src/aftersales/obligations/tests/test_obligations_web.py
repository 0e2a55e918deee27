import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from tests import factories

from aftersales.obligations import services
from aftersales.obligations.models import Notification, Obligation, Policy
from aftersales.obligations.sweep import obligations_sweep

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def tracked(users):
    customer = factories.make_customer("监控客户")
    start = dt.datetime(2026, 9, 21, 9, 0, tzinfo=SH)
    late = services.obligation_open(
        actor=None, target=customer, rule="CP.CONTACT", started_at=start, responsible=users.tech
    )
    running = services.obligation_open(
        actor=None, target=customer, rule="CP.OPINION", started_at=start, responsible=users.agent
    )
    obligations_sweep(now=start + dt.timedelta(hours=5))
    late.refresh_from_db()
    return {"customer": customer, "late": late, "running": running}


def test_the_obligations_api_lists_with_the_fixed_fields(api, users, tracked):
    data = api(users.manager).get("/api/v1/obligations/").json()
    assert data["count"] == 2
    first = data["results"][0]
    assert {"rule", "state", "due_at", "met_at"} <= set(first)
    assert first["rule"] == "CP.CONTACT" and first["state"] == "breached"
    assert first["target_type"] == "customers.customer"


@pytest.mark.parametrize(
    ("query", "rules"),
    [
        ("rule=CP.OPINION", ["CP.OPINION"]),
        ("state=breached", ["CP.CONTACT"]),
        ("breached=true", ["CP.CONTACT"]),
        ("breached=false", ["CP.OPINION"]),
        ("state=running&state=breached", ["CP.CONTACT", "CP.OPINION"]),
    ],
)
def test_the_obligations_api_filters(api, users, tracked, query, rules):
    data = api(users.manager).get(f"/api/v1/obligations/?{query}").json()
    assert sorted(r["rule"] for r in data["results"]) == rules


def test_filtering_by_responsible(api, users, tracked):
    data = api(users.manager).get(f"/api/v1/obligations/?responsible={users.agent.pk}").json()
    assert [r["rule"] for r in data["results"]] == ["CP.OPINION"]


def test_a_manager_cancels_with_a_reason_and_a_second_cancel_is_409(api, users, tracked):
    url = f"/api/v1/obligations/{tracked['running'].pk}/cancel/"
    assert api(users.manager).post(url, {}, format="json").status_code == 400
    response = api(users.manager).post(url, {"reason": "客户撤回"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    assert api(users.manager).post(url, {"reason": "again"}, format="json").status_code == 409


def test_others_cannot_cancel(api, users, tracked):
    url = f"/api/v1/obligations/{tracked['running'].pk}/cancel/"
    assert api(users.agent).post(url, {"reason": "x"}, format="json").status_code == 403
    assert Obligation.objects.get(pk=tracked["running"].pk).state == "running"


def test_customers_and_roleless_users_see_no_obligations(api, users, tracked, company_a):
    assert api(company_a.user).get("/api/v1/obligations/").status_code == 403
    assert api(users.nobody).get("/api/v1/obligations/").status_code == 403
    assert api().get("/api/v1/obligations/").status_code == 401
    url = f"/api/v1/obligations/{tracked['late'].pk}/"
    assert api(company_a.user).get(url).status_code in {403, 404}


def test_policies_are_read_by_staff_and_changed_by_the_service_manager(api, users):
    policy = Policy.objects.get(rule="CP.CONTACT")
    url = f"/api/v1/policies/{policy.pk}/"
    assert api(users.agent).get(url).json()["amount"] == 4
    assert api(users.agent).patch(url, {"amount": 2}, format="json").status_code == 403
    response = api(users.manager).patch(url, {"amount": 2, "calendar": "standard"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["amount"] == 2 and response.json()["calendar"] == "standard"
    bad = api(users.manager).patch(url, {"unit": "fortnights"}, format="json")
    assert bad.status_code == 400 and "unit" in bad.json()
    assert api(users.manager).patch(url, {"calendar": "nope"}, format="json").status_code == 400


def test_notifications_are_the_callers_own(api, users, tracked):
    tech = api(users.tech).get("/api/v1/notifications/").json()
    assert tech["count"] == 1 and "联系投诉人时限" in tech["results"][0]["message"]
    assert api(users.gm).get("/api/v1/notifications/").json()["count"] == 0
    assert api(users.tech).post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert not Notification.objects.filter(user=users.tech, read_at__isnull=True).exists()


def test_the_monitor_page_colours_by_time_left(page, users, tracked):
    html = page(users.manager).get("/time-limits/").content.decode()
    assert 'class="table-danger" data-rule="CP.CONTACT" data-state="breached"' in html
    assert 'data-rule="CP.OPINION" data-state="running"' in html
    assert html.index('data-rule="CP.CONTACT"') < html.index('data-rule="CP.OPINION"')


def test_the_monitor_filters_by_rule(page, users, tracked):
    html = page(users.manager).get("/time-limits/?rule=CP.OPINION").content.decode()
    assert 'data-rule="CP.OPINION"' in html and 'data-rule="CP.CONTACT"' not in html


def test_the_monitor_finds_a_record_by_its_number(page, users, tracked, company_a):
    request = factories.make_request(company_a.customer, severity="P2")
    manager = page(users.manager)
    html = manager.get("/time-limits/", {"number": request.number.lower()}).content.decode()
    assert 'data-rule="SR.REPLY"' in html and 'data-rule="CP.CONTACT"' not in html
    html = manager.get("/time-limits/", {"number": "BX-1999-000000"}).content.decode()
    assert 'data-rule="SR.REPLY"' not in html and 'data-rule="CP.CONTACT"' not in html


def test_the_bell_counts_unread_notifications(page, users, tracked):
    html = page(users.tech).get("/").content.decode()
    assert 'id="unread-count">1<' in html
    page(users.tech).post("/notifications/read/")
    assert 'id="unread-count"' not in page(users.tech).get("/").content.decode()


def _current_steps(policy):
    return [
        {
            "role": s.role,
            "delay_amount": s.delay_amount,
            "delay_unit": s.delay_unit,
            "delay_calendar": s.delay_calendar_id,
        }
        for s in policy.steps.order_by("step")
    ]


def test_a_manager_edits_a_policy_on_its_page(page, users):
    policy = Policy.objects.get(rule="CP.CONTACT")
    client = page(users.manager)
    url = f"/time-limits/policies/{policy.pk}/edit/"
    response = client.post(url, _ladder_post(policy, _current_steps(policy), amount=6))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.amount == 6 and policy.steps.count() == 3
    bad = client.post(url, _ladder_post(policy, _current_steps(policy), warn_percent=150))
    assert "warn_percent" in bad.context["form"].errors


@pytest.mark.parametrize("role", ["agent", "tech", "gm"])
def test_only_the_service_manager_edits_policies(page, users, role):
    policy = Policy.objects.get(rule="CP.CONTACT")
    assert (
        page(getattr(users, role)).get(f"/time-limits/policies/{policy.pk}/edit/").status_code
        == 403
    )


def test_customers_cannot_open_the_monitor(page, company_a):
    assert page(company_a.user).get("/time-limits/").status_code == 403
    assert page(company_a.user).get("/time-limits/policies/").status_code == 403


def test_a_records_page_can_show_its_time_limits(tracked):
    html = Template("{% load time_limits %}{% obligations_for record %}").render(
        Context({"record": tracked["customer"]})
    )
    assert 'data-rule="CP.CONTACT" data-state="breached"' in html
    assert 'data-rule="CP.OPINION" data-state="running"' in html


def _ladder_post(policy, steps, **changes):
    data = {
        "amount": policy.amount,
        "unit": policy.unit,
        "calendar": policy.calendar_id,
        "warn_percent": policy.warn_percent,
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": 0,
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 6,
    }
    for i, step in enumerate(steps):
        for key, value in step.items():
            data[f"steps-{i}-{key}"] = value
    data.update(changes)
    return data


def test_a_manager_changes_the_ladder_on_the_policy_page(page, users):
    policy = Policy.objects.get(rule="CP.CONTACT")
    calendar = policy.calendar_id
    response = page(users.manager).post(
        f"/time-limits/policies/{policy.pk}/edit/",
        _ladder_post(
            policy,
            [
                {
                    "role": "service_manager",
                    "delay_amount": 0,
                    "delay_unit": "hours",
                    "delay_calendar": calendar,
                },
                {
                    "role": "general_manager",
                    "delay_amount": 2,
                    "delay_unit": "hours",
                    "delay_calendar": calendar,
                },
            ],
        ),
    )
    assert response.status_code == 302
    ladder = list(policy.steps.order_by("step").values_list("step", "role", "delay_amount"))
    assert ladder == [(2, "service_manager", 0), (3, "general_manager", 2)]


def test_a_ladder_with_no_step_is_refused(page, users):
    policy = Policy.objects.get(rule="CP.CONTACT")
    response = page(users.manager).post(
        f"/time-limits/policies/{policy.pk}/edit/", _ladder_post(policy, [])
    )
    assert response.status_code == 200
    assert policy.steps.count() == 3


@pytest.mark.parametrize(
    ("late_by", "minutes", "text"),
    [
        (dt.timedelta(days=2, hours=3, minutes=20), -1000, "已超时 2 天 3 小时"),
        (dt.timedelta(hours=5, minutes=7), -300, "已超时 5 小时 7 分"),
        (None, 125, "2 小时 5 分"),
        # Three 8-hour working days and an hour left: said in working hours, not "1 天".
        (None, 3 * 8 * 60 + 60, "25 小时 0 分"),
        (None, 12, "12 分钟"),
    ],
)
def test_lateness_reads_in_days_and_hours_on_the_wall_clock(users, late_by, minutes, text):
    """Time left is working time; once late, how long ago it fell due, as people say it."""
    now = dt.datetime(2026, 9, 25, 15, 0, tzinfo=SH)
    ob = Obligation(due_at=now - late_by if late_by else now)
    import time_machine

    with time_machine.travel(now, tick=False):
        shown = Template("{% load time_limits %}{% time_left ob minutes %}").render(
            Context({"ob": ob, "minutes": minutes})
        )
    assert shown == text


def test_a_technician_sees_the_limits_of_their_own_work_only(api, page, users, company_a):
    """Not those of others' requests, nor of a complaint naming them (R-CP-5)."""
    from aftersales.service import work_orders

    theirs = factories.make_request(company_a.customer, actor=users.agent, severity="P2")
    others = factories.make_request(company_a.customer, actor=users.agent, severity="P2")
    work_orders.work_order_create(
        actor=users.manager, service_request=theirs, technician=users.tech
    )
    about_them = factories.make_complaint(
        users, company_a.customer, target_kind="person", target_person=users.tech
    )
    html = page(users.tech).get("/time-limits/").content.decode()
    assert 'data-rule="WO.PAPERS"' in html and theirs.number in html
    assert others.number not in html and about_them.number not in html
    listed = api(users.tech).get("/api/v1/obligations/?page_size=200").json()["results"]
    numbers = {(row["target_type"], row["target_id"]) for row in listed}
    assert ("service.servicerequest", theirs.pk) in numbers
    assert ("service.servicerequest", others.pk) not in numbers
    assert not any(kind == "complaints.complaint" for kind, _ in numbers)
    # The service manager still sees all of them.
    html = page(users.manager).get("/time-limits/").content.decode()
    assert others.number in html and about_them.number in html


@pytest.mark.parametrize(
    ("unit", "text"), [("working_hours", "2 小时 5 分（工作时间）"), ("hours", "2 小时 5 分")]
)
def test_time_left_on_the_working_calendar_says_so(unit, text):
    """Found by a trial: 40 hours left (working, due Monday) read as less than 72 hours
    left (on the clock, due Thursday)."""
    from aftersales.obligations.models import Policy

    ob = Obligation(due_at=dt.datetime(2026, 9, 25, 15, 0, tzinfo=SH), policy=Policy(unit=unit))
    shown = Template("{% load time_limits %}{% time_left ob 125 %}").render(Context({"ob": ob}))
    assert shown == text
