from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aftersales.accounts.roles import Role
from aftersales.common.requests import acting_user


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    labels = [Role(code).label for code in user.role_codes]
    return render(request, "accounts/profile.html", {"profile_user": user, "role_labels": labels})
