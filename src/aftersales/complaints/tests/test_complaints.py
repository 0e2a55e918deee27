"""Complaints: registration, acknowledgement, the CP.* limits, recusal, decline.

Rules: R-CP-1 (the record), R-CP-2 (category and nature), R-CP-3 (time limits), R-CP-5
(recusal), R-CP-8 (acceptance window), R-CP-10 (acknowledgement), R-ORG-3 (who sees
what).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from tests import factories

from aftersales.accounts.services import department_create
from aftersales.common.messaging import messages_about
from aftersales.complaints import services
from aftersales.complaints.models import Complaint, Step
from aftersales.obligations.models import Notification
from aftersales.obligations.sweep import obligations_sweep

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
RECEIVED = dt.datetime(2026, 9, 30, 16, 0, tzinfo=SH)  # the day before National Day


def at(when):
    return time_machine.travel(when, tick=False)


def register(users, company=None, **changes):
    values = {
        "actor": users.agent,
        "complainant_name": "王女士",
        "complainant_phone": "13912345678",
        "category": "staff_attitude",
        "channel": "phone",
        "demand": "要求道歉并重新安排上门",
        "description": "技术员上门迟到两小时且态度恶劣",
        "customer": company.customer if company else None,
        "received_at": RECEIVED,
        **changes,
    }
    return services.complaint_register(**values)


def due(complaint, rule):
    return complaint.obligations.get(rule=rule, state__in=["running", "breached"]).due_at


def test_a_complaint_received_at_four_on_the_30th_of_september(users, company_a):
    with at(RECEIVED):
        complaint = register(users, company_a)
    assert complaint.number == "TS-2026-000001" and complaint.status == "received"
    assert due(complaint, "CP.CONTACT") == RECEIVED + dt.timedelta(hours=4)
    assert due(complaint, "CP.TRANSFER") == dt.datetime(2026, 9, 30, 18, 0, tzinfo=SH)
    # 8 working hours: 2 on the 30th, then National Day; on Thu 8 October 9-12 and
    # 13-16 (the lunch hour does not count).
    assert due(complaint, "CP.INVESTIGATE") == dt.datetime(2026, 10, 8, 16, 0, tzinfo=SH)
    assert due(complaint, "CP.PROGRESS") == RECEIVED + dt.timedelta(hours=72)
    with at(RECEIVED + dt.timedelta(hours=1)):
        services.complaint_transfer(
            actor=users.manager, complaint=complaint, responsible=users.quality
        )
    complaint.refresh_from_db()
    transfer = complaint.obligations.get(rule="CP.TRANSFER")
    assert transfer.state == "met" and complaint.responsible == users.quality
    # 3 working days after 17:00 on the 30th: Oct 8, 9 and Saturday 10 (a make-up workday).
    assert due(complaint, "CP.OPINION") == dt.datetime(2026, 10, 10, 18, 0, tzinfo=SH)


def test_the_complainant_is_acknowledged_by_sms_and_e_mail(users, company_a):
    with at(RECEIVED), factories.committed():
        complaint = register(users, company_a, complainant_email="wang@example.com")
    sent = list(messages_about(complaint).order_by("channel"))
    assert [(m.channel, m.to) for m in sent] == [
        ("email", "wang@example.com"),
        ("sms", "13912345678"),
    ]
    assert complaint.number in sent[1].body and sent[1].status == "logged"
    assert sent[0].status == "sent" and mail.outbox[0].to == ["wang@example.com"]


def test_no_progress_for_72_hours_goes_to_the_general_manager(users, company_a):
    with at(RECEIVED):
        complaint = register(users, company_a)
    with at(RECEIVED + dt.timedelta(hours=30)):
        services.complaint_contact(actor=users.agent, complaint=complaint, note="已电话致歉")
    # The contact was progress: the 72 hours start again from it.
    restarted = RECEIVED + dt.timedelta(hours=30 + 72)
    assert due(complaint, "CP.PROGRESS") == restarted
    obligations_sweep(now=restarted - dt.timedelta(minutes=1))
    assert not Notification.objects.filter(user=users.gm).exists()
    obligations_sweep(now=restarted)
    progress = complaint.obligations.get(rule="CP.PROGRESS", state="breached")
    told = set(
        Notification.objects.filter(obligation=progress).values_list("user__username", flat=True)
    )
    assert "gm" in told


def test_the_person_complained_about_may_not_handle_or_investigate_it(users, company_a):
    with at(RECEIVED):
        complaint = register(users, company_a, target_kind="person", target_person=users.tech)
    with pytest.raises(ValidationError) as refused:
        services.complaint_transfer(
            actor=users.manager, complaint=complaint, responsible=users.tech
        )
    assert "回避" in " ".join(refused.value.message_dict["responsible"])
    with factories.refused("note"):
        services.complaint_investigate(actor=users.tech, complaint=complaint, note="我来查")
    complaint.refresh_from_db()
    assert complaint.status == "received" and complaint.responsible is None


def test_the_person_complained_about_may_not_decline_route_contact_or_close_it(
    users, company_a, page
):
    """R-CP-5: every step that disposes of or routes a complaint refuses the named person,
    and a refused step changes nothing and tells the complainant nothing."""
    with at(RECEIVED):
        complaint = register(users, company_a, target_kind="person", target_person=users.tech)
    before = (Step.objects.count(), len(messages_about(complaint)))
    with factories.refused("reason"):
        services.complaint_decline(actor=users.tech, complaint=complaint, reason="超出受理期限")
    with factories.refused():
        services.complaint_transfer(
            actor=users.tech, complaint=complaint, responsible=users.quality
        )
    with factories.refused("note"):
        services.complaint_contact(actor=users.tech, complaint=complaint, note="已致电客户")
    with factories.refused("text"):
        services.complaint_record(
            actor=users.tech, complaint=complaint, kind="progress", text="已处理"
        )
    complaint.refresh_from_db()
    assert complaint.status == "received" and complaint.responsible is None
    assert (Step.objects.count(), len(messages_about(complaint))) == before
    assert complaint.obligations.get(rule="CP.CONTACT").state == "running"
    # A named manager sees the complaint, but the page offers no step and a posted one is
    # refused.
    with at(RECEIVED):
        about_manager = register(
            users, company_a, target_kind="person", target_person=users.manager
        )
    manager = page(users.manager)
    html = manager.get(f"/complaints/{about_manager.pk}/").content.decode()
    assert 'id="recused"' in html and 'id="decline"' not in html and 'id="contact"' not in html
    manager.post(f"/complaints/{about_manager.pk}/", {"step": "decline", "reason": "不受理"})
    about_manager.refresh_from_db()
    assert about_manager.status == "received"
    # Anyone else may: the manager transfers it to quality.
    services.complaint_transfer(actor=users.manager, complaint=complaint, responsible=users.quality)
    complaint.refresh_from_db()
    assert complaint.responsible == users.quality


def test_investigation_starts_the_proposal_and_every_step_is_recorded(users, company_a):
    with at(RECEIVED):
        complaint = register(users, company_a)
    with at(RECEIVED + dt.timedelta(hours=1)):
        services.complaint_transfer(
            actor=users.manager, complaint=complaint, responsible=users.quality
        )
        services.complaint_opinion(actor=users.quality, complaint=complaint, text="先核实派工记录")
        services.complaint_investigate(
            actor=users.quality, complaint=complaint, note="调取通话录音"
        )
    complaint.refresh_from_db()
    states = {o.rule: o.state for o in complaint.obligations.exclude(rule="CP.PROGRESS")}
    assert states == {
        "CP.CONTACT": "running",
        "CP.TRANSFER": "met",
        "CP.OPINION": "met",
        "CP.INVESTIGATE": "met",
        "CP.PROPOSAL": "running",
    }
    # 5 working days from 17:00 on 30 September: Oct 8, 9, 10, 12, 13.
    assert due(complaint, "CP.PROPOSAL") == dt.datetime(2026, 10, 13, 18, 0, tzinfo=SH)
    with at(RECEIVED + dt.timedelta(days=9)):
        services.complaint_record(
            actor=users.quality, complaint=complaint, kind="finding", text="录音证实迟到"
        )
        services.complaint_record(
            actor=users.quality, complaint=complaint, kind="proposal", text="书面致歉并减免上门费"
        )
    kinds = list(complaint.steps.values_list("kind", flat=True))
    assert kinds == ["registered", "transferred", "opinion", "investigation", "finding", "proposal"]
    assert complaint.obligations.get(rule="CP.PROPOSAL").state == "met"
    # One CP.PROGRESS is running at any time, the latest from the last step.
    assert complaint.obligations.filter(rule="CP.PROGRESS", state="running").count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"complainant_phone": ""}, "complainant_phone"),
        ({"complainant_name": " "}, "complainant_name"),
        ({"category": "weather"}, "category"),
        ({"channel": "pigeon"}, "channel"),
        ({"demand": ""}, "demand"),
        ({"received_at": RECEIVED + dt.timedelta(days=1)}, "received_at"),
        ({"received_at": dt.datetime(140, 1, 20, tzinfo=SH)}, "received_at"),  # fuzzer's find
    ],
)
def test_bad_complaints_are_refused_and_nothing_is_written(users, company_a, changes, field):
    with at(RECEIVED), pytest.raises(ValidationError) as refused:
        register(users, company_a, **changes)
    assert field in refused.value.message_dict
    assert not Complaint.objects.exists() and not Step.objects.exists()


def test_a_unit_of_another_customer_is_refused(users, company_a, company_b):
    with at(RECEIVED), pytest.raises(ValidationError) as refused:
        register(users, company_a, equipment=company_b.equipment)
    assert "equipment" in refused.value.message_dict


def test_a_complaint_not_accepted_says_why_and_nothing_more_is_done(users, company_a):
    with at(RECEIVED):
        complaint = register(users, company_a)
        services.complaint_decline(
            actor=users.manager, complaint=complaint, reason="报告出具已超过 15 日受理期"
        )
    complaint.refresh_from_db()
    assert complaint.status == "declined" and "15" in complaint.decline_reason
    assert not complaint.obligations.filter(state__in=["running", "breached"]).exists()
    told = messages_about(complaint).order_by("-at", "-pk").first()
    assert "15 日受理期" in told.body
    with factories.refused(conflict="状态为不予受理"):
        services.complaint_contact(actor=users.agent, complaint=complaint, note="再联系")
    other = factories.make_user("worker", "technician")
    with factories.refused(conflict="状态为不予受理"):
        services.complaint_transfer(actor=users.manager, complaint=complaint, responsible=other)


def body(company, **changes):
    return {
        "complainant_name": "王女士",
        "complainant_phone": "13912345678",
        "customer": company.customer.pk,
        "category": "product_quality",
        "channel": "phone",
        "demand": "更换设备",
        "description": "新买的录像机一周内死机三次",
        **changes,
    }


def test_the_api_registers_with_the_fixed_fields_and_scopes_who_sees_what(
    api, users, company_a, company_b
):
    with at(RECEIVED):
        created = api(users.agent).post("/api/v1/complaints/", body(company_a))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["number"] == "TS-2026-000001" and data["status"] == "received"
    assert {o["rule"] for o in data["obligations"]} == {
        "CP.CONTACT",
        "CP.TRANSFER",
        "CP.INVESTIGATE",
        "CP.PROGRESS",
    }
    url = f"/api/v1/complaints/{data['id']}/"
    assert api(company_a.user).get(url).status_code == 200
    assert api(company_b.user).get(url).status_code == 404
    assert api(users.tech).get(url).status_code == 404  # not handed to them
    assert api(users.nobody).get("/api/v1/complaints/").status_code == 403
    assert api(company_a.user).post("/api/v1/complaints/", body(company_a)).status_code == 403
    bad = api(users.agent).post("/api/v1/complaints/", body(company_a, category="weather"))
    assert bad.status_code == 400 and "category" in bad.json()
    missing = api(users.agent).post("/api/v1/complaints/", body(company_a, complainant_phone=""))
    assert missing.status_code == 400 and "complainant_phone" in missing.json()
    handed = api(users.manager).post(f"{url}transfer/", {"responsible": users.tech.pk})
    assert handed.status_code == 200 and handed.json()["status"] == "transferred"
    assert api(users.tech).get(url).status_code == 200  # now it is theirs
    assert api(users.tech).post(f"{url}opinion/", {"text": "已联系用户"}).status_code == 200
    declined = api(users.manager).post(f"{url}decline/", {"reason": "超出受理范围"})
    assert declined.json()["status"] == "declined"
    assert api(users.agent).post(f"{url}contact/", {"note": "x"}).status_code == 409


def test_the_api_keeps_what_the_complaint_is_about_and_a_major_ones_group(api, users, company_a):
    dept = department_create(actor=None, code="install", name="安装部")
    about = api(users.agent).post(
        "/api/v1/complaints/",
        body(company_a, target_kind="department", target_department=dept.pk),
    )
    assert about.status_code == 201, about.content
    assert (about.json()["target_kind"], about.json()["target_department"]) == (
        "department",
        dept.pk,
    )
    nobody = api(users.agent).post("/api/v1/complaints/", body(company_a, target_kind="person"))
    assert nobody.status_code == 400 and "target_person" in nobody.json()
    ungrouped = api(users.agent).post("/api/v1/complaints/", body(company_a, is_major=True))
    assert ungrouped.status_code == 400 and "group" in ungrouped.json()
    major = api(users.agent).post(
        "/api/v1/complaints/", body(company_a, is_major=True, group=[users.quality.pk])
    )
    assert major.status_code == 201
    assert major.json()["handling_group"] == [users.quality.pk]
    assert "CP.MAJOR_OPINION" in {o["rule"] for o in major.json()["obligations"]}


def test_the_pages_register_and_handle_a_complaint(page, users, company_a, company_b):
    client = page(users.agent)
    response = client.post(
        "/complaints/new/",
        {
            "complainant_name": "王女士",
            "complainant_phone": "13912345678",
            "customer": company_a.customer.pk,
            "channel": "phone",
            "category": "staff_attitude",
            "target_kind": "person",
            "target_person": users.tech.pk,
            "demand": "道歉",
            "description": "态度恶劣",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/complaints/{complaint.pk}/"
    html = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="transfer"' in html and 'data-kind="registered"' in html
    # The person complained about is not offered as the responsible person.
    assert f'<option value="{users.tech.pk}">' not in html
    client.post(f"/complaints/{complaint.pk}/", {"step": "contact", "note": "已致电"})
    assert complaint.steps.filter(kind="contacted").exists()
    assert page(company_b.user).get(f"/complaints/{complaint.pk}/").status_code == 404
    assert page(users.nobody).get("/complaints/").status_code == 403
    assert (
        page(company_a.user)
        .post(f"/complaints/{complaint.pk}/", {"step": "contact", "note": "x"})
        .status_code
        == 403
    )


def test_the_register_page_takes_the_time_received_and_a_major_ones_group(page, users, company_a):
    client = page(users.agent)
    form = {
        "complainant_name": "孙经理",
        "complainant_phone": "13912345678",
        "customer": company_a.customer.pk,
        "channel": "letter",
        "category": "product_quality",
        "target_kind": "product",
        "demand": "召回",
        "description": "同批次设备连续起火",
        "received_at": "2026-11-13T16:30",
        "is_major": "on",
    }
    with at(dt.datetime(2026, 11, 16, 10, 0, tzinfo=SH)):
        refused = client.post("/complaints/new/", form)
        assert refused.status_code == 200 and "请指定处理小组成员" in refused.content.decode()
        assert not Complaint.objects.exists()
        client.post("/complaints/new/", {**form, "group": [users.quality.pk]})
    complaint = Complaint.objects.get()
    assert complaint.received_at == dt.datetime(2026, 11, 13, 16, 30, tzinfo=SH)
    assert list(complaint.handling_group.all()) == [users.quality]


def test_the_nature_of_a_complaint_follows_its_category(users, company_a):
    with at(RECEIVED):
        quality = register(users, company_a, category="product_quality")
        human = register(users, company_a, category="staff_attitude")
    assert (quality.nature, human.nature) == ("质量问题", "非质量（人为）")


@pytest.mark.parametrize("days_before, outside", [(15, False), (16, True), (None, False)])
def test_a_complaint_past_its_categorys_acceptance_window_is_flagged(
    users, company_a, days_before, outside
):
    from aftersales.complaints.models import AcceptanceWindow

    AcceptanceWindow.objects.create(category="other", days=15, counted_from="检测报告出具日")
    since = None if days_before is None else (RECEIVED - dt.timedelta(days=days_before)).date()
    with at(RECEIVED):
        complaint = register(users, company_a, category="other", reference_date=since)
        unwindowed = register(
            users, company_a, category="product_quality", reference_date=dt.date(2020, 1, 1)
        )
    assert complaint.outside_window is outside
    assert unwindowed.outside_window is False  # that category has no window
