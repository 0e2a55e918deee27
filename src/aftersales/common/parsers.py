"""The API's JSON parser and content negotiation: bodies nested too deeply, or carrying
control characters in their text, are a 400 before any view reads them. Its own module:
DRF reads these settings while importing its views, so this may import nothing of ours
that imports them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers
from rest_framework.negotiation import DefaultContentNegotiation

from aftersales.common.validation import CONTROL

MAX_JSON_DEPTH = 20  # no body of this API nests deeper than a few levels


def _body_depth(data: Any) -> int:
    """How deeply lists and objects nest in ``data`` (without recursion); a text with
    control characters is refused on the way, under the body's field that holds it."""
    deepest, todo = 0, [(data, 1, "non_field_errors")]
    while todo:
        item, level, field = todo.pop()
        if isinstance(item, str):
            if CONTROL.search(item):
                raise exceptions.ValidationError(
                    {field: [_("Remove the control characters from the text.")]}
                )
        elif isinstance(item, dict | list) and level <= MAX_JSON_DEPTH + 1:
            deepest = max(deepest, level)
            pairs = item.items() if isinstance(item, dict) else ((None, v) for v in item)
            for key, value in pairs:
                top = str(key) if level == 1 and key is not None else field
                todo.append((value, level + 1, top))
                if isinstance(key, str):
                    todo.append((key, level + 1, top))
    return deepest


class JSONParser(parsers.JSONParser):
    """JSON bodies; one nested too deeply is a 400, never a stack overflow."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            deep = True
        except exceptions.ParseError:
            # DRF's message quotes Python's English error; the client reads ours.
            raise exceptions.ParseError(_("The body is not valid JSON (in UTF-8).")) from None
        else:
            deep = _body_depth(data) > MAX_JSON_DEPTH
        if deep:
            raise exceptions.ParseError(_("The JSON body is nested too deeply."))
        return data


class ContentNegotiation(DefaultContentNegotiation):
    """``?format=`` given empty names no format: a 404, as an unknown one is — never read
    silently as "the default"."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        name = self.settings.URL_FORMAT_OVERRIDE
        if name and request.query_params.get(name) == "":
            raise exceptions.NotFound(_("Not found."))
        return super().select_renderer(request, renderers, format_suffix)
