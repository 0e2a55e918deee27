from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.common.forms import StyledFormMixin
from aftersales.feedback.models import Question, QuestionSet


class RecordForm(StyledFormMixin, forms.Form):
    reached = forms.TypedChoiceField(
        label=_("Reached the customer?"),
        choices=[("1", _("Reached")), ("0", _("Not reached"))],
        coerce=lambda v: v == "1",
    )
    score = forms.TypedChoiceField(
        label=_("Satisfaction (1–5)"),
        choices=[("", "—")] + [(str(n), str(n)) for n in range(5, 0, -1)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    opinions = forms.CharField(
        label=_("Opinions"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    suggestions = forms.CharField(
        label=_("Suggestions"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


# The word for each kind of question, as the person writing the survey types it (评分,
# 选择, 文字 in Chinese); the kind's code is understood too.
KIND_WORDS: dict[str, Any] = {
    Question.Kind.SCORE: pgettext_lazy("question kind", "score"),
    Question.Kind.CHOICE: pgettext_lazy("question kind", "choice"),
    Question.Kind.TEXT: pgettext_lazy("question kind", "text"),
}


def _kind_of(word: str) -> str:
    for kind, label in KIND_WORDS.items():
        names = {str(kind)}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(str(label).lower())
        if word in names:
            return kind
    return word


def parse_questions(text: str) -> list[dict[str, Any]]:
    """One question a line: ``score: 您对维修速度是否满意？``, ``choice: 是否一次解决？ | 是 | 否``,
    ``text?: 其他意见`` (a ``?`` after the kind makes it optional)."""
    questions = []
    for line in text.splitlines():
        if not line.strip():
            continue
        kind, sep, rest = line.partition(":")
        if not sep:
            kind, sep, rest = line.partition("：")
        kind = kind.strip().lower()
        optional = kind.endswith("?") or kind.endswith("？")
        kind = _kind_of(kind.rstrip("?？").strip())
        parts = [p.strip() for p in rest.split("|")]
        questions.append(
            {
                "kind": kind if sep else "",
                "text": parts[0] if parts else "",
                "choices": parts[1:],
                "required": not optional,
            }
        )
    return questions


def questions_as_text(question_set: QuestionSet) -> str:
    lines = []
    for q in question_set.questions.all():
        word = KIND_WORDS.get(q.kind, q.kind)
        head = f"{word}{'' if q.required else '？'}：{q.text}"
        lines.append(" | ".join([head, *q.choices]) if q.kind == Question.Kind.CHOICE else head)
    return "\n".join(lines)


class QuestionSetForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Versions of one survey share the code."),
    )
    kind = forms.ChoiceField(label=_("When it is sent"), choices=QuestionSet.Kind.choices)
    intro = forms.CharField(
        label=_("Introduction"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=format_lazy(
            _(
                "One a line: “{score}: question” (1–5), “{choice}: question | answer | "
                "answer”, “{text}: question”. Put ? after the kind for an optional one "
                "(“{text}?: …”)."
            ),
            score=KIND_WORDS[Question.Kind.SCORE],
            choice=KIND_WORDS[Question.Kind.CHOICE],
            text=KIND_WORDS[Question.Kind.TEXT],
        ),
    )
