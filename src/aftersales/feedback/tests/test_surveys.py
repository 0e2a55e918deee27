"""Surveys: versioned question sets, the one-time link (expiry, reuse, tampering),
answers checked against their version, low scores followed up, the annual campaign.

Rules: R-FB-4 (the survey after every service, the annual survey).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.common.exceptions import ValidationError
from aftersales.common.messaging import messages_about
from aftersales.feedback import surveys
from aftersales.feedback.models import Answer, QuestionSet, SurveyInvitation, Visit

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
CLOSED = dt.datetime(2026, 10, 12, 10, tzinfo=SH)


def at(when):
    return time_machine.travel(when, tick=False)


QUESTIONS = [
    {"kind": "score", "text": "您对维修速度是否满意？"},
    {"kind": "score", "text": "您对技术员的服务态度是否满意？"},
    {"kind": "choice", "text": "问题是否一次解决？", "choices": ["是", "否"]},
    {"kind": "text", "text": "其他意见和建议", "required": False},
]


def publish(users, kind="after_service", code="after", questions=QUESTIONS):
    made = surveys.question_set_create(
        actor=users.manager, code=code, name="服务满意度调查", kind=kind, questions=questions
    )
    return surveys.question_set_publish(actor=users.manager, question_set=made)


@pytest.fixture
def sent(users, company_a):
    """A published after-service survey and a request closed on 12 October: the token."""
    question_set = publish(users)
    with at(CLOSED):
        request = factories.make_request(
            company_a.customer, actor=users.agent, serial_number="A-0001"
        )
        factories.close_request(request, users.agent)
    invitation = SurveyInvitation.objects.get(service_request=request)
    message = messages_about(invitation).get()
    return invitation, question_set, message


def token_of(users, company_a, question_set):
    """A fresh invitation whose token the test knows (the sent one's is not kept)."""
    invitation, token = surveys.invitation_create(
        actor=users.agent, question_set=question_set, customer=company_a.customer, to=""
    )
    return invitation, token


def good_answers(question_set, **changes):
    q = list(question_set.questions.order_by("position"))
    return {f"q{q[0].pk}": "5", f"q{q[1].pk}": "4", f"q{q[2].pk}": "是", **changes}


def test_a_closed_service_sends_a_link_and_keeps_only_its_hash(users, company_a, sent):
    invitation, question_set, message = sent
    assert invitation.question_set == question_set and invitation.region == "华东"
    assert invitation.product_model == company_a.equipment.product_model
    assert invitation.expires_at == CLOSED + dt.timedelta(days=14)
    assert message.channel == "sms" and message.to == "13812345678"
    # The kept copy shows the link blanked; the table holds a hash, not the token.
    assert "/s/********/" in message.body and len(invitation.token_hash) == 64
    assert invitation.token_hash not in message.body


def test_the_link_goes_by_e_mail_too_when_the_caller_has_an_address(users, company_a):
    from django.core import mail

    from aftersales.customers import services as customers

    publish(users)
    customers.contact_create(
        actor=None,
        customer=company_a.customer,
        name="刘建国",
        phone="13812345678",
        email="liu@example.com",
    )
    with at(CLOSED):
        request = factories.make_request(company_a.customer, actor=users.agent)
        factories.close_request(request, users.agent)
    invitation = SurveyInvitation.objects.get(service_request=request)
    sent = sorted((m.channel, m.to) for m in messages_about(invitation))
    assert sent == [("email", "liu@example.com"), ("sms", "13812345678")]
    assert invitation.sent_to == "13812345678, liu@example.com"
    # The e-mail itself carries the working link; the kept copy does not.
    assert "/s/" in mail.outbox[-1].body and "********" not in mail.outbox[-1].body


def test_answering_once_writes_the_answers_with_their_context(users, company_a, sent):
    _invitation, question_set, _message = sent
    invitation, token = token_of(users, company_a, question_set)
    with at(CLOSED + dt.timedelta(days=1)):
        surveys.survey_answer(token=token, answers=good_answers(question_set), comment="很好")
    invitation.refresh_from_db()
    assert invitation.answered_at == CLOSED + dt.timedelta(days=1) and invitation.comment == "很好"
    rows = {a.question.position: a for a in Answer.objects.filter(invitation=invitation)}
    assert (rows[1].score, rows[2].score, rows[3].choice) == (5, 4, "是")
    assert 4 not in rows  # the optional text left empty is not an answer
    assert rows[1].month == dt.date(2026, 10, 1) and rows[1].region == "华东"
    with pytest.raises(surveys.LinkProblem) as used:
        surveys.survey_answer(token=token, answers=good_answers(question_set))
    assert used.value.reason == "used"
    assert Answer.objects.filter(invitation=invitation).count() == 3


def test_an_expired_or_tampered_link_writes_nothing(users, company_a, sent):
    _invitation, question_set, _message = sent
    with at(CLOSED):
        invitation, token = token_of(users, company_a, question_set)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (tampered, "", "x" * 500, "../../admin"):
        with pytest.raises(surveys.LinkProblem) as refused:
            surveys.survey_answer(token=bad, answers=good_answers(question_set))
        assert refused.value.reason == "unknown"
    # Valid through the 14th day, expired at its end.
    with at(CLOSED + dt.timedelta(days=14)), pytest.raises(surveys.LinkProblem) as expired:
        surveys.survey_answer(token=token, answers=good_answers(question_set))
    assert expired.value.reason == "expired"
    assert not Answer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


@pytest.mark.parametrize(
    "change, field",
    [
        ({"first": "6"}, "first"),
        ({"first": "0"}, "first"),
        ({"first": "4.5"}, "first"),
        ({"first": ""}, "first"),
        ({"choice": "也许"}, "choice"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(users, company_a, sent, change, field):
    _invitation, question_set, _message = sent
    invitation, token = token_of(users, company_a, question_set)
    q = list(question_set.questions.order_by("position"))
    keys = {"first": f"q{q[0].pk}", "choice": f"q{q[2].pk}"}
    answers = good_answers(question_set, **{keys[k]: v for k, v in change.items()})
    with pytest.raises(ValidationError) as refused:
        surveys.survey_answer(token=token, answers=answers)
    assert keys[field] in refused.value.message_dict
    invitation.refresh_from_db()
    assert invitation.answered_at is None and not Answer.objects.exists()


def test_a_new_version_keeps_old_answers_and_refuses_mixed_ones(users, company_a, sent):
    _invitation, v1, _message = sent
    _old, old_token = token_of(users, company_a, v1)
    surveys.survey_answer(token=old_token, answers=good_answers(v1))
    v2 = publish(users, questions=[{"kind": "score", "text": "总体满意度"}])
    v1.refresh_from_db()
    assert (v1.status, v2.status, v2.version) == ("retired", "published", 2)
    assert Answer.objects.filter(question__question_set=v1).count() == 3
    _new, token = token_of(users, company_a, v2)
    # An answer keyed to the old version's question is not an answer to this one.
    with pytest.raises(ValidationError) as refused:
        surveys.survey_answer(token=token, answers=good_answers(v1))
    assert "answers" in refused.value.message_dict
    with pytest.raises(surveys.ConflictError):
        surveys.question_set_publish(actor=users.manager, question_set=v1)


def test_a_bad_question_set_is_refused(users):
    for questions in (
        [],
        [{"kind": "stars", "text": "?"}],
        [{"kind": "score", "text": ""}],
        [{"kind": "choice", "text": "?", "choices": ["是"]}],
        [{"kind": "choice", "text": "?", "choices": ["是", "是"]}],
    ):
        with factories.refused("questions"):
            surveys.question_set_create(
                actor=users.manager, code="x", name="x", kind="after_service", questions=questions
            )
    assert not QuestionSet.objects.exists()


def test_a_low_score_opens_a_follow_up_within_three_working_days(users, company_a, sent):
    _invitation, question_set, _message = sent
    invitation, token = token_of(users, company_a, question_set)
    answered = dt.datetime(2026, 9, 30, 10, tzinfo=SH)  # before National Day
    with at(answered):
        surveys.survey_answer(
            token=token,
            answers=good_answers(
                question_set, **{f"q{question_set.questions.get(position=2).pk}": "2"}
            ),
        )
    follow_up = Visit.objects.get(invitation=invitation)
    assert follow_up.kind == "follow_up" and follow_up.customer == company_a.customer
    # 3 working days after 30 September: 8, 9 and 10 October (the make-up Saturday).
    limit = follow_up.obligations.get(rule="FB.FOLLOW_UP")
    assert limit.due_at == dt.datetime(2026, 10, 10, 18, tzinfo=SH)


def test_the_annual_campaign_reaches_every_active_customer(
    users, company_a, company_b, django_capture_on_commit_callbacks
):
    annual = publish(users, kind="annual", code="annual", questions=QUESTIONS[:1])
    gone = factories.make_customer("已停用客户")
    gone.is_active = False
    gone.save()
    with factories.refused("question_set"):
        surveys.campaign_create(
            actor=users.manager, year=2026, name="", question_set=publish(users)
        )
    # The links go out in a task once the campaign is committed, a chunk at a time.
    with django_capture_on_commit_callbacks(execute=True):
        campaign = surveys.campaign_create(
            actor=users.manager, year=2026, name="", question_set=annual
        )
    invited = set(campaign.invitations.values_list("customer__name", flat=True))
    assert invited == {"甲公司", "乙公司"}
    assert surveys.campaign_progress(campaign) == {"invited": 2, "answered": 0, "percent": 0}
    late = factories.make_customer("新客户")
    assert surveys.campaign_send(campaign, chunk=1) == 1  # only the one not yet invited
    assert campaign.invitations.filter(customer=late).exists()
    with pytest.raises(surveys.ConflictError):
        surveys.campaign_create(actor=users.manager, year=2026, name="", question_set=annual)


def test_an_empty_form_names_every_required_question_at_once(users, company_a, sent):
    """Found by a trial: only the first unanswered question was marked."""
    _invitation, question_set, _message = sent
    _made, token = token_of(users, company_a, question_set)
    q = list(question_set.questions.order_by("position"))
    with pytest.raises(ValidationError) as refused:
        surveys.survey_answer(token=token, answers={})
    assert set(refused.value.message_dict) == {f"q{q[0].pk}", f"q{q[1].pk}", f"q{q[2].pk}"}
