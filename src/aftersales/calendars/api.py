"""Calendars and the deadline calculator (spec/api.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.calendars import engine, selectors
from aftersales.calendars.forms import ENGINE_MESSAGES
from aftersales.calendars.models import Calendar, CalendarException, WorkingPeriod
from aftersales.common.permissions import RolePermissions


@extend_schema_field(
    {"type": "string", "pattern": r"^([01]\d|2[0-4]):[0-5]\d$", "example": "09:00"}
)
class WallTimeField(serializers.Field):
    """A local wall-clock time "HH:MM" in the calendar's zone; "24:00" ends a day."""

    def to_representation(self, value: Any) -> str:
        return (
            "24:00"
            if value.hour == 0 and value.minute == 0 and self.field_name == "ends_at"
            else (value.strftime("%H:%M"))
        )


class WorkingPeriodSerializer(serializers.ModelSerializer):
    starts_at = WallTimeField(read_only=True)
    ends_at = WallTimeField(read_only=True)

    class Meta:
        model = WorkingPeriod
        fields = ["weekday", "starts_at", "ends_at"]


class CalendarSerializer(serializers.ModelSerializer):
    periods = WorkingPeriodSerializer(many=True, read_only=True)

    class Meta:
        model = Calendar
        fields = ["code", "name", "time_zone", "is_24x7", "makeup_weekday", "version", "periods"]


class ExceptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarException
        fields = ["date", "kind", "name"]


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time that must carry its UTC offset: a naive one is ambiguous."""

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str) and not _has_offset(value):
            self.fail("naive")
        return super().to_internal_value(value)

    default_error_messages = {"naive": ENGINE_MESSAGES["naive"]}


def _has_offset(text: str) -> bool:
    text = text.strip()
    return text.endswith(("Z", "z")) or (len(text) > 19 and text[-6] in "+-" and text[-3] == ":")


class DeadlineQuerySerializer(serializers.Serializer):
    start = AwareDateTimeField()
    amount = serializers.IntegerField(min_value=0)
    unit = serializers.ChoiceField(choices=engine.UNITS)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        try:
            engine.check_amount(data["amount"], data["unit"])
        except engine.CalendarError as error:
            raise serializers.ValidationError(
                {"amount": [_translate_engine_error(error)]}
            ) from error
        return data


def _translate_engine_error(error: engine.CalendarError) -> str:
    messages = {
        "the amount is beyond ten years": _("The amount is beyond ten years."),
        "same_working_day takes the amount 0": _("same_working_day takes the amount 0."),
        "the amount cannot be negative": _("The amount cannot be negative."),
    }
    return str(messages.get(str(error), str(error)))


class DeadlineSerializer(serializers.Serializer):
    due_at = serializers.DateTimeField()


class WorkingTimeQuerySerializer(serializers.Serializer):
    start = AwareDateTimeField()
    end = AwareDateTimeField()


class WorkingTimeSerializer(serializers.Serializer):
    working_minutes = serializers.FloatField()


class CalendarViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Working calendars; the deadline calculator works on any of them."""

    serializer_class = CalendarSerializer
    permission_classes = [RolePermissions]
    queryset = Calendar.objects.prefetch_related("periods").order_by("code")
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def _calendar(self, code: str) -> Calendar:
        """The calendar named in the path; an unknown one is a record that is not there (404)."""
        calendar = Calendar.objects.filter(code=code).first()
        if calendar is None:
            raise NotFound(_("Unknown calendar %(code)s.") % {"code": code})
        return calendar

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="ISO 8601 time with offset", required=True),
            OpenApiParameter("amount", int, required=True),
            OpenApiParameter("unit", str, enum=list(engine.UNITS), required=True),
        ],
        responses=DeadlineSerializer,
    )
    @action(detail=True, methods=["get"])
    def deadline(self, request: Request, code: str) -> Response:
        """The due time: ``start`` plus ``amount`` ``unit`` on this calendar (policies.md)."""
        calendar = self._calendar(code)
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        due = selectors.work_calendar(calendar).add(data["start"], data["amount"], data["unit"])
        return Response({"due_at": due.isoformat()})

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, required=True),
            OpenApiParameter("end", str, required=True),
        ],
        responses=WorkingTimeSerializer,
    )
    @action(detail=True, methods=["get"], url_path="working-time")
    def working_time(self, request: Request, code: str) -> Response:
        """Working minutes between two instants on this calendar."""
        calendar = self._calendar(code)
        query = WorkingTimeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        seconds = selectors.work_calendar(calendar).working_seconds_between(
            query.validated_data["start"], query.validated_data["end"]
        )
        return Response({"working_minutes": seconds / 60})

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        responses=ExceptionSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def exceptions(self, request: Request, code: str) -> Response:
        """The days off and make-up workdays of a year."""
        calendar = self.get_object()
        year = serializers.IntegerField(min_value=2000, max_value=2100).run_validation(
            request.query_params.get("year")
        )
        rows = selectors.exceptions_of_year(calendar, year)
        return Response(ExceptionSerializer(rows, many=True).data)
