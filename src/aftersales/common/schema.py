"""The OpenAPI schema tells the truth about errors (issue 14 item 10): every operation
documents the answers any of them may give — 400 with field messages, 401, 403, 404,
409 for an illegal state change, 429 for a locked-out login — each with its body."""

from __future__ import annotations

import re
from typing import Any

from aftersales.calendars.periods import FIRST_YEAR, LAST_YEAR, MONTH_PATTERN

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
    "description": "A message in the user's language: `detail`, or field → messages.",
}
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": True,
    "description": "Field name (or `non_field_errors`, or `detail`) → messages.",
}
ANSWERS = {
    "400": ("Bad input: field → messages, nothing changed.", "FieldErrors"),
    "401": ("Not logged in, or the token is unknown or expired.", "Error"),
    "403": ("Logged in, but the role may not do this.", "Error"),
    "404": ("No such record, or one the user may not see.", "Error"),
    "409": ("Not allowed in the record's present state; nothing changed.", "Error"),
    "429": ("Too many failed logins: locked for a while.", "Error"),
}


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    """drf-spectacular postprocessing hook: add the error answers to every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, (description, name) in ANSWERS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    },
                )
    return result


# drf-spectacular writes a decimal as ``^-?\d{0,N}(?:\.\d{0,M})?$``, which lets "", "-"
# and "." through; the server (rightly) refuses those, so the schema must too.
_LOOSE_DECIMAL = re.compile(r"^\^-\?\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)\?\$$")
PERIOD_PARAMETERS: dict[str, dict[str, Any]] = {
    "month": {"type": "string", "pattern": MONTH_PATTERN},
    "year": {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
}


def tighten(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    """drf-spectacular postprocessing hook: the schema says what the server accepts —
    a month is ``YYYY-MM`` and a year a whole year in 2000–2100, a decimal has digits."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                bounds = PERIOD_PARAMETERS.get(parameter.get("name"))
                if parameter.get("in") == "query" and bounds:
                    parameter["schema"] = {**parameter.get("schema", {}), **bounds}
    _tighten_decimals(result.get("components", {}))
    return result


def _tighten_decimals(node: Any) -> None:
    if isinstance(node, dict):
        match = _LOOSE_DECIMAL.match(str(node.get("pattern", "")))
        if node.get("format") == "decimal" and match:
            whole, places = match.groups()
            node["pattern"] = rf"^-?\d{{1,{whole}}}(?:\.\d{{1,{places}}})?$"
        for value in node.values():
            _tighten_decimals(value)
    elif isinstance(node, list):
        for value in node:
            _tighten_decimals(value)
