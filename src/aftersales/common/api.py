"""Pieces every API module shares: pagination, parser, and the error handler."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from aftersales.calendars.periods import parse_month
from aftersales.common.exceptions import ConflictError


class CustomerView:
    """For a serializer: a customer contact's copy of a record keeps every field of the
    schema, with the internal ones emptied (``internal`` maps each to its empty value) —
    no internal time limits, handlers or findings reach the customer."""

    internal: ClassVar[dict[str, Any]] = {}

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)  # type: ignore[misc]
        request = self.context.get("request")  # type: ignore[attr-defined]
        if getattr(getattr(request, "user", None), "is_external", False):
            data.update({field: copy.copy(empty) for field, empty in self.internal.items()})
        return data


class PDFRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; errors still come as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> Any:
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


class ErrorsAsJSON:
    """For a viewset with a binary renderer: an error is JSON, labelled as JSON, whatever
    the client accepted (a 404 is never served as application/pdf)."""

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        return response


class Pagination(PageNumberPagination):
    """``page`` and ``page_size`` are whole numbers (page_size 1–200), else a 400 under
    the parameter — a wrong value is never read silently as the default."""

    page_size_query_param = "page_size"
    max_page_size = 200
    largest_page = 10**9

    def get_page_size(self, request: Any) -> int:
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size  # type: ignore[return-value]
        return whole_number(self.page_size_query_param, text, 1, self.max_page_size)

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        text = request.query_params.get(self.page_query_param)
        if text is not None and text not in self.last_page_strings:
            whole_number(self.page_query_param, text, 1, self.largest_page)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_query_param: (1, self.largest_page),
            self.page_size_query_param: (1, self.max_page_size),
        }
        for parameter in parameters:
            low, high = bounds[parameter["name"]]
            parameter["schema"] = {"type": "integer", "minimum": low, "maximum": high}
        return parameters


def whole_number(name: str, text: str, low: int, high: int) -> int:
    """``text`` as a whole number from ``low`` to ``high``, else a 400 under ``name``."""
    if len(text) <= 12 and text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text)
    message = _("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    raise exceptions.ValidationError({name: [message]})


def validation_error_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, exceptions.ValidationError) and _no_body(exc.detail):
        # DRF's own words for a ``null`` body are English and not translatable.
        exc = exceptions.ValidationError(
            {"non_field_errors": [_("Send the fields as a JSON object.")]}
        )
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ConflictError):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


def _no_body(detail: Any) -> bool:
    messages = (detail.get("non_field_errors") if isinstance(detail, dict) else None) or []
    return bool(messages) and all(getattr(m, "code", None) == "null" for m in messages)


def month_param(text: str) -> dt.date:
    """A ``month`` query parameter, ``YYYY-MM``: the first day of that month, or a 400."""
    month = parse_month(text)
    if month is None:
        raise exceptions.ValidationError({"month": [_("Give the month as YYYY-MM.")]})
    return month


class ActionsMixin:
    """For a viewset whose POST actions each call one service on the record.

    ``act_target`` names the service's keyword for the record (``complaint=``,
    ``work_order=``…). ``_act`` validates the body, calls the service with the actor,
    and answers with the record as the viewset's queryset shows it now.
    """

    act_target: str

    def _respond(self, instance: Any, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=instance.pk)  # type: ignore[attr-defined]
        context = self.get_serializer_context()  # type: ignore[attr-defined]
        return Response(self.serializer_class(fresh, context=context).data, status=status)  # type: ignore[attr-defined]

    def _act(self, request: Any, body_class: Any, act: Any) -> Response:
        target = self.get_object()  # type: ignore[attr-defined]
        data = self._valid(request, body_class)
        act(actor=_actor(request), **{self.act_target: target}, **data)
        return self._respond(target)

    def _create(self, request: Any, body_class: Any, create: Any) -> Response:
        """A POST to the list: the body validated, the service creates, 201 with the record."""
        data = self._valid(request, body_class)
        return self._respond(create(actor=_actor(request), **data), 201)

    def _valid(self, request: Any, body_class: Any) -> dict[str, Any]:
        body = body_class(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)


def _actor(request: Any) -> Any:
    from aftersales.common.requests import acting_user

    return acting_user(request)
