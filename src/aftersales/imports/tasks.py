"""Large imports run here, after the upload's transaction commits; their progress is
kept in the queue's own storage (outside the database transaction that imports the
rows), where the page reads it."""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import HUEY, db_task


def progress_key(run_id: int) -> str:
    return f"import-progress-{run_id}"


def progress_of(run_id: int) -> tuple[int, int] | None:
    value: Any = HUEY.get(progress_key(run_id), peek=True)
    return tuple(value) if value else None  # type: ignore[return-value]


@db_task()
def run_import(run_id: int, language: str) -> None:
    from django.utils import translation

    from aftersales.imports.services import import_queued

    def progress(done: int, total: int) -> None:
        HUEY.put(progress_key(run_id), (done, total))

    with translation.override(language):  # the report's reasons in the user's language
        import_queued(run_id, progress)
    HUEY.delete(progress_key(run_id))
