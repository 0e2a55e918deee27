from typing import Any


def recompute_for_calendar(sender: Any, calendar: Any, **kwargs: Any) -> None:
    """A calendar changed (after commit): recompute its running obligations in the background."""
    from aftersales.obligations.tasks import recompute_obligations

    recompute_obligations(calendar_id=calendar.pk)
