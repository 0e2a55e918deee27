"""Satisfaction surveys (R-FB-4): versioned question sets, one-time links, answers.

A link carries a random token; only its SHA-256 is stored, the copy of the message
kept shows it blanked. A link works once, until FB.SURVEY_LINK runs out, and shows
nothing but its own questions. Answers are checked against the version the link
was sent with; a low score opens a follow-up visit (FB.FOLLOW_UP).

The life of a question set (``SET_LIFE``): draft → in use (published) → retired when
the next version is put in use; a version in use never changes. An annual campaign
(``CAMPAIGN_LIFE``) is sending until every active customer has its link, then sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.calendars.periods import month_of
from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError, ValidationError
from aftersales.common.lifecycle import Lifecycle
from aftersales.common.messaging import message_send
from aftersales.common.validation import CONTROL
from aftersales.customers.models import Contact, Customer
from aftersales.feedback import visits
from aftersales.feedback.models import (
    Answer,
    Question,
    QuestionSet,
    SurveyCampaign,
    SurveyInvitation,
)
from aftersales.obligations import services as obligations

LOW_SCORE = 2  # a score of 1 or 2 is followed up (4 and 5 count as satisfied)

SetStatus = QuestionSet.Status
SET_LIFE = Lifecycle(
    "feedback.questionset",
    {
        SetStatus.DRAFT: {SetStatus.PUBLISHED},
        SetStatus.PUBLISHED: {SetStatus.RETIRED},
        SetStatus.RETIRED: set(),
    },
)
CAMPAIGN_LIFE = Lifecycle(
    "feedback.surveycampaign",
    {
        SurveyCampaign.Status.SENDING: {SurveyCampaign.Status.SENT},
        SurveyCampaign.Status.SENT: set(),
    },
)


# --- question sets ------------------------------------------------------------


def _check_questions(questions: list[dict[str, Any]]) -> list[Question]:
    if not questions:
        raise ValidationError({"questions": _("A survey needs at least one question.")})
    made = []
    for position, data in enumerate(questions, start=1):
        kind, text = data.get("kind", ""), str(data.get("text", "")).strip()
        choices = [str(c).strip() for c in data.get("choices") or [] if str(c).strip()]
        if kind not in Question.Kind.values:
            raise ValidationError(
                {"questions": _("Question %(n)d: choose its kind.") % {"n": position}}
            )
        if not text or len(text) > 200:
            raise ValidationError(
                {
                    "questions": _("Question %(n)d: write the question (up to 200 characters).")
                    % {"n": position}
                }
            )
        if kind == Question.Kind.CHOICE and (len(choices) < 2 or len(set(choices)) != len(choices)):
            raise ValidationError(
                {
                    "questions": _("Question %(n)d: give at least two different choices.")
                    % {"n": position}
                }
            )
        made.append(
            Question(
                position=position,
                kind=kind,
                text=text,
                choices=choices if kind == Question.Kind.CHOICE else [],
                required=bool(data.get("required", True)),
            )
        )
    return made


@transaction.atomic
def question_set_create(
    *,
    actor: User,
    code: str,
    name: str,
    kind: str,
    questions: list[dict[str, Any]],
    intro: str = "",
) -> QuestionSet:
    """A new draft: version 1 of a new code, or the next version of an existing one."""
    if kind not in QuestionSet.Kind.values:
        raise ValidationError({"kind": _("Choose when the survey is sent.")})
    made = _check_questions(questions)
    last = QuestionSet.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0
    question_set = QuestionSet(
        code=code,
        version=last + 1,
        name=name.strip(),
        kind=kind,
        intro=intro.strip(),
        created_by=actor,
        created_at=timezone.now(),
    )
    save_audited(question_set, actor=actor, reason="created")
    for question in made:
        question.question_set = question_set
    Question.objects.bulk_create(made)
    return question_set


@transaction.atomic
def question_set_publish(*, actor: User, question_set: QuestionSet) -> QuestionSet:
    """Put a draft in use; the version in use for the same kind retires (its answers stay
    tied to it). A published version never changes again."""
    question_set = QuestionSet.objects.select_for_update().get(pk=question_set.pk)
    if question_set.status != QuestionSet.Status.DRAFT:
        raise ConflictError(_("Only a draft can be put in use."))
    for old in QuestionSet.objects.select_for_update().filter(
        kind=question_set.kind, status=QuestionSet.Status.PUBLISHED
    ):
        SET_LIFE.move(
            old,
            QuestionSet.Status.RETIRED,
            actor=actor,
            reason=f"replaced by v{question_set.version}",
        )
    question_set.published_at = timezone.now()
    SET_LIFE.move(question_set, QuestionSet.Status.PUBLISHED, actor=actor, reason="published")
    return question_set


def in_use(kind: str) -> QuestionSet | None:
    return QuestionSet.objects.filter(kind=kind, status=QuestionSet.Status.PUBLISHED).first()


# --- links --------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def link_for(token: str) -> str:
    return f"{settings.PUBLIC_URL}/s/{token}/"


def invitation_create(
    *,
    actor: User | None,
    question_set: QuestionSet,
    customer: Customer,
    to: str,
    email: str = "",
    service_request: Any = None,
    campaign: SurveyCampaign | None = None,
    technician: User | None = None,
) -> tuple[SurveyInvitation, str]:
    """Make the link and send it by SMS to ``to`` (a phone, or an address) and by e-mail
    to ``email`` when given; returns the invitation and the token (for the caller only:
    it is not stored)."""
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    expires = obligations.policy_deadline("FB.SURVEY_LINK", now)
    invitation = SurveyInvitation.objects.create(
        question_set=question_set,
        customer=customer,
        service_request=service_request,
        campaign=campaign,
        token_hash=token_hash(token),
        sent_to=", ".join(filter(None, [to, email]))[:200],
        created_at=now,
        expires_at=expires or now,
        technician=technician,
        product_model_id=(
            service_request.equipment.product_model_id
            if service_request is not None and service_request.equipment_id
            else None
        ),
        region=customer.region,
    )
    from aftersales.delivery.texts import text_for

    values = {
        "company": settings.COMPANY_NAME,
        "number": service_request.number if service_request is not None else "",
        "link": link_for(token),
        "until": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d"),
    }
    body = _(
        "%(company)s invites you to rate our service%(about)s: %(link)s (valid until %(until)s)"
    ) % {**values, "about": f" ({values['number']})" if values["number"] else ""}
    for address in dict.fromkeys(filter(None, [to, email])):
        channel = "email" if "@" in address else "sms"
        subject, words = text_for(
            "survey.invitation", channel, values, default=body, subject=question_set.name
        )
        message_send(
            actor=actor,
            about=invitation,
            to=address,
            body=words,
            channel=channel,
            subject=subject,
            secret=token,
            kind="survey.invitation",
        )
    return invitation, token


def survey_after_service(
    *, actor: User | None, request: Any, at: dt.datetime
) -> SurveyInvitation | None:
    """R-FB-4: every completed service gets the survey in use (if one is)."""
    question_set = in_use(QuestionSet.Kind.AFTER_SERVICE)
    if question_set is None or SurveyInvitation.objects.filter(service_request=request).exists():
        return None
    last_order = (
        request.work_orders.exclude(technician=None).order_by("-completed_at", "-pk").first()
    )
    # The caller by SMS, and by e-mail too when a contact with that phone has an address.
    email = (
        Contact.objects.filter(customer=request.customer, phone=request.caller_phone)
        .exclude(email="")
        .values_list("email", flat=True)
        .first()
    )
    invitation, _token = invitation_create(
        actor=actor,
        question_set=question_set,
        customer=request.customer,
        to=request.caller_phone,
        email=email or "",
        service_request=request,
        technician=last_order.technician if last_order else None,
    )
    return invitation


# --- answering ----------------------------------------------------------------


class LinkProblem(ConflictError):
    """The link cannot be answered: unknown, expired or used. ``reason`` says which."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason

    @property
    def http_status(self) -> int:
        """Not found for a link that never was; gone for one used or expired."""
        return 404 if self.reason == "unknown" else 410


def invitation_for(token: str) -> SurveyInvitation:
    """The invitation a link opens, or LinkProblem. Reading it writes nothing."""
    if not token or len(token) > 100:
        raise LinkProblem("unknown", _("This survey link is not valid."))
    invitation = (
        SurveyInvitation.objects.select_related("question_set")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise LinkProblem("unknown", _("This survey link is not valid."))
    if invitation.answered_at is not None:
        raise LinkProblem("used", _("This survey has already been answered. Thank you!"))
    if invitation.expires_at <= timezone.now():
        raise LinkProblem("expired", _("This survey link has expired."))
    return invitation


def _clean_answer(question: Question, value: Any) -> dict[str, Any] | None:
    """The answer's columns, None when left empty; ValidationError naming the question."""
    field = f"q{question.pk}"
    text = "" if value is None else str(value).strip()
    if not text:
        if question.required:
            raise ValidationError({field: _("Please answer this question.")})
        return None
    if question.kind == Question.Kind.SCORE:
        if text not in {"1", "2", "3", "4", "5"}:
            raise ValidationError({field: _("Give a score from 1 to 5.")})
        return {"score": int(text)}
    if question.kind == Question.Kind.CHOICE:
        if text not in question.choices:
            raise ValidationError({field: _("Choose one of the listed answers.")})
        return {"choice": text}
    if len(text) > 2000:
        raise ValidationError({field: _("Keep the answer under 2000 characters.")})
    if CONTROL.search(text):
        raise ValidationError({field: _("Remove the control characters from the text.")})
    return {"text": text}


@transaction.atomic
def survey_answer(*, token: str, answers: dict[str, Any], comment: str = "") -> SurveyInvitation:
    """Record the customer's answers, once. ``answers`` maps ``q<question id>`` to the
    value; a key for a question not in this link's version is refused."""
    return _answered(invitation_for(token), answers, comment)


def form_context(
    questions: list[Question], values: dict[str, Any], errors: dict[str, Any], comment: str
) -> dict[str, Any]:
    """What the survey form shows, on the link's page and in the portal alike: each
    question with what was typed and its errors; the closing comment box only when the
    questionnaire has no free-text question of its own."""
    return {
        "rows": [
            {
                "question": q,
                "key": f"q{q.pk}",
                "value": values.get(f"q{q.pk}", ""),
                "errors": errors.get(f"q{q.pk}", []),
            }
            for q in questions
        ],
        "scores": ["5", "4", "3", "2", "1"],
        "comment": comment,
        "other_errors": errors.get("answers", []) + errors.get("comment", []),
        "has_text_question": any(q.kind == Question.Kind.TEXT for q in questions),
    }


def portal_invitations(customer_id: int | None) -> Any:
    """The surveys a customer contact may still answer in the portal: their company's,
    unanswered, not expired."""
    if customer_id is None:
        return SurveyInvitation.objects.none()
    return SurveyInvitation.objects.filter(
        customer_id=customer_id, answered_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("question_set", "service_request")


@transaction.atomic
def survey_answer_in_portal(
    *, actor: User, invitation: SurveyInvitation, answers: dict[str, Any], comment: str = ""
) -> SurveyInvitation:
    """The same answers from a customer contact signed in to the portal (no link needed)."""
    if invitation.customer_id != actor.customer_id_scope:
        raise LinkProblem("unknown", _("This survey link is not valid."))
    if invitation.expires_at <= timezone.now():
        raise LinkProblem("expired", _("This survey link has expired."))
    return _answered(invitation, answers, comment)


def _answered(
    invitation: SurveyInvitation, answers: dict[str, Any], comment: str
) -> SurveyInvitation:
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.answered_at is not None:  # answered by a request a moment ago
        raise LinkProblem("used", _("This survey has already been answered. Thank you!"))
    questions = {f"q{q.pk}": q for q in invitation.question_set.questions.all()}
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        raise ValidationError(
            {
                "answers": _("These are not questions of this survey: %(keys)s")
                % {"keys": ", ".join(unknown)[:200]}
            }
        )
    if len(comment) > 2000:
        raise ValidationError({"comment": _("Keep the comment under 2000 characters.")})
    if CONTROL.search(comment):
        raise ValidationError({"comment": _("Remove the control characters from the text.")})
    now = timezone.now()
    month = month_of(now)
    rows, low = [], False
    errors: dict[str, Any] = {}
    for key, question in questions.items():
        try:  # every question's problem at once, not the first only
            cleaned = _clean_answer(question, answers.get(key))
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if cleaned is None:
            continue
        low = low or (cleaned.get("score") or 5) <= LOW_SCORE
        rows.append(
            Answer(
                invitation=invitation,
                question=question,
                month=month,
                region=invitation.region,
                technician_id_copy=invitation.technician_id,
                product_model_id_copy=invitation.product_model_id,
                **cleaned,
            )
        )
    if errors:
        raise ValidationError(errors)
    # The questionnaire is counted once, on its first score, so the analysis counts
    # questionnaires with a filtered COUNT instead of a COUNT(DISTINCT).
    first_score = next((row for row in rows if row.score is not None), None)
    if first_score is not None:
        first_score.counts_questionnaire = True
    Answer.objects.bulk_create(rows)
    invitation.answered_at, invitation.comment = now, comment.strip()
    invitation.save(update_fields=["answered_at", "comment"])
    if low:
        visits.visit_follow_up(actor=None, invitation=invitation, at=now)
    return invitation


# --- the annual campaign ------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *, actor: User, year: int, name: str, question_set: QuestionSet
) -> SurveyCampaign:
    """R-FB-4: the annual survey of every active customer. The links go out from a
    background task once this commits (a hundred thousand messages do not fit in a
    page's request); the campaign's progress shows them as they are sent."""
    if (
        question_set.status != QuestionSet.Status.PUBLISHED
        or question_set.kind != QuestionSet.Kind.ANNUAL
    ):
        raise ValidationError({"question_set": _("Choose the annual survey in use.")})
    if SurveyCampaign.objects.filter(year=year).exists():
        raise ConflictError(_("The %(year)d survey was already started.") % {"year": year})
    campaign = SurveyCampaign.objects.create(
        name=name.strip() or _("%(year)d annual satisfaction survey") % {"year": year},
        year=year,
        question_set=question_set,
        created_by=actor,
        created_at=timezone.now(),
    )
    from aftersales.feedback.tasks import send_campaign

    transaction.on_commit(lambda: send_campaign(campaign.pk))
    return campaign


def campaign_send(campaign: SurveyCampaign, *, chunk: int = 500) -> int:
    """Send the campaign's link to every active customer not yet invited, a chunk per
    transaction; running it again sends only what is missing. How many were sent."""
    sent = 0
    while True:
        with transaction.atomic():
            customers = list(
                Customer.objects.filter(is_active=True)
                .exclude(pk__in=campaign.invitations.values("customer_id"))
                .order_by("pk")[:chunk]
            )
            if not customers:
                campaign = SurveyCampaign.objects.select_for_update().get(pk=campaign.pk)
                if campaign.status == SurveyCampaign.Status.SENDING:
                    CAMPAIGN_LIFE.move(
                        campaign, SurveyCampaign.Status.SENT, actor=None, reason="all sent"
                    )
                return sent
            contacts = visits.primary_contacts([c.pk for c in customers])
            for customer in customers:
                invitation_create(
                    actor=campaign.created_by,
                    question_set=campaign.question_set,
                    customer=customer,
                    to=contacts.get(customer.pk, ("", ""))[1] or customer.phone,
                    campaign=campaign,
                )
            sent += len(customers)


def campaign_progress(campaign: SurveyCampaign) -> dict[str, int]:
    invitations = campaign.invitations.all()
    sent = invitations.count()
    answered = invitations.exclude(answered_at=None).count()
    return {
        "invited": sent,
        "answered": answered,
        "percent": round(100 * answered / sent) if sent else 0,
    }
