"""时限监控 (the monitor), the policy pages, and notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts.selectors import can_view_audit
from aftersales.common.audit import history_entries
from aftersales.common.forms import run_service
from aftersales.common.requests import acting_user
from aftersales.obligations import forms, notices, policies, selectors
from aftersales.obligations.models import Notification, Obligation, Policy
from aftersales.obligations.sweep import minutes_left

State = Obligation.State


@login_required
@permission_required("obligations.view_obligation", raise_exception=True)
def monitor(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters = forms.MonitorFilterForm(request.GET or None, rules=selectors.rules())
    data = filters.cleaned_data if filters.is_valid() else {}
    obligations = selectors.obligation_list(
        user,
        rule=data.get("rule", ""),
        states=data.get("state") or [State.RUNNING, State.BREACHED, State.PAUSED],
        responsible=data.get("responsible"),
        department=data.get("department"),
        number=data.get("number", ""),
    )
    page_obj = Paginator(obligations.prefetch_related("target"), 50).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    rows = [(ob, minutes_left(ob, now)) for ob in page_obj.object_list]
    return render(
        request,
        "obligations/monitor.html",
        {"filters": filters, "page_obj": page_obj, "rows": rows},
    )


@login_required
@permission_required("obligations.view_policy", raise_exception=True)
def policy_list(request: HttpRequest) -> HttpResponse:
    policies = (
        Policy.objects.select_related("calendar")
        .prefetch_related("steps")
        .order_by("rule", "severity")
    )
    return render(request, "obligations/policies.html", {"policies": policies})


@login_required
@permission_required("obligations.change_policy", raise_exception=True)
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The time limit and its escalation ladder; saving recomputes running obligations."""
    user = acting_user(request)
    policy = get_object_or_404(Policy.objects.select_related("calendar"), pk=pk)
    form = forms.PolicyForm(request.POST or None, instance=policy)
    ladder = forms.LadderFormSet(
        request.POST or None, queryset=policy.steps.order_by("step"), prefix="steps"
    )
    if request.method == "POST" and form.is_valid() and ladder.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        steps = [
            {name: data[name] for name in ("role", "delay_amount", "delay_unit", "delay_calendar")}
            for data in ladder.cleaned_data
            if data and not data.get("DELETE")
        ]

        def save() -> Policy:
            policies.policy_set_ladder(actor=user, policy=policy, steps=steps)
            return policies.policy_update(actor=user, policy=policy, **fields)

        if run_service(form, save) is not None:
            messages.success(request, _("Saved. Running time limits are being recomputed."))
            return redirect("obligations:policies")
    return render(
        request,
        "obligations/policy_edit.html",
        {
            "form": form,
            "ladder": ladder,
            "policy": policy,
            "history": history_entries(policy) if can_view_audit(user) else [],
        },
    )


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """One line per record (its latest message, and how many), unread ones marked."""
    user = acting_user(request)
    page_obj = Paginator(selectors.notice_groups(user), 30).get_page(request.GET.get("page"))
    groups = selectors.with_latest(user, page_obj.object_list)
    return render(
        request, "obligations/notifications.html", {"page_obj": page_obj, "groups": groups}
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Following a message marks it (and the record's others) read, then opens the record."""
    user = acting_user(request)
    notice = get_object_or_404(Notification.objects.filter(user=user), pk=pk)
    return redirect(
        notices.notification_open(actor=user, notification=notice) or "obligations:notifications"
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notices.notifications_mark_read(actor=acting_user(request))
    return redirect("obligations:notifications")
