"""Corrective actions with verification, regional warnings, external complaints.

Rules: R-CP-6 (corrective and preventive actions, regional warnings), R-CP-7 (external
complaints).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.complaints import actions, decisions, services
from aftersales.obligations.models import Notification

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 9, 28, 10, 0, tzinfo=SH)  # Monday before National Day


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def upheld(users, company_a):
    return factories.make_upheld_complaint(users, company_a.customer)


def test_an_action_is_due_at_the_end_of_its_agreed_working_day(users, upheld):
    # Agreed for Thursday 1 October (National Day): due at the end of Thursday 8 October.
    action = actions.action_create(
        actor=users.manager,
        complaint=upheld,
        kind="corrective",
        description="重新布线并加屏蔽",
        owner=users.tech,
        due_on=dt.date(2026, 10, 1),
    )
    limit = action.obligations.get(rule="CP.CAPA")
    assert limit.due_at == dt.datetime(2026, 10, 8, 18, 0, tzinfo=SH)
    assert limit.responsible == users.tech


def test_the_owner_reports_done_quality_verifies_and_only_then_it_closes(users, upheld):
    action = actions.action_create(
        actor=users.manager,
        complaint=upheld,
        kind="preventive",
        description="施工规范培训",
        owner=users.tech,
        due_on=dt.date(2026, 9, 29),
    )
    with factories.refused("note"):  # not the owner
        actions.action_done(actor=users.agent, action=action, note="x")
    with factories.refused(conflict="该措施尚未报告完成"):
        actions.action_verify(actor=users.quality, action=action, effective=True, note="x")
    actions.action_done(actor=users.tech, action=action, note="已组织培训")
    assert action.obligations.get(rule="CP.CAPA").state == "met"
    with factories.refused("note"):  # only quality verifies
        actions.action_verify(actor=users.manager, action=action, effective=True, note="x")
    actions.action_verify(actor=users.quality, action=action, effective=False, note="抽查仍不规范")
    action.refresh_from_db()
    assert action.done_at is None and action.effective is False
    assert action.obligations.filter(rule="CP.CAPA", state="running").count() == 1
    decisions.complaint_reply(actor=users.agent, complaint=upheld, text="已返工")
    decisions.complaint_remedied(actor=users.tech, complaint=upheld, text="返工完成")
    decisions.complaint_follow_up(actor=users.agent, complaint=upheld, text="信号正常")
    with factories.refused(
        conflict="所有纠正预防措施经验证后才能关闭投诉"
    ):  # an action not verified
        decisions.complaint_close(actor=users.manager, complaint=upheld)
    actions.action_done(actor=users.tech, action=action, note="再次培训并考核")
    actions.action_verify(actor=users.quality, action=action, effective=True, note="抽查合格")
    decisions.complaint_close(actor=users.manager, complaint=upheld)
    upheld.refresh_from_db()
    assert upheld.status == "closed"


def test_actions_follow_an_upheld_complaint_only(users, company_a):
    made = services.complaint_register(
        actor=users.agent,
        complainant_name="x",
        complainant_phone="13822223333",
        category="other",
        channel="phone",
        demand="d",
        description="d",
    )
    with factories.refused(conflict="纠正预防措施只针对成立且未关闭的投诉"):
        actions.action_create(
            actor=users.manager,
            complaint=made,
            kind="corrective",
            description="x",
            owner=users.tech,
            due_on=dt.date(2026, 10, 9),
        )


def test_a_regional_warning_reaches_every_other_team(users, upheld):
    actions.warning_issue(
        actor=users.manager,
        complaint=upheld,
        title="弱电布线须加屏蔽",
        text="近期华东区出现布线干扰投诉，各区施工时请按规范加装屏蔽层。",
    )
    told = set(
        Notification.objects.filter(message__contains="弱电布线").values_list(
            "user__username", flat=True
        )
    )
    assert told == {"tech"}  # every technician and service manager but the sender
    assert upheld.steps.filter(kind="warning").exists()


def test_an_external_complaint_is_tracked_to_the_bodys_date(users, upheld):
    with factories.refused("body"):
        actions.complaint_external(
            actor=users.manager,
            complaint=upheld,
            body="newspaper",
            reference="",
            due_on=dt.date(2026, 10, 9),
        )
    actions.complaint_external(
        actor=users.manager,
        complaint=upheld,
        body="consumer_association",
        reference="消协〔2026〕118 号",
        due_on=dt.date(2026, 10, 9),
    )
    upheld.refresh_from_db()
    assert upheld.external_body == "consumer_association"
    assert upheld.obligations.get(rule="CP.EXTERNAL").due_at == dt.datetime(
        2026, 10, 9, 18, 0, tzinfo=SH
    )


def test_actions_warnings_and_external_through_the_api(api, users, upheld, company_a):
    created = api(users.manager).post(
        "/api/v1/corrective-actions/",
        {
            "complaint": upheld.pk,
            "kind": "corrective",
            "description": "返工",
            "owner": users.tech.pk,
            "due_on": "2026-10-09",
        },
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/corrective-actions/{created.json()['id']}/"
    assert api(users.agent).post(f"{url}done/", {"note": "x"}).status_code == 400  # not the owner
    assert api(users.tech).post(f"{url}done/", {"note": "已返工"}).status_code == 200
    assert (
        api(users.manager).post(f"{url}verify/", {"effective": True, "note": "x"}).status_code
        == 400
    )
    verified = api(users.quality).post(f"{url}verify/", {"effective": True, "note": "抽查合格"})
    assert verified.status_code == 200 and verified.json()["effective"] is True
    assert api(company_a.user).get("/api/v1/corrective-actions/").status_code == 403
    warned = api(users.manager).post(
        "/api/v1/regional-warnings/",
        {"title": "注意布线", "text": "加屏蔽", "complaint": upheld.pk},
    )
    assert warned.status_code == 201
    assert (
        api(users.tech).post("/api/v1/regional-warnings/", {"title": "x", "text": "y"}).status_code
        == 403
    )
    external = api(users.manager).post(
        f"/api/v1/complaints/{upheld.pk}/external/",
        {"body": "market_regulator", "reference": "12315-88", "due_on": "2026-10-12"},
    )
    assert external.status_code == 200
    bad = api(users.manager).post(
        f"/api/v1/complaints/{upheld.pk}/external/", {"body": "tv", "due_on": "2026-10-12"}
    )
    assert bad.status_code == 400 and "body" in bad.json()


def test_actions_on_the_complaint_page(page, users, upheld):
    client = page(users.manager)
    client.post(
        f"/complaints/{upheld.pk}/",
        {
            "step": "action",
            "kind": "preventive",
            "description": "培训",
            "owner": users.tech.pk,
            "due_on": "2026-10-09",
        },
    )
    action = upheld.actions.get()
    assert action.owner == users.tech
    client.post(
        f"/complaints/{upheld.pk}/",
        {
            "step": "action",
            "kind": "preventive",
            "description": "x",
            "owner": users.tech.pk,
            "due_on": "bad",
        },
    )
    assert upheld.actions.count() == 1  # a bad date: refused, nothing written
    page(users.tech).post(
        f"/complaints/{upheld.pk}/", {"step": "action_done", "action": action.pk, "note": "已培训"}
    )
    html = page(users.quality).get(f"/complaints/{upheld.pk}/").content.decode()
    assert 'id="capa"' in html and 'name="effective"' in html
    page(users.quality).post(
        f"/complaints/{upheld.pk}/",
        {"step": "action_verify", "action": action.pk, "effective": "1", "note": "合格"},
    )
    action.refresh_from_db()
    assert action.verified_by == users.quality


def test_an_overdue_action_links_to_its_complaint(users, upheld):
    from aftersales.obligations.sweep import obligations_sweep

    action = actions.action_create(
        actor=users.manager,
        complaint=upheld,
        kind="corrective",
        description="返工",
        owner=users.tech,
        due_on=dt.date(2026, 9, 29),
    )
    obligations_sweep(now=dt.datetime(2026, 9, 29, 18, 0, tzinfo=SH))
    urls = set(
        Notification.objects.filter(obligation__in=action.obligations.all()).values_list(
            "url", flat=True
        )
    )
    assert urls == {f"/complaints/{upheld.pk}/"}


def test_an_owner_without_a_complaints_role_reports_their_action_done_on_the_page(
    page, users, upheld
):
    action = actions.action_create(
        actor=users.manager,
        complaint=upheld,
        kind="corrective",
        description="修订布线规范",
        owner=users.techdept,
        due_on=dt.date(2026, 10, 9),
    )
    owner = page(users.techdept)
    html = owner.get(f"/complaints/{upheld.pk}/").content.decode()
    assert 'value="action_done"' in html and 'value="action_verify"' not in html
    owner.post(
        f"/complaints/{upheld.pk}/", {"step": "action_done", "action": action.pk, "note": "已修订"}
    )
    action.refresh_from_db()
    assert action.done_at is not None and action.done_note == "已修订"
    html = page(users.quality).get(f"/complaints/{upheld.pk}/").content.decode()
    assert "已修订" in html and 'value="action_verify"' in html
    # Anyone else without the role is still refused.
    assert (
        page(users.sales)
        .post(
            f"/complaints/{upheld.pk}/", {"step": "action_done", "action": action.pk, "note": "x"}
        )
        .status_code
        == 403
    )


def test_the_person_a_complaint_names_owns_no_action_on_it_nor_attaches_to_it(users, company_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aftersales.common import attachments
    from aftersales.complaints.models import Complaint, CorrectiveAction

    made = factories.make_upheld_complaint(users, company_a.customer)
    Complaint.objects.filter(pk=made.pk).update(target_kind="person", target_person=users.manager)
    named = Complaint.objects.get(pk=made.pk)
    with factories.refused("owner"):
        actions.action_create(
            actor=users.quality,
            complaint=named,
            kind="corrective",
            description="再培训",
            owner=users.manager,
            due_on=dt.date(2026, 10, 9),
        )
    assert not CorrectiveAction.objects.exists()
    # An action owned by another: the named manager cannot report it done for them.
    action = actions.action_create(
        actor=users.quality,
        complaint=named,
        kind="corrective",
        description="再培训",
        owner=users.techdept,
        due_on=dt.date(2026, 10, 9),
    )
    with factories.refused("note"):
        actions.action_done(actor=users.manager, action=action, note="已完成")
    with factories.refused("file"):
        attachments.attach(
            actor=users.manager, about=named, upload=SimpleUploadedFile("x.png", b"\x89PNG")
        )


@pytest.mark.parametrize(
    ("text", "words"), [("理由\x01控制", "控制字符"), ("长" * 301, "最多 300 个字，现在有 301 个")]
)
def test_step_texts_are_refused_not_cut_short(users, company_a, text, words):
    from django.core.exceptions import ValidationError

    complaint = factories.make_complaint(users, company_a.customer)
    with pytest.raises(ValidationError) as caught:
        services.complaint_decline(actor=users.manager, complaint=complaint, reason=text)
    assert list(caught.value.message_dict) == ["reason"] and words in str(caught.value)
    with factories.refused("note"):
        services.complaint_contact(actor=users.manager, complaint=complaint, note=text * 20)
    complaint.refresh_from_db()
    assert complaint.status == "received" and complaint.decline_reason == ""
