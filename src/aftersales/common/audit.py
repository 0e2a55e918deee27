"""How services leave their audit trail.

Every model carries django-simple-history; a service names the actor and the
reason on the instance before saving, so the history row records who and why
even when the write does not come from a web request (API, task, command).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

_BECAUSE: contextvars.ContextVar[str] = contextvars.ContextVar("audit_because", default="")


@contextlib.contextmanager
def because(reason: str) -> Iterator[None]:
    """Every history row written inside gives this reason (an import names its file),
    whatever the service it passes through would have said."""
    token = _BECAUSE.set(reason[:100])  # the history row keeps 100 characters
    try:
        yield
    finally:
        _BECAUSE.reset(token)


def current_reason() -> str:
    """The reason set by ``because`` around this write, if any."""
    return _BECAUSE.get()


def save_audited(
    instance: models.Model, *, actor: Any, reason: str = "", **save_kwargs: Any
) -> None:
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = _BECAUSE.get() or reason  # type: ignore[attr-defined]
    check_text_lengths(instance)
    instance.full_clean()
    instance.save(**save_kwargs)


def check_text_lengths(instance: models.Model) -> None:
    """A long text's ``max_length`` holds (Django enforces it only on CharField): a
    100,000-character work record is refused, not stored."""
    from django.core.exceptions import ValidationError

    errors = {}
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.TextField) and field.max_length:
            value = getattr(instance, field.attname)
            if isinstance(value, str) and len(value) > field.max_length:
                errors[field.name] = _("At most %(limit)d characters; this has %(n)d.") % {
                    "limit": field.max_length,
                    "n": len(value),
                }
    if errors:
        raise ValidationError(errors)


def shown(field: Any, value: Any, names: dict[tuple[Any, Any], str]) -> str:
    """A stored value as people read it: the choice's label, the related record's name,
    是/否, and — for nothing (never "None" or a bare id)."""
    if value is None or value == "":
        return "—"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    related = getattr(field, "related_model", None)
    if related is not None and not getattr(field, "many_to_many", False):
        key = (related, value)
        if key not in names:
            found = related._default_manager.filter(pk=value).first()
            names[key] = str(found) if found is not None else str(value)
        return names[key]
    return str(value)


def history_entries(instance: models.Model, *, limit: int = 50) -> list[dict[str, Any]]:
    """The record's changes, newest first, each with who, when and which fields."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[  # type: ignore[attr-defined]
            : limit + 1
        ]
    )
    entries = []
    names: dict[tuple[Any, Any], str] = {}
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = instance._meta.get_field(change.field)
                changes.append(
                    {
                        "field": str(getattr(field, "verbose_name", change.field)),
                        "old": shown(field, change.old, names),
                        "new": shown(field, change.new, names),
                    }
                )
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": record.history_type,
                "reason": record.history_change_reason or "",
                # An import names its file (``because``): shown to people in their words.
                "source": (record.history_change_reason or "").removeprefix("imported from ")
                if (record.history_change_reason or "").startswith("imported from ")
                else "",
                "changes": changes,
            }
        )
    return entries
