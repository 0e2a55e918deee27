"""The logged-in user of a request, typed as our User (views and API views
behind login_required / IsAuthenticated only)."""

from __future__ import annotations

from typing import Any

from aftersales.accounts.models import User


def acting_user(request: Any) -> User:
    user = request.user
    if not isinstance(user, User):  # anonymous: the view's guard should have stopped it
        raise PermissionError("an authenticated user is required")
    return user


def user_or_none(request: Any) -> User | None:
    """The request's user if logged in (schema generation sends an anonymous one)."""
    user = getattr(request, "user", None)
    return user if isinstance(user, User) else None


def given_id(value: Any) -> int:
    """A record id from a form field or a query: its number, or 0 (which matches no record)
    when it is not a plain whole number — never a ValueError from the database."""
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else 0


def given_ids(values: Any) -> list[int]:
    """Several ids (a multiple select), each read as ``given_id``; at most 500."""
    return [given_id(v) for v in list(values)[:500]]
