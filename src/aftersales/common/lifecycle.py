"""A status model's whole life in one table, and the one way its status changes.

Each module that owns a status model declares, at its top, a ``Lifecycle``:
which status may follow which. Its ``move`` is the only code that sets the
status: it refuses a move the table does not allow (``ConflictError``, a 409),
saves the record with its audit row (who, why) and writes the status-change
row (``common.Transition``, or the model's own log where it has one, as
service requests do for their timeline). Every lifecycle registers itself, so
a test checks that every status model has one and that each table names every
status of its model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.common.audit import save_audited
from aftersales.common.exceptions import ConflictError

# (record, from, to, actor, note, at) -> None: writes the status-change row.
Log = Callable[[models.Model, str, str, Any, str, dt.datetime], None]

REGISTRY: dict[str, Lifecycle] = {}


def log_transition(
    record: models.Model, before: str, to: str, actor: Any, note: str, at: dt.datetime
) -> None:
    """The status-change row of any record that keeps no log of its own."""
    from django.contrib.contenttypes.models import ContentType

    from aftersales.common.models import Transition

    Transition.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        from_status=before,
        to_status=to,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note[:500],
    )


class Lifecycle:
    """``moves[status]`` is the set of statuses that may follow it; an end status maps
    to the empty set. ``label`` names the model (``app_label.model``) for the registry."""

    def __init__(
        self,
        label: str,
        moves: Mapping[str, Iterable[str]],
        *,
        field: str = "status",
        log: Log | None = log_transition,
    ) -> None:
        self.label = label
        self.moves = {
            str(state): frozenset(str(n) for n in after) for state, after in moves.items()
        }
        self.field = field
        self.log = log
        REGISTRY[label] = self

    def allows(self, current: str, to: str) -> bool:
        return to in self.moves.get(current, frozenset())

    def check(self, record: models.Model, to: str) -> None:
        """Refuse (409) a move the table does not allow, in the reader's words."""
        current = getattr(record, self.field)
        if self.allows(current, to):
            return
        raise ConflictError(
            _("%(record)s is %(status)s and cannot become %(to)s.")
            % {
                "record": record,
                "status": self._label(record, current),
                "to": self._label(record, to),
            }
        )

    def _label(self, record: models.Model, value: str) -> str:
        field = record._meta.get_field(self.field)
        return str(dict(getattr(field, "choices", None) or []).get(value, value))

    def move(
        self,
        record: models.Model,
        to: str,
        *,
        actor: Any,
        note: str = "",
        reason: str = "",
        at: dt.datetime | None = None,
    ) -> str:
        """Set the new status, save the record with its audit row, log the change.
        Returns the status it left. Other fields set on ``record`` before the call
        are saved with it."""
        self.check(record, to)
        before = getattr(record, self.field)
        setattr(record, self.field, to)
        save_audited(record, actor=actor, reason=reason or f"{before} → {to}")
        if self.log is not None:
            self.log(record, before, to, actor, note, at or timezone.now())
        return before

    def ends(self) -> set[str]:
        return {state for state, after in self.moves.items() if not after}
