"""Reading a spreadsheet as rows: Excel (.xlsx) or CSV in UTF-8 or GBK (as Chinese
Excel saves it), bounded in size and rows; cells come back as text or dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000


def check_upload(upload: Any) -> None:
    """A file too big, or not named as a spreadsheet, is refused before it is read."""
    if upload.size > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB: split it.")})
    name = (upload.name or "").lower()
    if not name.endswith((".xlsx", ".csv")):
        raise ValidationError({"file": _("Choose an Excel (.xlsx) or CSV file.")})
    if name.endswith(".csv"):  # text: a picture or a workbook renamed .csv is not
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
        if b"\x00" in head or head.startswith((b"PK\x03\x04", b"\x89PNG", b"\xff\xd8", b"%PDF")):
            raise ValidationError(
                {"file": _("This is not a CSV text file: save the sheet as CSV.")}
            )
    if name.endswith(".xlsx"):  # an Excel file is a zip archive: a renamed file is not
        upload.seek(0)
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise ValidationError({"file": _("This is not an Excel file that can be read.")})


def read_rows(upload: Any) -> tuple[list[str], list[list[Any]]]:
    """(headers, rows) of the file's first sheet; a file too big, not a spreadsheet or
    without a header row is refused."""
    check_upload(upload)
    upload.seek(0)
    data = upload.read()
    rows = _xlsx(data) if upload.name.lower().endswith(".xlsx") else _csv(data)
    rows = [row for row in rows if any(str(c or "").strip() for c in row)]
    if not rows:
        raise ValidationError({"file": _("The file has no header row.")})
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(
            {"file": _("At most %(n)s rows at a time: split the file.") % {"n": MAX_ROWS}}
        )
    headers = [str(c or "").strip().rstrip("*＊").strip() for c in rows[0]]
    return headers, rows[1:]


def _xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        # Formulas are read as written (never their cached results), so a row holding one
        # is reported instead of importing whatever Excel last computed.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ValidationError({"file": _("This is not an Excel file that can be read.")}) from error
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(list(row))
        if len(rows) > MAX_ROWS + 1:
            break
    book.close()
    return rows


def _csv(data: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ValidationError({"file": _("The file is neither UTF-8 nor GBK text.")})
    return list(csv.reader(io.StringIO(text)))[: MAX_ROWS + 2]


DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def as_date(value: Any) -> dt.date | None:
    """A cell as a date: an Excel date, 2026-01-05, 2026/1/5, 2026年1月5日 or 20260105;
    None when empty; ValueError otherwise (or outside 2000–2100)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d{8}", text):
            text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
        match = DATE_TEXT.match(text)
        if not match:
            raise DateError("order", text)
        try:
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise DateError("no such day", text) from None
    if not 2000 <= day.year <= 2100:
        raise DateError("range", str(day))
    return day


class DateError(ValueError):
    """Why a cell is not a date: ``kind`` is "order" (not written year first), "no such
    day" (2026-02-30) or "range" (outside 2000–2100)."""

    def __init__(self, kind: str, text: str) -> None:
        super().__init__(text)
        self.kind = kind


def as_text(value: Any) -> str:
    """A cell as text; a formula's text stays text (it is never evaluated)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
