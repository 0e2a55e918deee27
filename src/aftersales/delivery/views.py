"""Undelivered messages (the service manager's): what failed after its last try, and
what is waiting to be tried again, each with why; "send again" puts it back on the
sending path."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.common.forms import errors_as_messages
from aftersales.common.messaging import message_resend
from aftersales.common.models import OutboundMessage
from aftersales.common.requests import acting_user

may_resend = permission_required("common.resend_outboundmessage", raise_exception=True)


@login_required
@may_resend
def undelivered(request: HttpRequest) -> HttpResponse:
    failed = OutboundMessage.objects.filter(status=OutboundMessage.Status.FAILED)
    waiting = OutboundMessage.objects.filter(
        status=OutboundMessage.Status.QUEUED, attempts__gt=0
    ).order_by("next_try_at", "pk")[:50]
    return render(
        request,
        "delivery/undelivered.html",
        {
            "page_obj": Paginator(failed.select_related("content_type"), 25).get_page(
                request.GET.get("page")
            ),
            "waiting": waiting,
        },
    )


@login_required
@may_resend
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(OutboundMessage, pk=pk)
    with errors_as_messages(request):
        message_resend(actor=acting_user(request), message=message)
        messages.success(request, _("Queued to be sent again."))
    return redirect("delivery:undelivered")
