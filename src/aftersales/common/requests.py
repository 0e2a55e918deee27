"""The logged-in user of a request, typed as our User (views and API views
behind login_required / IsAuthenticated only)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.shortcuts import redirect

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


def customers_to_portal(
    url_name: str, *, except_export: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A staff page a customer's contact is sent away from, to the portal page made for
    them (``url_name``): they follow their reports and units there, in plain words. With
    ``except_export`` the page's Excel export (``?format=xlsx``) stays theirs."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            exporting = except_export and request.GET.get("format") == "xlsx"
            if getattr(request.user, "is_external", False) and not exporting:
                return redirect(url_name)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
