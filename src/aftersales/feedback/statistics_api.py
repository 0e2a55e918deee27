"""The satisfaction analysis in the API (R-FB-5): the same figures as the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.calendars.periods import parse_year
from aftersales.common.api import month_param
from aftersales.feedback import statistics


class CanAnalyse(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("feedback.view_answer"))


class RateSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_blank=True)  # type: ignore[assignment]
    answered = serializers.IntegerField(help_text="scores given")
    questionnaires = serializers.IntegerField(help_text="questionnaires that gave them")
    satisfied = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    average = serializers.FloatField(allow_null=True)


class ChoiceCountSerializer(serializers.Serializer):
    choice = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField()


class TallySerializer(serializers.Serializer):
    question = serializers.CharField()
    total = serializers.IntegerField()
    counts = ChoiceCountSerializer(many=True)


class VisitRateSerializer(serializers.Serializer):
    planned = serializers.IntegerField()
    done = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    late = serializers.IntegerField()


class SatisfactionSerializer(serializers.Serializer):
    first = serializers.CharField()
    last = serializers.CharField()
    overall = RateSerializer()
    by_question = RateSerializer(many=True)
    by_month = RateSerializer(many=True)
    by_product = RateSerializer(many=True)
    by_technician = RateSerializer(many=True)
    by_region = RateSerializer(many=True)
    choices = TallySerializer(many=True)
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()
    visits = VisitRateSerializer()


class SatisfactionView(APIView):
    """Satisfaction rates (scores 4–5) for a month or a year, by question, month,
    product, technician and region, with the response and visit rates."""

    permission_classes = [CanAnalyse]

    @extend_schema(
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM (or give year)"),
            OpenApiParameter("year", int, description="a whole year"),
        ],
        responses=SatisfactionSerializer,
    )
    def get(self, request: Request) -> Response:
        text = request.query_params.get("year", "")
        if text and "month" in request.query_params:
            raise serializers.ValidationError({"year": [_("Give a month or a year, not both.")]})
        if text:
            year = parse_year(text)
            if year is None:
                raise serializers.ValidationError({"year": [_("Give the year as YYYY.")]})
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 1)
        else:
            first = last = month_param(request.query_params.get("month", ""))
        report = statistics.report(first, last, comments=0)
        return Response(
            {
                "first": f"{report.first:%Y-%m}",
                "last": f"{report.last:%Y-%m}",
                "overall": report.overall.as_dict(),
                **{
                    name: [r.as_dict() for r in getattr(report, name)]
                    for name in (
                        "by_question",
                        "by_month",
                        "by_product",
                        "by_technician",
                        "by_region",
                    )
                },
                "choices": [
                    {
                        "question": t.question,
                        "total": t.total,
                        "counts": [
                            {"choice": c, "count": n, "share": share} for c, n, share in t.counts
                        ],
                    }
                    for t in report.choices
                ],
                "invited": report.invited,
                "answered": report.answered,
                "visits": report.visits,
            }
        )
