"""The service mailbox's pages: the mail an agent must place (待分拣), every mail with
what became of it, and one mail with its three ways out."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from aftersales.common.attachments import attachments_of
from aftersales.common.forms import run_service
from aftersales.common.requests import acting_user
from aftersales.customers.selectors import customers_for
from aftersales.inbox import forms, services
from aftersales.inbox.holders import mails_for
from aftersales.inbox.models import InboundMail
from aftersales.service.selectors import requests_for
from aftersales.service.telling import MOBILE_DIGITS


def _phone_in(text: str) -> str:
    """A mobile number the sender wrote in the mail (联系电话 139…), to save typing it."""
    found = re.search(rf"(?<!\d){MOBILE_DIGITS}(?!\d)", text)
    return found[0] if found else ""


may_read = permission_required("inbox.view_inboundmail", raise_exception=True)


@login_required
@may_read
def mail_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    shown = request.GET.get("show", "triage")
    mails = mails_for(user).select_related("service_request").order_by("-received_at", "-pk")
    if shown != "all":
        shown = "triage"
        mails = mails.filter(outcome=InboundMail.Outcome.TRIAGE)
    return render(
        request,
        "inbox/list.html",
        {
            "page_obj": Paginator(mails, 25).get_page(request.GET.get("page")),
            "shown": shown,
            "query": f"show={shown}",
        },
    )


@login_required
@may_read
def mail_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    mail = get_object_or_404(
        mails_for(user).select_related("contact__customer", "service_request", "handled_by"),
        pk=pk,
    )
    customers = customers_for(user).order_by("name")
    make = forms.MakeRequestForm(
        customers=customers,
        initial={
            "customer": mail.contact.customer_id if mail.contact else None,
            "caller_name": (mail.contact.name if mail.contact else mail.sender_name)[:50],
            "caller_phone": mail.contact.phone if mail.contact else _phone_in(mail.text),
            "description": f"{mail.subject}\n\n{mail.text}".strip()[:4000],
            "save_contact": mail.contact is None,
        },
    )
    add = forms.AddToRequestForm()
    discard = forms.DiscardForm()
    if request.method == "POST":
        if not user.has_perm("inbox.change_inboundmail"):
            raise PermissionDenied
        step = request.POST.get("step")
        if mail.outcome != InboundMail.Outcome.TRIAGE:
            messages.error(request, _("This mail has already been dealt with."))
            return render(
                request,
                "inbox/detail.html",
                {"mail": mail, "files": attachments_of(mail)},
                status=409,
            )
        if step == "request":
            make = forms.MakeRequestForm(request.POST, customers=customers)
            if make.is_valid():
                data = make.cleaned_data
                made = run_service(
                    make, lambda: services.mail_make_request(actor=user, mail=mail, **data)
                )
                if made is not None:
                    messages.success(request, _("Request %(n)s recorded.") % {"n": made.number})
                    return redirect(made)
        elif step == "add":
            add = forms.AddToRequestForm(request.POST)
            if add.is_valid():
                target = (
                    requests_for(user)
                    .filter(number__iexact=add.cleaned_data["number"].strip())
                    .first()
                )
                if target is None:
                    add.add_error("number", _("No request has this number."))
                elif (
                    run_service(
                        add,
                        lambda: services.mail_add_to_request(actor=user, mail=mail, request=target),
                    )
                    is not None
                ):
                    messages.success(request, _("Added to request %(n)s.") % {"n": target.number})
                    return redirect(target)
        elif step == "discard":
            discard = forms.DiscardForm(request.POST)
            if (
                discard.is_valid()
                and run_service(
                    discard,
                    lambda: services.mail_discard(
                        actor=user, mail=mail, why=discard.cleaned_data["why"]
                    ),
                )
                is not None
            ):
                messages.success(request, _("The mail is discarded."))
                return redirect("inbox:list")
    failed = any(f.errors for f in (make, add, discard))
    return render(
        request,
        "inbox/detail.html",
        {
            "mail": mail,
            "files": attachments_of(mail),
            "make": make,
            "add": add,
            "discard": discard,
            "may_change": user.has_perm("inbox.change_inboundmail"),
        },
        status=400 if failed else 200,
    )
