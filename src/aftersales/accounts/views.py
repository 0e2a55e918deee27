from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from aftersales.accounts import services, tokens
from aftersales.accounts.forms import ContactDetailsForm
from aftersales.accounts.roles import Role
from aftersales.common.forms import run_service
from aftersales.common.requests import acting_user


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The user's account: roles, password, and their API token (which they may revoke)."""
    user = acting_user(request)
    if request.method == "POST" and request.POST.get("step") == "revoke-token":
        if tokens.token_revoke(actor=user):
            messages.success(request, _("Your API token is revoked: it no longer works."))
        return redirect("accounts:profile")
    details = ContactDetailsForm(
        request.POST if request.POST.get("step") == "details" else None, instance=user
    )
    if details.is_bound and details.is_valid():
        data = details.cleaned_data
        saved = run_service(
            details,
            lambda: services.user_set_contact_details(
                actor=user,
                user=user,
                email=data["email"],
                phone=data["phone"],
                daily_digest=data.get("daily_digest", False),
                sms_alerts=data.get("sms_alerts", False),
                quiet_from=data.get("quiet_from"),
                quiet_until=data.get("quiet_until"),
            ),
        )
        if saved is not None:
            messages.success(request, _("Your contact details are saved."))
            return redirect("accounts:profile")
    alerts = None if user.is_external else _alerts(request, user)
    if alerts == "saved":
        messages.success(request, _("Your choice of channels is saved."))
        return redirect("accounts:profile")
    labels = [Role(code).label for code in user.role_codes]
    token = Token.objects.filter(user=user).first()
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_user": user,
            "details": details,
            "role_labels": labels,
            "token": token,
            "token_expires": token.created + tokens.lifetime() if token else None,
            "token_expired": tokens.expired(token) if token else False,
            "alerts": alerts,
        },
    )


def _alerts(request: HttpRequest, user: Any) -> Any:
    """Which channels each kind of alert takes (who hears what): the rows to show, or
    "saved" once the person's choice is kept."""
    from aftersales.delivery.models import Preference
    from aftersales.delivery.preferences import preferences_of, preferences_set

    if request.method == "POST" and request.POST.get("step") == "alerts":
        chosen = {
            event: (
                request.POST.get(f"{event}-email") == "on",
                request.POST.get(f"{event}-sms") == "on",
            )
            for event in Preference.Event.values
        }
        preferences_set(actor=user, user=user, chosen=chosen)
        return "saved"
    now = preferences_of(user)
    return [
        {"event": event, "label": label, "email": now[event][0], "sms": now[event][1]}
        for event, label in Preference.Event.choices
    ]
