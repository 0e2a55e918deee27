"""Major complaints, decisions with recusal and approval, reply, remedy, closure.

Rules: R-CP-4 (escalation of a major complaint), R-CP-5 (decision and approval by people
not involved), R-CP-6 (outcomes, remedy and follow-up), R-CP-10 (the reply).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from tests import factories

from aftersales.common.messaging import messages_about
from aftersales.complaints import decisions, services
from aftersales.obligations.models import Notification

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 16, 10, 0, tzinfo=SH)  # a Monday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def register(users, company, **changes):
    values = {
        "complainant_name": "赵先生",
        "complainant_phone": "13822223333",
        "customer": company.customer,
        "category": "product_quality",
        "channel": "phone",
        "demand": "换货",
        "description": "新机漏水",
        **changes,
    }
    return services.complaint_register(actor=users.agent, **values)


@pytest.fixture
def complaint(users, company_a):
    made = register(
        users,
        company_a,
        category="staff_attitude",
        target_kind="person",
        target_person=users.tech,
        demand="道歉",
        description="技术员态度恶劣",
    )
    services.complaint_transfer(actor=users.manager, complaint=made, responsible=users.quality)
    services.complaint_contact(actor=users.quality, complaint=made, note="已致电赵先生")
    services.complaint_investigate(actor=users.quality, complaint=made, note="调取通话录音")
    return made


def test_a_major_complaint_is_reported_at_once_and_gets_a_group(users, complaint):
    with factories.refused("group"):  # the person complained about cannot sit in it
        decisions.complaint_mark_major(
            actor=users.manager, complaint=complaint, group=[users.quality, users.tech]
        )
    decisions.complaint_mark_major(
        actor=users.manager, complaint=complaint, group=[users.quality, users.techdept]
    )
    complaint.refresh_from_db()
    assert complaint.is_major and set(complaint.handling_group.all()) == {
        users.quality,
        users.techdept,
    }
    told = set(
        Notification.objects.filter(obligation__isnull=True).values_list(
            "user__username", flat=True
        )
    )
    assert told == {"vp"}  # major: the vice-president; especially major adds the GM
    opinion = complaint.obligations.get(rule="CP.MAJOR_OPINION")
    # 8 working hours from Monday 10:00: 10-12 and 13-18 (7), then Tuesday 9-10.
    assert opinion.due_at == dt.datetime(2026, 11, 17, 10, 0, tzinfo=SH)
    with factories.refused("text"):  # only the group gives its opinion
        decisions.complaint_group_opinion(actor=users.agent, complaint=complaint, text="x")
    decisions.complaint_group_opinion(actor=users.techdept, complaint=complaint, text="属实")
    opinion.refresh_from_db()
    assert opinion.state == "met"


def test_especially_major_goes_to_the_general_manager_too(users, complaint):
    decisions.complaint_mark_major(
        actor=users.manager, complaint=complaint, group=[users.quality], especially=True
    )
    told = set(
        Notification.objects.filter(obligation__isnull=True).values_list(
            "user__username", flat=True
        )
    )
    assert told == {"vp", "gm"}


def test_the_decision_is_made_and_approved_by_people_not_involved(users, complaint):
    with factories.refused("decision"):  # named in the complaint
        decisions.complaint_decide(
            actor=users.tech, complaint=complaint, decision="not_upheld", text="我没错"
        )
    decisions.complaint_decide(
        actor=users.quality,
        complaint=complaint,
        decision="upheld",
        text="录音证实态度不当",
        responsibility="售后服务部 · tech",
        penalty="通报批评，扣当月绩效 5%",
    )
    with factories.refused("approve"):  # one's own decision
        decisions.complaint_approve(actor=users.quality, complaint=complaint)
    with factories.refused("approve"):  # the person complained about
        decisions.complaint_approve(actor=users.tech, complaint=complaint)
    with factories.refused(
        conflict="处理决定须经审批后才能发出"
    ):  # not approved yet: cannot be sent
        decisions.complaint_reply(actor=users.agent, complaint=complaint, text="x")
    decisions.complaint_approve(actor=users.manager, complaint=complaint)
    with factories.refused(conflict="处理决定已审批"):
        decisions.complaint_approve(actor=users.gm, complaint=complaint)
    complaint.refresh_from_db()
    assert (complaint.decided_by, complaint.approved_by) == (users.quality, users.manager)


def test_no_decision_before_the_complainant_is_contacted_and_it_is_investigated(users, company_a):
    made = register(users, company_a)
    with factories.refused(conflict="请先联系投诉人"):
        decisions.complaint_decide(actor=users.quality, complaint=made, decision="upheld", text="x")
    services.complaint_contact(actor=users.quality, complaint=made, note="已回电")
    with factories.refused(conflict="请先记录调查"):
        decisions.complaint_decide(actor=users.quality, complaint=made, decision="upheld", text="x")
    services.complaint_record(actor=users.quality, complaint=made, kind="finding", text="缺密封圈")
    decisions.complaint_decide(actor=users.quality, complaint=made, decision="upheld", text="属实")
    made.refresh_from_db()
    assert made.status == "decided"


def test_the_approval_ladder(users, complaint):
    """Ordinary: the service manager, VP or GM; major: VP or GM; especially major: GM."""
    assert [decisions.may_approve(u, complaint) for u in (users.agent, users.manager)] == [
        False,
        True,
    ]
    decisions.complaint_mark_major(actor=users.manager, complaint=complaint, group=[users.techdept])
    complaint.refresh_from_db()
    assert [decisions.may_approve(u, complaint) for u in (users.manager, users.vp)] == [
        False,
        True,
    ]
    decisions.complaint_mark_major(
        actor=users.manager, complaint=complaint, group=[users.techdept], especially=True
    )
    decisions.complaint_decide(
        actor=users.quality, complaint=complaint, decision="upheld", text="属实"
    )
    for refused in (users.agent, users.manager, users.vp):
        with factories.refused("approve"):
            decisions.complaint_approve(actor=refused, complaint=complaint)
    decisions.complaint_approve(actor=users.gm, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.approved_by == users.gm


def test_a_complaint_major_at_registration_is_reported_with_its_group(users, company_a):
    with factories.refused("group"):
        register(users, company_a, is_major=True)
    made = register(
        users, company_a, is_especially_major=True, group=[users.quality, users.techdept]
    )
    assert made.is_major and made.is_especially_major
    assert set(made.handling_group.all()) == {users.quality, users.techdept}
    assert made.obligations.filter(rule="CP.MAJOR_OPINION", state="running").exists()
    told = set(
        Notification.objects.filter(obligation__isnull=True).values_list(
            "user__username", flat=True
        )
    )
    assert told == {"vp", "gm"}


def test_the_complainant_hears_of_each_step_without_staff_names(users, complaint):
    bodies = [m.body for m in messages_about(complaint).order_by("at", "pk")]
    # Registered (with the call-back time), passed on, investigation started.
    assert "2026-11-16 14:00" in bodies[0]  # CP.CONTACT: 4 working hours from 10:00
    assert any("已转交负责人处理" in b for b in bodies)
    assert any("已开始调查" in b for b in bodies)
    for body in bodies:
        assert "quality" not in body and users.quality.get_full_name() not in body


def test_closing_needs_the_reply_and_for_an_upheld_one_the_follow_up(users, complaint):
    decisions.complaint_decide(
        actor=users.quality, complaint=complaint, decision="upheld", text="属实"
    )
    decisions.complaint_approve(actor=users.manager, complaint=complaint)
    with pytest.raises(ValidationError) as refused:
        decisions.complaint_close(actor=users.manager, complaint=complaint)
    assert "reply" in refused.value.message_dict
    decisions.complaint_reply(
        actor=users.agent, complaint=complaint, text="经核实投诉属实，我们已对相关人员处理并致歉。"
    )
    assert "经核实投诉属实" in messages_about(complaint).order_by("-at", "-pk").first().body
    decisions.complaint_reaction(actor=users.agent, complaint=complaint, text="客户表示满意")
    with factories.refused(conflict="须在整改回访后才能关闭"):  # upheld: remedy and follow-up first
        decisions.complaint_close(actor=users.manager, complaint=complaint)
    decisions.complaint_remedied(
        actor=users.quality, complaint=complaint, text="重新上门并赠送保养"
    )
    follow = complaint.obligations.get(rule="CP.FOLLOW_UP")
    assert follow.due_at == NOW + dt.timedelta(days=7)
    with time_machine.travel(NOW + dt.timedelta(days=3), tick=False):
        decisions.complaint_follow_up(actor=users.agent, complaint=complaint, text="设备运行正常")
        decisions.complaint_close(actor=users.manager, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.status == "closed"
    assert not complaint.obligations.filter(state__in=["running", "breached", "paused"]).exists()
    with factories.refused(conflict="不能再记录处理"):  # acting on a closed complaint
        services.complaint_contact(actor=users.agent, complaint=complaint, note="x")


def test_a_not_upheld_complaint_closes_after_the_reply(users, complaint):
    decisions.complaint_decide(
        actor=users.quality, complaint=complaint, decision="not_upheld", text="录音显示沟通正常"
    )
    decisions.complaint_approve(actor=users.gm, complaint=complaint)
    with factories.refused(conflict="只有成立的投诉需要整改"):
        decisions.complaint_remedied(actor=users.quality, complaint=complaint, text="x")
    decisions.complaint_reply(actor=users.agent, complaint=complaint, text="附通话录音说明")
    decisions.complaint_close(actor=users.manager, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.decision == "not_upheld"


def test_the_decision_path_through_the_api(api, users, complaint, company_b):
    url = f"/api/v1/complaints/{complaint.pk}/"
    major = api(users.manager).post(f"{url}mark-major/", {"group": [users.quality.pk]})
    assert major.status_code == 200 and major.json()["is_major"] is True
    bad = api(users.tech).post(f"{url}decide/", {"decision": "not_upheld", "text": "我没错"})
    assert bad.status_code == 404  # not even visible to the person complained about
    assert (
        api(users.quality).post(f"{url}decide/", {"decision": "maybe", "text": "x"}).status_code
        == 400
    )
    assert (
        api(users.quality)
        .post(f"{url}decide/", {"decision": "not_upheld", "text": "录音显示沟通正常"})
        .status_code
        == 200
    )
    assert api(users.quality).post(f"{url}approve/", {}).status_code == 400  # own decision
    assert api(users.agent).post(f"{url}reply/", {"text": "x"}).status_code == 409  # unapproved
    assert api(users.gm).post(f"{url}approve/", {}).status_code == 200
    assert api(users.agent).post(f"{url}close/", {}).status_code == 400  # no reply recorded
    assert api(users.agent).post(f"{url}reply/", {"text": "附录音说明"}).status_code == 200
    closed = api(users.agent).post(f"{url}close/", {})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert api(company_b.user).get(url).status_code == 404


def test_the_decision_on_the_page(page, users, complaint):
    client = page(users.quality)
    client.post(
        f"/complaints/{complaint.pk}/",
        {"step": "decide", "decision": "upheld", "text": "属实", "penalty": "扣绩效 5%"},
    )
    complaint.refresh_from_db()
    assert complaint.status == "decided" and complaint.penalty == "扣绩效 5%"
    html = page(users.manager).get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="approve"' in html
    page(users.manager).post(f"/complaints/{complaint.pk}/", {"step": "approve"})
    page(users.manager).post(f"/complaints/{complaint.pk}/", {"step": "reply", "text": "已处理"})
    complaint.refresh_from_db()
    assert complaint.approved_by == users.manager and complaint.replied_at is not None
