"""Every step a person takes on a service request's page, in one table.

Each step names who may take it (a permission, and where the rule says so a role),
when it is offered (the request's status and what is still open), the form it asks
for and the one service it calls. The page shows the steps on offer; the same
service refuses a step that arrives anyway (a stale page, a crafted POST).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.common.forms import StyledFormMixin
from aftersales.customers.models import FaultCode
from aftersales.customers.warranty import WarrantyStatus
from aftersales.service import charges, repeats, service_requests, spares, work_orders
from aftersales.service.forms import SEVERITY_CHOICES, CloseForm, TeamDispatchForm
from aftersales.service.models import Charge, Exclusion, QuoteStatus, ServiceRequest
from aftersales.service.service_requests import FINISHED, REQUEST_LIFE

Status = ServiceRequest.Status


def _text(label: Any, *, required: bool = True, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=2000,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class NoteForm(StyledFormMixin, forms.Form):
    note = _text(_("Note"), required=False, rows=1)


class PlanForm(StyledFormMixin, forms.Form):
    plan = _text(_("Plan and arrival time told to the customer"))


class ResolveForm(StyledFormMixin, forms.Form):
    resolution = _text(_("How the fault was cleared"))


class ReasonForm(StyledFormMixin, forms.Form):
    reason = _text(_("Reason"))


class WrongForm(StyledFormMixin, forms.Form):
    reason = _text(_("What is still wrong"))


class SwapForm(StyledFormMixin, forms.Form):
    note = _text(_("Why it cannot be fixed on the spot"), required=False, rows=1)


class QuoteForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Price (yuan)"),
        min_value=Decimal("0"),
        max_value=Decimal("99999999"),
        decimal_places=2,
    )
    note = _text(_("What the price covers"), required=False)


YES_NO = [("1", _("Yes")), ("0", _("No"))]


def _yes_no(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect
    )


class QuoteAnswerForm(StyledFormMixin, forms.Form):
    accepted = _yes_no(_("Did the customer accept the quote?"))
    note = _text(_("Note"), required=False, rows=1)


class ExcludeForm(StyledFormMixin, forms.Form):
    exclusion = forms.ChoiceField(label=_("Cause found"), choices=Exclusion.choices)
    note = _text(pgettext_lazy("exclusion", "What was found"))


class ReviewForm(StyledFormMixin, forms.Form):
    accepted = _yes_no(_("Can we service this system?"))
    note = _text(_("Review"))


class FaultCodeForm(StyledFormMixin, forms.Form):
    fault_code = forms.ModelChoiceField(
        label=_("Fault found"), queryset=FaultCode.objects.none(), empty_label=_("Choose")
    )

    def __init__(self, *args: Any, request: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_id = request.equipment.product_model_id if request.equipment else None
        self.fields["fault_code"].queryset = FaultCode.objects.filter(  # type: ignore[attr-defined]
            product_model_id=model_id
        ).order_by("code")


class FaultReportForm(StyledFormMixin, forms.Form):
    cause = _text(_("Cause of the fault"), rows=3)
    prevention = _text(_("How to avoid it"), rows=3)


class SeverityForm(StyledFormMixin, forms.Form):
    severity = forms.ChoiceField(
        label=_("New severity"), choices=SEVERITY_CHOICES, widget=forms.RadioSelect
    )
    reason = _text(_("Why the severity changes"))


Act = Callable[[User, ServiceRequest, dict[str, Any]], Any]
Offer = Callable[[User, ServiceRequest, set[str]], bool]


@dataclass(frozen=True)
class Step:
    slug: str
    title: str | Promise
    button: str | Promise
    form: type[forms.Form]
    act: Act
    offer: Offer
    perm: str = "service.change_servicerequest"
    style: str = "outline-primary"

    def make_form(self, item: ServiceRequest, data: Any = None, **initial: Any) -> forms.Form:
        # Each step's fields get ids of their own: several forms share one page.
        options: dict[str, Any] = {"initial": initial, "auto_id": f"{self.slug}-%s"}
        if self.form is FaultCodeForm:
            return FaultCodeForm(data, request=item, **options)
        return self.form(data, **options)


def _moves_to(status: str) -> Offer:
    return lambda user, item, open_rules: REQUEST_LIFE.allows(item.status, status)


def _is_manager(user: User) -> bool:
    return user.is_superuser or user.has_role(Role.SERVICE_MANAGER)


def _at_the_desk(user: User) -> bool:
    """Classifying and cancelling a request is the hotline's and the manager's."""
    return user.is_superuser or user.has_role(Role.AGENT, Role.SERVICE_MANAGER)


def _working(item: ServiceRequest) -> bool:
    return item.status not in (*FINISHED, Status.RESOLVED)


def _awaits_quote(item: ServiceRequest) -> bool:
    return item.charge == Charge.QUOTED and item.quote_status in ("", QuoteStatus.REFUSED)


STEPS: list[Step] = [
    Step(
        "reply",
        _("First reply to the caller"),
        _("Replied to the caller"),
        NoteForm,
        lambda user, item, data: service_requests.service_request_reply(
            actor=user, request=item, note=data["note"]
        ),
        lambda user, item, open_rules: item.status == Status.NEW,
    ),
    Step(
        "respond",
        _("Respond with a plan"),
        _("Plan given to the customer"),
        PlanForm,
        lambda user, item, data: service_requests.service_request_respond(
            actor=user, request=item, plan=data["plan"]
        ),
        lambda user, item, open_rules: (
            "SR.RESPOND" in open_rules and REQUEST_LIFE.allows(item.status, Status.RESPONDED)
        ),
        style="primary",
    ),
    Step(
        "review",
        _("Technical review (a system we did not install)"),
        _("Record the review"),
        ReviewForm,
        lambda user, item, data: service_requests.service_request_review(
            actor=user, request=item, accepted=data["accepted"], note=data["note"]
        ),
        lambda user, item, open_rules: (
            item.needs_review
            and item.reviewed_by_id is None
            and item.status not in FINISHED
            and (user.is_superuser or user.has_role(Role.TECHNICAL))
        ),
    ),
    Step(
        "quote",
        _("Price the repair (out of warranty)"),
        _("Send the quote"),
        QuoteForm,
        lambda user, item, data: charges.service_request_quote(
            actor=user, request=item, amount=data["amount"], note=data["note"]
        ),
        lambda user, item, open_rules: (
            _awaits_quote(item)
            and _is_manager(user)
            and REQUEST_LIFE.allows(item.status, Status.QUOTING)
        ),
        style="primary",
    ),
    Step(
        "waive-quote",
        _("Start work before the quote is accepted"),
        _("Let work start"),
        ReasonForm,
        lambda user, item, data: charges.service_request_waive_quote(
            actor=user, request=item, reason=data["reason"]
        ),
        lambda user, item, open_rules: (
            item.charge == Charge.QUOTED
            and item.quote_status != QuoteStatus.ACCEPTED
            and not item.quote_waived_reason
            and item.status not in FINISHED
            and _is_manager(user)
        ),
        style="outline-warning",
    ),
    Step(
        "quote-answer",
        _("The customer's answer to the quote"),
        _("Record the answer"),
        QuoteAnswerForm,
        lambda user, item, data: charges.service_request_quote_answer(
            actor=user, request=item, accepted=data["accepted"], note=data["note"]
        ),
        lambda user, item, open_rules: item.status == Status.QUOTING,
        style="primary",
    ),
    Step(
        "exclude",
        _("Not covered: misuse or an exclusion"),
        _("Record as not covered (parts at cost)"),
        ExcludeForm,
        lambda user, item, data: charges.service_request_exclude(
            actor=user, request=item, exclusion=data["exclusion"], note=data["note"]
        ),
        lambda user, item, open_rules: (
            _working(item)
            and not item.exclusion
            and item.warranty_status != WarrantyStatus.OUT_OF_WARRANTY
        ),
    ),
    Step(
        "onsite",
        _("Remote help did not clear it"),
        _("Go on site"),
        NoteForm,
        lambda user, item, data: service_requests.service_request_go_onsite(
            actor=user, request=item, note=data["note"]
        ),
        _moves_to(Status.ONSITE),
    ),
    Step(
        "dispatch",
        _("Assign a technician or a team"),
        _("Assign"),
        TeamDispatchForm,
        lambda user, item, data: work_orders.dispatch(
            actor=user,
            service_request=item,
            technicians=list(data["technicians"]),
            planned_arrival=data["planned_arrival"],
        ),
        lambda user, item, open_rules: _working(item),
        perm="service.add_workorder",
    ),
    Step(
        "fault",
        _("Fault found at diagnosis"),
        _("Record the fault"),
        FaultCodeForm,
        lambda user, item, data: repeats.service_request_set_fault(
            actor=user, request=item, fault_code=data["fault_code"]
        ),
        lambda user, item, open_rules: (
            item.equipment_id is not None and item.status not in FINISHED
        ),
    ),
    Step(
        "fault-report",
        _("Fault analysis report (故障分析报告)"),
        _("File the report"),
        FaultReportForm,
        lambda user, item, data: service_requests.service_request_fault_report(
            actor=user, request=item, cause=data["cause"], prevention=data["prevention"]
        ),
        lambda user, item, open_rules: "WO.FAULT_REPORT" in open_rules,
        style="primary",
    ),
    Step(
        "swap",
        _("Cannot be fixed on the spot"),
        _("Send a spare or backup unit"),
        SwapForm,
        lambda user, item, data: spares.service_request_swap(
            actor=user, request=item, note=data["note"]
        ),
        lambda user, item, open_rules: _working(item) and "SR.SPARE" not in open_rules,
        style="outline-warning",
    ),
    Step(
        "resolve",
        _("The fault is cleared"),
        _("Resolved"),
        ResolveForm,
        lambda user, item, data: service_requests.service_request_resolve(
            actor=user, request=item, resolution=data["resolution"]
        ),
        _moves_to(Status.RESOLVED),
        style="outline-success",
    ),
    Step(
        "close",
        _("Customer's confirmation"),
        _("Confirmed: close"),
        CloseForm,
        lambda user, item, data: service_requests.service_request_close(
            actor=user, request=item, **data
        ),
        lambda user, item, open_rules: item.status == Status.RESOLVED,
        style="success",
    ),
    Step(
        "reopen",
        _("The customer says it still fails"),
        _("Not fixed: reopen"),
        WrongForm,
        lambda user, item, data: service_requests.service_request_reopen(
            actor=user, request=item, reason=data["reason"]
        ),
        lambda user, item, open_rules: item.status == Status.RESOLVED,
        style="outline-danger",
    ),
    Step(
        "severity",
        _("Change the severity"),
        pgettext_lazy("severity", "Change"),
        SeverityForm,
        lambda user, item, data: service_requests.service_request_set_severity(
            actor=user, request=item, severity=data["severity"], reason=data["reason"]
        ),
        lambda user, item, open_rules: item.status not in FINISHED and _at_the_desk(user),
        style="outline-secondary",
    ),
    Step(
        "cancel",
        _("Cancel the request"),
        pgettext_lazy("request", "Cancel"),
        ReasonForm,
        lambda user, item, data: service_requests.service_request_cancel(
            actor=user, request=item, reason=data["reason"]
        ),
        lambda user, item, open_rules: (
            REQUEST_LIFE.allows(item.status, Status.CANCELLED)
            and _at_the_desk(user)
            and not service_requests.repair_done(item)
        ),
        style="outline-danger",
    ),
]
BY_SLUG = {step.slug: step for step in STEPS}


def open_rules_of(item: ServiceRequest) -> set[str]:
    """The rules still open on the request (from its prefetched limits)."""
    return {o.rule for o in item.obligations.all() if o.state in ("running", "paused", "breached")}


def steps_on_offer(user: User, item: ServiceRequest) -> list[Step]:
    if user.is_external:
        return []
    open_rules = open_rules_of(item)
    offered = [
        step for step in STEPS if user.has_perm(step.perm) and step.offer(user, item, open_rules)
    ]
    if any(step.slug == "resolve" for step in offered) and service_requests.repair_done(item):
        # The technician's order is done and signed: what comes next is "cleared".
        offered.sort(key=lambda step: step.slug != "resolve")
    return offered
