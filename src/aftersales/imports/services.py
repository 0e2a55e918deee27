"""Importing a company's records from spreadsheets, with a dry run.

Each kind (``kinds``, ``orders``) has its columns and a natural key: a row whose record
exists updates it, one whose record is the same changes nothing, so importing a file
twice writes nothing the second time. Every row is tried for real — through the same
services the pages use — inside one transaction: a check rolls it all back and reports
what would have happened (every bad row with its number, column and reason); an import
keeps it only when the file is clean, or keeps the good rows when the user chose so.
Nothing is ever half-imported. A large file runs in the background (its progress kept
beside the queue, outside the transaction, so the page can show it). An imported
record's history says which file it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales.accounts.models import User
from aftersales.common.audit import because
from aftersales.common.lifecycle import Lifecycle
from aftersales.imports.columns import RowError, Spec, english
from aftersales.imports.kinds import Contacts, Customers, Parts, ProductModels, Sites, Units
from aftersales.imports.models import ImportRun
from aftersales.imports.orders import Contracts, SalesOrders
from aftersales.imports.readers import as_text, check_upload, read_rows

Outcome = ImportRun.Outcome

# A run's life: waiting (background only), running, then how it ended.
IMPORT_LIFE = Lifecycle(
    "imports.importrun",
    {
        Outcome.QUEUED: {Outcome.RUNNING},
        Outcome.RUNNING: {
            Outcome.CHECKED,
            Outcome.IMPORTED,
            Outcome.REFUSED,
            Outcome.UNREADABLE,
        },
        Outcome.CHECKED: set(),
        Outcome.IMPORTED: set(),
        Outcome.REFUSED: set(),
        Outcome.UNREADABLE: set(),
    },
    field="outcome",
)

# In the order a company brings them: each kind's rows name records of the kinds before.
SPECS: dict[str, type[Spec]] = {
    spec.kind: spec
    for spec in (Customers, Sites, Contacts, ProductModels, Parts, Units, Contracts, SalesOrders)
}
MODES = ("check", "import", "good")
# Files above this size are read and imported by a background task.
INLINE_BYTES = 200 * 1024
PROGRESS_EVERY = 250
BATCH = 500  # new records of a kind written in bulk, at a time


# A sales order's line error ("lines-2": "Line 2: …") is told on the line's own row.
LINE = re.compile(r"lines-(\d+)")
LINE_SAID = re.compile(r"^(?:Line \d+: |第 \d+ 行：)")


class _Rollback(Exception):
    """Undo every row tried: a check, or an import refused for its bad rows."""


def _checked(kind: str, mode: str, upload: Any) -> type[Spec]:
    if kind not in SPECS:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    if mode not in MODES:
        raise ValidationError({"mode": _("Choose whether to check or import.")})
    check_upload(upload)
    return SPECS[kind]


def _columns(spec: Spec, headers: list[str]) -> dict[str, int]:
    """Each field's column index, by the header's words in Chinese or English."""
    found: dict[str, int] = {}
    missing = []
    for column in spec.columns:
        names = {str(column.header).casefold(), english(column.header).casefold()}
        index = next((i for i, h in enumerate(headers) if h.casefold() in names), None)
        if index is None:
            if column.required:
                missing.append(str(column.header))
        else:
            found[column.field] = index
    if missing:
        raise ValidationError(
            {"file": _("The header row lacks: %(names)s.") % {"names": "、".join(missing)}}
        )
    return found


def _named(columns: dict[str, int], rows: list[list[Any]]) -> Callable[[str], list[str]]:
    def named(field: str) -> list[str]:
        index = columns.get(field)
        if index is None:
            return []
        return sorted({as_text(r[index]) for r in rows if index < len(r)} - {""})

    return named


def _plan(
    spec: Spec, columns: dict[str, int], rows: list[list[Any]], cache: dict[str, Any]
) -> tuple[list[tuple[int, Any, dict[str, Any]]], list[dict[str, Any]]]:
    """Every row read into (row number, its existing record, its values), or a problem.
    A grouped kind's record (an order) with any bad row is not imported at all."""
    problems: list[dict[str, Any]] = []
    planned: dict[Any, tuple[int, Any, dict[str, Any]]] = {}
    spoiled: dict[Any, int] = {}  # a group's key → its first bad row
    first = spec.columns[0].header
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        spec.values = {f: row[i] if i < len(row) else None for f, i in columns.items()}
        try:
            _no_formula(spec)
            key, values = spec.parse(cache)
            if key in planned and not spec.grouped:
                raise RowError(first, _("Repeats row %(n)s.") % {"n": planned[key][0]})
            if key in planned:
                spec.merge(planned[key][2], values)
            else:
                planned[key] = (number, spec.existing(key, cache), values)
            if spec.grouped:  # which sheet row each of the record's lines came from
                planned[key][2].setdefault("rows", []).append(number)
        except RowError as error:
            problems.append({"row": number, "column": error.column, "reason": error.reason})
            if spec.grouped:
                spoiled.setdefault(spec.group_key(), number)
    for key, bad in spoiled.items():
        if key in planned:
            for number in planned.pop(key)[2].get("rows", []):
                problems.append(
                    {
                        "row": number,
                        "column": str(first),
                        "reason": _("Not imported: row %(n)s of the same order has a problem.")
                        % {"n": bad},
                    }
                )
    return list(planned.values()), problems


def _no_formula(spec: Spec) -> None:
    for field, value in spec.values.items():
        if isinstance(value, str) and value.startswith("="):
            raise spec.fail(
                field,
                _("A formula (%(formula)s): paste its value instead (Paste Special → Values).")
                % {"formula": value[:40]},
            )


def _process(
    run: ImportRun,
    actor: User,
    spec: Spec,
    upload: Any,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    headers, rows = read_rows(upload)
    columns = _columns(spec, headers)
    run.rows = len(rows)
    cache = spec.load(_named(columns, rows))
    planned, problems = _plan(spec, columns, rows, cache)
    run.created = run.updated = run.unchanged = 0
    pending: list[tuple[int, dict[str, Any]]] = []

    def failed(number: int, error: ValidationError, values: dict[str, Any]) -> None:
        """The service's refusal, on the sheet row it is about (a line's own row)."""
        rows = values.get("rows") or []
        by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        told = set()
        for field, messages in by_field.items():
            line = LINE.fullmatch(field)
            row = rows[int(line[1]) - 1] if line and int(line[1]) <= len(rows) else number
            said = "; ".join(LINE_SAID.sub("", str(m)) for m in messages)
            problems.append({"row": row, "column": "", "reason": said})
            told.add(row)
        for other in rows:  # the order's other rows, not imported with it
            if other not in told:
                problems.append(
                    {
                        "row": other,
                        "column": "",
                        "reason": _("Not imported: row %(n)s of the same order has a problem.")
                        % {"n": min(told)},
                    }
                )

    def flush() -> None:
        """New records of a kind that writes in bulk; should the batch fail, its rows
        one by one, so the bad one is named."""
        if not pending:
            return
        try:
            with transaction.atomic():
                spec.create_many(actor, [values for _n, values in pending])
            run.created += len(pending)
        except (ValidationError, IntegrityError):
            for number, values in pending:
                try:
                    with transaction.atomic():
                        _apply(run, actor, spec, None, values)
                except ValidationError as error:
                    failed(number, error, values)
        pending.clear()

    try:
        with transaction.atomic(), because(f"imported from {run.file_name}"):
            for done, (number, existing, values) in enumerate(planned, start=1):
                if existing is not None and not spec.changes(existing, values):
                    run.unchanged += 1  # no write, no savepoint
                elif existing is None and spec.bulk:
                    pending.append((number, values))
                    if len(pending) >= BATCH:
                        flush()
                else:
                    try:
                        with transaction.atomic():
                            _apply(run, actor, spec, existing, values)
                    except ValidationError as error:
                        failed(number, error, values)
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, len(planned))
            flush()
            if run.mode == "check" or (run.mode == "import" and problems):
                raise _Rollback
    except _Rollback:
        outcome = ImportRun.Outcome.CHECKED if run.mode == "check" else ImportRun.Outcome.REFUSED
    else:
        outcome = ImportRun.Outcome.IMPORTED
    run.problems = sorted(problems, key=lambda p: p["row"])[:1000]
    run.problem_count = len(problems)
    return outcome


def _apply(run: ImportRun, actor: User, spec: Spec, existing: Any, values: dict[str, Any]) -> None:
    """One record: created, updated where it differs, or left as it is."""
    if existing is None:
        spec.create(actor, values)
        run.created += 1
    elif changes := spec.changes(existing, values):
        spec.update(actor, existing, changes)
        run.updated += 1
    else:
        run.unchanged += 1


@transaction.atomic
def import_run(*, actor: User, kind: str, upload: Any, mode: str) -> ImportRun:
    """Check the file (``mode`` "check"), import it when clean ("import"), or import its
    good rows ("good"), now. A file that cannot be read is refused (ValidationError);
    the run and its report are kept otherwise."""
    spec = _checked(kind, mode, upload)
    run = ImportRun(
        kind=kind,
        mode=mode,
        file_name=_name(upload),
        run_by=actor,
        outcome=ImportRun.Outcome.RUNNING,
    )
    outcome = _process(run, actor, spec(), upload)
    run.finished_at = timezone.now()
    IMPORT_LIFE.move(run, outcome, actor=actor, reason="run")
    return run


def _name(upload: Any) -> str:
    return str(upload.name or "").rsplit("/", 1)[-1][:200]


@transaction.atomic
def import_queue(*, actor: User, kind: str, upload: Any, mode: str) -> ImportRun:
    """The same, in the background: the file is kept and a task runs it after commit."""
    from aftersales.imports.tasks import run_import

    _checked(kind, mode, upload)
    run = ImportRun(
        kind=kind,
        mode=mode,
        file_name=_name(upload),
        run_by=actor,
        outcome=ImportRun.Outcome.QUEUED,
    )
    upload.seek(0)
    run.upload.save(f"{kind}{_suffix(upload)}", ContentFile(upload.read()), save=False)
    run.save()
    transaction.on_commit(lambda: run_import(run.pk, translation.get_language() or "zh-hans"))
    return run


def _suffix(upload: Any) -> str:
    return ".csv" if str(upload.name).lower().endswith(".csv") else ".xlsx"


def import_queued(run_id: int, progress: Callable[[int, int], None]) -> ImportRun | None:
    """The background task's work: the queued run, started once and finished with its
    report (a file found unreadable only now is reported on the run)."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.outcome != ImportRun.Outcome.QUEUED:
            return run  # gone, or started already: never imported twice
        IMPORT_LIFE.move(run, ImportRun.Outcome.RUNNING, actor=run.run_by, reason="started")
    from django.core.files.uploadedfile import SimpleUploadedFile

    run = ImportRun.objects.select_related("run_by").get(pk=run_id)
    with run.upload.open("rb") as handle:
        upload = SimpleUploadedFile(run.file_name, handle.read())
    try:  # read outside the transaction; only the rows' writes are inside it
        outcome = _process(run, run.run_by, SPECS[run.kind](), upload, progress)
    except ValidationError as error:
        outcome = ImportRun.Outcome.UNREADABLE
        run.problems = [
            {"row": 0, "column": "", "reason": "; ".join(str(m) for m in error.messages)}
        ]
        run.problem_count = 1
    run.finished_at = timezone.now()
    IMPORT_LIFE.move(run, outcome, actor=run.run_by, reason="finished")
    return run
