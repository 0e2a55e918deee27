"""Maintenance plans, inspections and availability (R-PM-1, R-PM-2, R-PM-3) in the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.common.api import ActionsMixin
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import acting_user, user_or_none
from aftersales.common.validation import within_years
from aftersales.customers.models import MaintenanceContract
from aftersales.customers.selectors import customers_for
from aftersales.maintenance import availability, plans, selectors
from aftersales.maintenance.inspections import report_due_at
from aftersales.maintenance.models import (
    Attendee,
    Inspection,
    InspectionItem,
    Installation,
    MaintenancePlan,
    PlannedVisit,
    TrainingSession,
)
from aftersales.obligations.api import ObligationSummarySerializer

MAX_DAYS = 366 * 3  # an availability period of at most three years


class MaintenanceVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlannedVisit
        fields = ["id", "period", "planned_on", "status", "moved_from", "move_reason"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    visits = MaintenanceVisitSerializer(many=True, read_only=True)
    customer = serializers.IntegerField(source="contract.customer_id", read_only=True)

    class Meta:
        model = MaintenancePlan
        fields = [
            "id",
            "contract",
            "customer",
            "quarter",
            "status",
            "confirmed_at",
            "confirmed_by",
            "visits",
        ]
        read_only_fields = fields


class GenerateSerializer(serializers.Serializer):
    contract = serializers.PrimaryKeyRelatedField(queryset=MaintenanceContract.objects.all())
    quarter = serializers.CharField(max_length=7, help_text="2026Q4")


class PlanConfirmSerializer(serializers.Serializer):
    confirmed_by = serializers.CharField(max_length=50, required=False, allow_blank=True)
    via = serializers.CharField(max_length=100, required=False, allow_blank=True)


class PlanViewSet(
    ActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Quarterly maintenance plans (R-PM-1); filter by ``contract`` and ``quarter``."""

    serializer_class = PlanSerializer
    act_target = "plan"
    permission_classes = [RolePermissions]
    queryset = MaintenancePlan.objects.none()
    filterset_fields = ["contract", "status"]

    def get_queryset(self) -> QuerySet[MaintenancePlan]:
        plans_ = selectors.plans_for(user_or_none(self.request)).order_by("-quarter", "pk")
        quarter = self.request.query_params.get("quarter")
        if quarter and self.action == "list":  # 2026Q4, or 2026-Q4 as the pages write it
            plans_ = plans_.filter(quarter=plans.parse_quarter(quarter).code)
        return plans_

    @extend_schema(parameters=[OpenApiParameter("quarter", str, description="2026Q4")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=GenerateSerializer, responses={201: PlanSerializer})
    @action(detail=False, methods=["post"])
    def generate(self, request: Request) -> Response:
        """Make (or complete) the contract's plan for the quarter; run again, it adds
        nothing that is there."""
        user = acting_user(request)
        if not user.has_perm("maintenance.add_maintenanceplan"):
            raise PermissionDenied
        body = GenerateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = plans.maintenance_plan_generate(
            actor=user,
            contract=body.validated_data["contract"],
            quarter=plans.parse_quarter(body.validated_data["quarter"]),
        )
        return self._respond(plan, 201)

    @extend_schema(request=PlanConfirmSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def confirm(self, request: Request, pk: str) -> Response:
        """The customer confirms (甲方确认), or staff record who confirmed and how."""
        if not acting_user(request).has_perm("maintenance.confirm_maintenanceplan"):
            raise PermissionDenied
        return self._act(request, PlanConfirmSerializer, plans.maintenance_plan_confirm)


class MaintenanceInspectionItemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code", read_only=True)
    text = serializers.CharField(source="item.text", read_only=True)
    kind = serializers.CharField(source="item.kind", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)
    low = serializers.DecimalField(
        source="item.low", max_digits=12, decimal_places=3, read_only=True, allow_null=True
    )
    high = serializers.DecimalField(
        source="item.high", max_digits=12, decimal_places=3, read_only=True, allow_null=True
    )

    class Meta:
        model = InspectionItem
        fields = [
            "id",
            "code",
            "text",
            "kind",
            "unit",
            "low",
            "high",
            "result",
            "measurement",
            "remark",
            "flagged",
            "service_request",
        ]
        read_only_fields = fields


class MaintenanceInspectionSerializer(serializers.ModelSerializer):
    items = MaintenanceInspectionItemSerializer(many=True, read_only=True)
    report_due_at = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "number",
            "status",
            "equipment",
            "customer",
            "visit",
            "started_at",
            "finished_at",
            "customer_signed_by",
            "findings",
            "advice",
            "reported_at",
            "report_due_at",
            "items",
        ]
        read_only_fields = fields

    def get_report_due_at(self, inspection: Inspection) -> dt.datetime | None:
        user = user_or_none(self.context.get("request"))
        if user is not None and user.is_external:
            return None  # an internal limit: customers see the report, not its deadline
        return report_due_at(inspection)


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Inspections (R-PM-2): every item with its result, measurement and flag, the
    service request a flagged item became, and when the report is due."""

    serializer_class = MaintenanceInspectionSerializer
    permission_classes = [RolePermissions]
    queryset = Inspection.objects.none()
    filterset_fields = ["status", "equipment", "customer"]

    def get_queryset(self) -> QuerySet[Inspection]:
        return (
            selectors.inspections_for(user_or_none(self.request))
            .prefetch_related("items__item", "obligations")
            .order_by("-started_at", "-pk")
        )


class AvailabilityQuery(serializers.Serializer):
    customer = serializers.IntegerField(min_value=1)
    start = serializers.DateField(validators=[within_years])
    end = serializers.DateField(validators=[within_years])

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["end"] < data["start"]:
            raise serializers.ValidationError({"end": _("The end is before the start.")})
        if (data["end"] - data["start"]).days > MAX_DAYS:
            raise serializers.ValidationError({"end": _("Ask for at most three years.")})
        return data


class OutageSerializer(serializers.Serializer):
    service_request = serializers.IntegerField(source="request_id")
    number = serializers.CharField()
    equipment = serializers.IntegerField(source="equipment_id")
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()
    cleared = serializers.BooleanField()
    minutes = serializers.FloatField()
    counted = serializers.BooleanField()


class AvailabilitySerializer(serializers.Serializer):
    availability = serializers.FloatField(min_value=0, max_value=1)
    target = serializers.FloatField()
    units = serializers.IntegerField()
    outage_minutes_counted = serializers.FloatField()
    outages = OutageSerializer(many=True)


class AvailabilityView(APIView):
    """设备完好率 (R-PM-3) of a customer's units over the days ``start`` to ``end``:
    P1/P2 outages from the call to the fault cleared; those under 4 hours not counted."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("customer", int, required=True),
            OpenApiParameter("start", dt.date, required=True),
            OpenApiParameter("end", dt.date, required=True),
        ],
        responses=AvailabilitySerializer,
    )
    def get(self, request: Request) -> Response:
        query = AvailabilityQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        user = acting_user(request)
        if not user.has_perm("customers.view_customer"):
            raise PermissionDenied
        if not customers_for(user).filter(pk=data["customer"]).exists():
            raise Http404
        result = availability.customer_availability(data["customer"], data["start"], data["end"])
        body = {
            "availability": round(result.availability, 6),
            "target": availability.TARGET,
            "units": result.units,
            "outage_minutes_counted": result.outage_minutes_counted,
            "outages": OutageSerializer(result.outages, many=True).data,
        }
        return Response(body)


class InstallationSerializer(serializers.ModelSerializer):
    obligations = ObligationSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Installation
        fields = [
            "id",
            "number",
            "status",
            "customer",
            "equipment",
            "planned_on",
            "called_at",
            "delivered_at",
            "commissioned_at",
            "accepted_on",
            "customer_signed_by",
            "score",
            "obligations",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Installation) -> dict[str, Any]:
        data = super().to_representation(instance)
        user = user_or_none(self.context.get("request"))
        if user is not None and user.is_external:
            data["obligations"] = []  # internal limits stay internal
        return data


class InstallationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Delivery, installation and commissioning (R-PM-4) with PM.COMMISSION."""

    serializer_class = InstallationSerializer
    permission_classes = [RolePermissions]
    queryset = Installation.objects.none()
    filterset_fields = ["status", "customer", "equipment"]

    def get_queryset(self) -> QuerySet[Installation]:
        return (
            selectors.installations_for(user_or_none(self.request))
            .prefetch_related("obligations")
            .order_by("-planned_on", "-pk")
        )


class AttendeeSerializer(serializers.ModelSerializer):
    passed = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Attendee
        fields = ["name", "post", "theory", "practical", "passed"]
        read_only_fields = fields


class TrainingSerializer(serializers.ModelSerializer):
    attendees = AttendeeSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "number",
            "status",
            "customer",
            "year",
            "planned_on",
            "topic",
            "held_at",
            "pass_mark",
            "summary",
            "reported_at",
            "attendees",
        ]
        read_only_fields = fields


class TrainingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Training of the customer's duty staff (R-PM-5), with each attendee's scores."""

    serializer_class = TrainingSerializer
    permission_classes = [RolePermissions]
    queryset = TrainingSession.objects.none()
    filterset_fields = ["status", "customer"]

    def get_queryset(self) -> QuerySet[TrainingSession]:
        return (
            selectors.trainings_for(user_or_none(self.request))
            .prefetch_related("attendees__session")
            .order_by("-planned_on", "-pk")
        )
