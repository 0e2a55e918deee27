"""The feedback API: visits, issues, question sets, campaigns, invitations, the public
survey and the statistics, each refused to who may not use it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from aftersales.accounts.services import department_create, department_set_head
from aftersales.feedback import surveys
from aftersales.feedback.models import Answer, QuestionSet
from aftersales.feedback.tests.test_surveys import QUESTIONS, publish

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_visits_listed_recorded_once_and_transferred(api, users, company_a, visit):
    listed = api(users.agent).get("/api/v1/visits/", {"status": "due"}).json()
    assert [v["id"] for v in listed["results"]] == [visit.pk]
    assert listed["results"][0]["obligations"][0]["rule"] == "FB.RETURN_VISIT"
    url = f"/api/v1/visits/{visit.pk}/"
    bad = api(users.agent).post(url + "record/", {"reached": True, "score": 6})
    assert bad.status_code == 400 and "score" in bad.json()
    done = api(users.agent).post(url + "record/", {"reached": True, "score": 5, "opinions": "好"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    again = api(users.agent).post(url + "record/", {"reached": True, "score": 4})
    assert again.status_code == 409
    dept = department_create(actor=None, code="tech", name="技术部")
    department_set_head(actor=None, department=dept, head=users.techdept)
    issue = api(users.agent).post(
        url + "transfer/", {"department": dept.pk, "description": "要求培训"}
    )
    assert issue.status_code == 201 and issue.json()["obligations"][0]["rule"] == "FB.TRANSFER"
    answered = api(users.techdept).post(
        f"/api/v1/visit-issues/{issue.json()['id']}/answer/", {"answer": "下周培训"}
    )
    assert answered.status_code == 200 and answered.json()["answered_at"]
    # Customers and users without the role: nothing.
    assert api(company_a.user).get("/api/v1/visits/").status_code == 403
    assert api(company_a.user).get(url).status_code in (403, 404)
    assert api(users.nobody).get("/api/v1/visits/").status_code == 403
    assert api(users.warehouse).post(url + "cancel/", {"reason": "x"}).status_code == 403


def test_question_sets_and_campaigns(
    api, users, company_a, company_b, django_capture_on_commit_callbacks
):
    made = api(users.manager).post(
        "/api/v1/question-sets/",
        {
            "code": "annual",
            "name": "年度满意度调查",
            "kind": "annual",
            "intro": "",
            "questions": [
                {"kind": "score", "text": "总体满意度"},
                {"kind": "choice", "text": "是否推荐", "choices": ["是", "否"]},
            ],
        },
    )
    assert made.status_code == 201 and made.json()["status"] == "draft"
    bad = api(users.manager).post(
        "/api/v1/question-sets/",
        {"code": "x", "name": "x", "kind": "annual", "questions": []},
    )
    assert bad.status_code == 400 and QuestionSet.objects.count() == 1
    set_id = made.json()["id"]
    assert api(users.agent).post(f"/api/v1/question-sets/{set_id}/publish/").status_code == 403
    published = api(users.manager).post(f"/api/v1/question-sets/{set_id}/publish/")
    assert published.json()["status"] == "published"
    assert api(users.manager).post(f"/api/v1/question-sets/{set_id}/publish/").status_code == 409
    with django_capture_on_commit_callbacks(execute=True):
        campaign = api(users.manager).post(
            "/api/v1/survey-campaigns/",
            {"year": 2026, "name": "2026 年度", "question_set": set_id},
        )
    assert campaign.status_code == 201
    progress = api(users.manager).get(f"/api/v1/survey-campaigns/{campaign.json()['id']}/")
    assert progress.json()["progress"]["invited"] == 2
    listed = api(users.manager).get(
        "/api/v1/survey-invitations/", {"campaign": campaign.json()["id"]}
    )
    assert listed.json()["count"] == 2
    assert api(company_a.user).get("/api/v1/survey-invitations/").status_code == 403
    assert api(company_a.user).get("/api/v1/question-sets/").status_code == 403


def test_the_public_survey_needs_no_account_and_works_once(api, users, company_a):
    question_set = publish(users, questions=QUESTIONS)
    _invitation, token = surveys.invitation_create(
        actor=users.agent, question_set=question_set, customer=company_a.customer, to=""
    )
    client = api()
    shown = client.get(f"/api/v1/surveys/{token}/")
    assert shown.status_code == 200 and len(shown.json()["questions"]) == 4
    keys = [q["key"] for q in shown.json()["questions"]]
    bad = client.post(
        f"/api/v1/surveys/{token}/", {"answers": {keys[0]: "6", keys[1]: "4", keys[2]: "是"}}
    )
    assert bad.status_code == 400 and keys[0] in bad.json()
    body = {"answers": {keys[0]: "5", keys[1]: "4", keys[2]: "是"}, "comment": "好"}
    assert client.post(f"/api/v1/surveys/{token}/", body).status_code == 201
    used = client.post(f"/api/v1/surveys/{token}/", body)
    assert used.status_code == 410 and used.json()["reason"] == "used"
    assert client.get("/api/v1/surveys/forged/").status_code == 404
    assert Answer.objects.count() == 3


def test_the_statistics(api, users, company_a):
    question_set = publish(users, questions=QUESTIONS[:1])
    _invitation, token = surveys.invitation_create(
        actor=users.agent, question_set=question_set, customer=company_a.customer, to=""
    )
    key = f"q{question_set.questions.get().pk}"
    with time_machine.travel(dt.datetime(2026, 10, 5, 10, tzinfo=SH), tick=False):
        surveys.survey_answer(token=token, answers={key: "4"})
    data = api(users.gm).get("/api/v1/satisfaction/", {"month": "2026-10"}).json()
    assert data["overall"] == {
        "key": "all",
        "label": "总体",
        "answered": 1,
        "questionnaires": 1,
        "satisfied": 1,
        "rate": 100.0,
        "average": 4.0,
    }
    year = api(users.gm).get("/api/v1/satisfaction/", {"year": "2026"}).json()
    assert [m["key"] for m in year["by_month"]] == ["2026-10"]
    assert api(users.gm).get("/api/v1/satisfaction/", {"year": "1999"}).status_code == 400
    assert api(users.gm).get("/api/v1/satisfaction/").status_code == 400
    assert api(company_a.user).get("/api/v1/satisfaction/", {"month": "2026-10"}).status_code == 403
    assert api().get("/api/v1/satisfaction/", {"month": "2026-10"}).status_code == 401
