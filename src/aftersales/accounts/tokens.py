"""API tokens that expire and can be revoked (issue 14 item 11).

A token lives ``API_TOKEN_DAYS`` (30 by default) from when it was issued; an expired one
is refused (401) and asking again issues a fresh one. Its holder revokes it in the API or
on their account page; issuing and revoking are written to the user's history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from aftersales.accounts.models import User
from aftersales.common.audit import save_audited


def lifetime() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "API_TOKEN_DAYS", 30)))


def expired(token: Token) -> bool:
    return token.created < timezone.now() - lifetime()


@transaction.atomic
def token_issue(*, actor: User) -> Token:
    """The user's token: the one they have while it is valid, else a new one."""
    token = Token.objects.select_for_update().filter(user=actor).first()
    if token is not None and not expired(token):
        return token
    if token is not None:
        token.delete()
    token = Token.objects.create(user=actor)
    save_audited(actor, actor=actor, reason="api token issued")
    return token


@transaction.atomic
def token_revoke(*, actor: User) -> bool:
    """The user's token stops working now; True if there was one."""
    deleted, _rows = Token.objects.filter(user=actor).delete()
    if deleted:
        save_audited(actor, actor=actor, reason="api token revoked")
    return bool(deleted)


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token …`` as DRF reads it, refusing a token past its lifetime."""

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        user, token = super().authenticate_credentials(key)
        if expired(token):
            raise exceptions.AuthenticationFailed(_("The token has expired: ask for a new one."))
        return user, token
