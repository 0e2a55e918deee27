"""The monthly complaint review in the API (R-CP-9): the figures, signed off once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.calendars.periods import MONTH_PATTERN
from aftersales.common.api import ErrorsAsJSON, PDFRenderer, month_param
from aftersales.common.pdf import NoChineseFont
from aftersales.common.requests import acting_user
from aftersales.complaints import exports, review
from aftersales.service.api import ServiceUnavailable


class ReviewCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()


class ReviewComplianceSerializer(serializers.Serializer):
    rule = serializers.CharField()
    met = serializers.IntegerField()
    late = serializers.IntegerField()
    breached = serializers.IntegerField()
    running = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class ReviewSerializer(serializers.Serializer):
    month = serializers.CharField()
    total = serializers.IntegerField()
    by_category = ReviewCountSerializer(many=True)
    by_department = ReviewCountSerializer(many=True)
    by_outcome = ReviewCountSerializer(many=True)
    compliance = ReviewComplianceSerializer(many=True)
    repeat_complainants = serializers.ListField(child=serializers.DictField())
    upheld = serializers.ListField(child=serializers.DictField())
    signed_by = serializers.IntegerField(allow_null=True)


class ReviewSignSerializer(serializers.Serializer):
    month = serializers.RegexField(MONTH_PATTERN)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CanReview(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.has_perm("complaints.view_monthlyreview")):
            return False
        return request.method in ("GET", "HEAD", "OPTIONS") or user.has_perm(
            "complaints.add_monthlyreview"
        )


def _review_data(month: dt.date) -> dict[str, Any]:
    figures = review.monthly_review(month)

    def counts(rows: list[tuple[str, int]]) -> list[dict[str, Any]]:
        return [{"name": label, "count": n} for label, n in rows]

    return {
        "month": f"{figures.month:%Y-%m}",
        "total": figures.total,
        "by_category": counts(figures.by_category),
        "by_department": counts(figures.by_department),
        "by_outcome": counts(figures.by_outcome),
        "compliance": [
            {
                "rule": c.rule,
                "met": c.met,
                "late": c.late,
                "breached": c.breached,
                "running": c.running,
                "rate": c.rate,
            }
            for c in figures.compliance
        ],
        "repeat_complainants": [
            {"name": name, "phone": phone, "count": n}
            for name, phone, n in figures.repeat_complainants
        ],
        "upheld": [
            {"number": c.number, "responsibility": c.responsibility, "penalty": c.penalty}
            for c in figures.upheld
        ],
        "signed_by": figures.signed.signed_by_id if figures.signed else None,
    }


class MonthlyReviewView(ErrorsAsJSON, APIView):
    """The monthly complaint review (R-CP-9); POST signs it off (service manager)."""

    permission_classes = [CanReview]

    def get_renderers(self) -> list[Any]:
        # The report prints as PDF; signing it off answers in JSON only.
        if self.request is not None and self.request.method == "GET":
            return [JSONRenderer(), PDFRenderer()]
        return [JSONRenderer()]

    @extend_schema(
        parameters=[OpenApiParameter("month", str, required=True, description="YYYY-MM")],
        responses={
            (200, "application/json"): ReviewSerializer,
            (200, "application/pdf"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request) -> Any:
        """The figures as JSON, or the signed report as a PDF (``Accept: application/pdf``)."""
        month = month_param(request.query_params.get("month", ""))
        if request.accepted_renderer.format != "pdf":
            return Response(_review_data(month))
        try:
            content = exports.review_pdf(review.monthly_review(month))
        except NoChineseFont as error:
            raise ServiceUnavailable(str(error)) from error
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="complaints-{month:%Y-%m}.pdf"'
        return response

    @extend_schema(
        request=ReviewSignSerializer, responses={(201, "application/json"): ReviewSerializer}
    )
    def post(self, request: Request) -> Response:
        body = ReviewSignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        month = month_param(body.validated_data["month"])
        review.review_sign(
            actor=acting_user(request), month=month, note=body.validated_data.get("note", "")
        )
        return Response(_review_data(month), status=201)
