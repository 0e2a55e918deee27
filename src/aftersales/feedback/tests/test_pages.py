"""The pages: the visit work list and one visit, the survey pages for managers, and the
customer's survey page without an account."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from aftersales.accounts.services import department_create, department_set_head
from aftersales.feedback import surveys, visits
from aftersales.feedback.models import Answer, QuestionSet, SurveyInvitation, Visit
from aftersales.feedback.tests.test_surveys import QUESTIONS, publish

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_the_work_list_shows_due_and_late_visits_to_staff_only(page, users, company_a, visit):
    with time_machine.travel(dt.datetime(2026, 10, 16, 9, tzinfo=SH)):
        html = page(users.agent).get("/visits/").content.decode()
        assert f'data-visit="{visit.pk}"' in html and "table-warning" in html  # late
        assert "13812345678" in html
        assert page(users.agent).get("/visits/?show=done").content.decode().count("data-visit") == 0
    assert page(company_a.user).get("/visits/").status_code == 403
    assert page(users.nobody).get("/visits/").status_code == 403
    assert page(company_a.user).get(f"/visits/{visit.pk}/").status_code == 404
    assert page(users.nobody).get(f"/visits/{visit.pk}/").status_code == 404


def test_recording_a_visit_and_transferring_a_problem_on_its_page(page, users, visit):
    client = page(users.agent)
    html = client.get(f"/visits/{visit.pk}/").content.decode()
    assert 'id="script"' in html and visit.service_request.number in html
    assert (
        client.post(
            f"/visits/{visit.pk}/", {"step": "record", "reached": "0", "note": "忙音"}
        ).status_code
        == 302
    )
    visit.refresh_from_db()
    assert visit.attempts == 1 and visit.status == "due"
    refused = client.post(
        f"/visits/{visit.pk}/", {"step": "record", "reached": "1", "score": "9"}, follow=True
    )
    assert "field-error" in refused.content.decode() or "alert" in refused.content.decode()
    client.post(
        f"/visits/{visit.pk}/",
        {"step": "record", "reached": "1", "score": "4", "opinions": "满意"},
    )
    visit.refresh_from_db()
    assert (visit.status, visit.score) == ("done", 4)
    again = client.post(
        f"/visits/{visit.pk}/", {"step": "record", "reached": "1", "score": "5"}, follow=True
    )
    assert "已记录" in again.content.decode() and Visit.objects.get().score == 4
    dept = department_create(actor=None, code="tech", name="技术部")
    department_set_head(actor=None, department=dept, head=users.techdept)
    client.post(
        f"/visits/{visit.pk}/",
        {"step": "transfer", "department": dept.pk, "description": "希望培训新员工"},
    )
    issue = visit.issues.get()
    page(users.techdept).post(
        f"/visits/{visit.pk}/", {"step": "answer", "issue": issue.pk, "answer": "已安排"}
    )
    issue.refresh_from_db()
    assert issue.answer == "已安排"
    # A warehouse keeper may read the visit but not record on it.
    assert (
        page(users.warehouse)
        .post(f"/visits/{visit.pk}/", {"step": "cancel", "reason": "x"})
        .status_code
        == 403
    )


def test_a_visit_opens_a_complaint_form_with_the_problem(page, users, visit):
    html = page(users.agent).get(f"/visits/{visit.pk}/").content.decode()
    assert f"/complaints/new/?customer={visit.customer_id}" in html
    form = page(users.agent).get(
        f"/complaints/new/?customer={visit.customer_id}&description=%E6%BC%8F%E6%B0%B4"
    )
    assert "漏水" in form.content.decode()
    intake = page(users.agent).get(
        f"/service-requests/new/?customer={visit.customer_id}&description=%E6%BC%8F%E6%B0%B4"
    )
    assert "漏水" in intake.content.decode()


def test_a_manager_writes_a_survey_and_puts_it_in_use(page, users):
    client = page(users.manager)
    response = client.post(
        "/surveys/new/",
        {
            "name": "服务满意度调查",
            "code": "after",
            "kind": "after_service",
            "questions": "score: 您对维修速度是否满意？\n"
            "choice: 问题是否一次解决？ | 是 | 否\n"
            "text?: 其他意见",
        },
    )
    made = QuestionSet.objects.get()
    assert response.status_code == 302 and made.status == "draft"
    kinds = [(q.kind, q.required, q.choices) for q in made.questions.all()]
    assert kinds == [("score", True, []), ("choice", True, ["是", "否"]), ("text", False, [])]
    client.post(f"/surveys/{made.pk}/")
    made.refresh_from_db()
    assert made.status == "published"
    # The next version starts from this one's questions.
    assert (
        "选择：问题是否一次解决？ | 是 | 否"  # in the kind words of the reader
        in client.get(f"/surveys/new/?from={made.pk}").content.decode()
    )
    bad = client.post(
        "/surveys/new/",
        {"name": "x", "code": "x", "kind": "after_service", "questions": "stars: ?"},
    )
    assert bad.status_code == 200 and QuestionSet.objects.count() == 1
    assert page(users.agent).post("/surveys/new/", {}).status_code == 403
    assert page(users.agent).post(f"/surveys/{made.pk}/").status_code == 403
    assert page(users.nobody).get("/surveys/").status_code == 403


def test_the_annual_campaign_from_its_page(
    page, users, company_a, company_b, django_capture_on_commit_callbacks
):
    client = page(users.manager)
    client.post("/surveys/", {"name": "2026 年度"})
    assert not SurveyInvitation.objects.exists()  # no annual survey in use yet
    publish(users, kind="annual", code="annual", questions=QUESTIONS[:1])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/surveys/", {"name": "2026 年度"})
    assert SurveyInvitation.objects.filter(campaign__year=timezone_year()).count() == 2
    html = client.get("/surveys/").content.decode()
    assert "0 / 2" in html
    assert page(company_a.user).get("/surveys/").status_code == 403


def timezone_year():
    from django.utils import timezone

    return timezone.localdate().year


def test_the_customer_answers_without_an_account(client, users, company_a):
    question_set = publish(users)
    invitation, token = surveys.invitation_create(
        actor=users.agent, question_set=question_set, customer=company_a.customer, to=""
    )
    html = client.get(f"/s/{token}/").content.decode()
    assert question_set.name in html and company_a.customer.name not in html
    assert 'href="/' not in html.replace('href="/static', "")  # no way into the site
    q = list(question_set.questions.order_by("position"))
    refused = client.post(f"/s/{token}/", {f"q{q[0].pk}": "7"})
    assert refused.status_code == 400 and "field-error" in refused.content.decode()
    assert not Answer.objects.exists()
    answers = {f"q{q[0].pk}": "5", f"q{q[1].pk}": "5", f"q{q[2].pk}": "是"}
    control = client.post(f"/s/{token}/", {**answers, "comment": "好\x1b[31m"})
    assert control.status_code == 400 and "控制字符" in control.content.decode()
    assert not Answer.objects.exists()
    nul = client.post(f"/s/{token}/", {**answers, "comment": "好\x00坏"})
    assert nul.status_code == 400 and "控制字符" in nul.content.decode()
    assert "好坏" in nul.content.decode()  # what was typed stays, less the NUL
    assert not Answer.objects.exists()
    done = client.post(
        f"/s/{token}/",
        {f"q{q[0].pk}": "5", f"q{q[1].pk}": "5", f"q{q[2].pk}": "是", "comment": "好"},
    )
    assert done.status_code == 200 and 'id="thanks"' in done.content.decode()
    assert Answer.objects.filter(invitation=invitation).count() == 3
    used = client.get(f"/s/{token}/")
    assert used.status_code == 410 and 'data-reason="used"' in used.content.decode()
    forged = client.get("/s/not-a-real-token/")
    assert forged.status_code == 404 and 'data-reason="unknown"' in forged.content.decode()


def test_an_expired_link_gets_a_friendly_page(client, users, company_a):
    question_set = publish(users)
    with time_machine.travel(dt.datetime(2026, 10, 1, 10, tzinfo=SH), tick=False):
        _invitation, token = surveys.invitation_create(
            actor=users.agent, question_set=question_set, customer=company_a.customer, to=""
        )
    with time_machine.travel(dt.datetime(2026, 10, 20, 10, tzinfo=SH), tick=False):
        response = client.post(f"/s/{token}/", {"comment": "x"})
    assert response.status_code == 410 and 'data-reason="expired"' in response.content.decode()
    assert not Answer.objects.exists()


def test_the_department_answers_on_its_own_list(page, users, company_a, visit):
    """R-FB-3: the problem reaches the department's list; only it sees and answers it."""
    tech = department_create(actor=None, code="tech", name="技术部")
    department_set_head(actor=None, department=tech, head=users.techdept)
    sales = department_create(actor=None, code="sales", name="销售部")
    users.sales.department = sales
    users.sales.save()
    issue = visits.visit_transfer(
        actor=users.agent, visit=visit, department=tech, description="要求升级固件"
    )
    mine = page(users.techdept).get("/visits/issues/").content.decode()
    assert f'data-issue="{issue.pk}"' in mine and "要求升级固件" in mine
    assert 'data-rule="FB.TRANSFER"' in mine
    others = page(users.sales).get("/visits/issues/").content.decode()
    assert f'data-issue="{issue.pk}"' not in others and 'id="no-issues"' in others
    assert (
        page(users.sales).post("/visits/issues/", {"issue": issue.pk, "answer": "x"}).status_code
        == 404
    )
    # On the visit page the agent sees the problem but no answer box.
    visit_page = page(users.agent).get(f"/visits/{visit.pk}/").content.decode()
    assert f'name="issue" value="{issue.pk}"' not in visit_page
    page(users.techdept).post("/visits/issues/", {"issue": issue.pk, "answer": "下周升级"})
    issue.refresh_from_db()
    assert (issue.answer, issue.answered_by) == ("下周升级", users.techdept)
    done = page(users.techdept).get("/visits/issues/?show=answered").content.decode()
    assert "下周升级" in done
    assert page(users.techdept).get("/visits/issues/").content.decode().count("data-issue=") == 0
    assert page(company_a.user).get("/visits/issues/").status_code == 403
    # A department without a head: the limit is still someone's, a member's.
    headless = visits.visit_transfer(
        actor=users.agent, visit=visit, department=sales, description="询问续保价格"
    )
    assert headless.obligations.get(rule="FB.TRANSFER").responsible == users.sales
