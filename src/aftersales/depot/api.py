"""Depot repair batches (R-WO-8) in the API, in the style of the service requests."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.common.api import ActionsMixin
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import acting_user, user_or_none
from aftersales.customers.models import Customer
from aftersales.customers.selectors import customers_for
from aftersales.depot import selectors
from aftersales.depot import services as depot
from aftersales.depot.models import RepairBatch, RepairUnit
from aftersales.obligations.api import ObligationSummarySerializer
from aftersales.obligations.selectors import obligations_prefetch
from aftersales.service.api import NoteSerializer
from aftersales.service.models import ServiceRequest
from aftersales.service.selectors import requests_for


class RepairUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = RepairUnit
        fields = ["id", "serial_number", "equipment", "fault", "status", "result", "finished_at"]
        read_only_fields = fields


class RepairBatchSerializer(serializers.ModelSerializer):
    units = RepairUnitSerializer(many=True, read_only=True)
    obligations = ObligationSummarySerializer(many=True, read_only=True)

    class Meta:
        model = RepairBatch
        fields = [
            "id",
            "number",
            "status",
            "customer",
            "service_request",
            "received_at",
            "shipped_at",
            "delivered_at",
            "note",
            "units",
            "obligations",
        ]
        read_only_fields = fields


class UnitLineSerializer(serializers.Serializer):
    serial_number = serializers.CharField(max_length=100)
    fault = serializers.CharField(max_length=500)


class ReceiveBatchSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    service_request = serializers.PrimaryKeyRelatedField(
        queryset=ServiceRequest.objects.none(), required=False, allow_null=True
    )
    units = UnitLineSerializer(many=True, allow_empty=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    received_at = serializers.DateTimeField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = user_or_none(self.context.get("request"))
        self.fields["customer"].queryset = customers_for(user)
        self.fields["service_request"].queryset = requests_for(user)


class FinishSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    repaired = serializers.BooleanField()
    result = serializers.CharField(max_length=500)


class DeliveredSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False)


class RepairBatchViewSet(
    ActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Returned units repaired at the depot: ceil(n/10) working days (DEPOT.REPAIR)."""

    serializer_class = RepairBatchSerializer
    act_target = "batch"
    permission_classes = [RolePermissions]
    queryset = RepairBatch.objects.none()
    filterset_fields = ["status", "customer"]

    def get_queryset(self) -> QuerySet[RepairBatch]:
        return (
            selectors.repair_batches_for(user_or_none(self.request))
            .prefetch_related(
                "units",
                obligations_prefetch(),
            )
            .order_by("-received_at", "-pk")
        )

    @extend_schema(request=ReceiveBatchSerializer, responses={201: RepairBatchSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._create(request, ReceiveBatchSerializer, depot.repair_batch_receive)

    @extend_schema(request=FinishSerializer, responses=RepairBatchSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, pk: str) -> Response:
        """One unit repaired (or beyond repair); the last one meets DEPOT.REPAIR."""
        batch = self.get_object()
        body = FinishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = batch.units.filter(pk=body.validated_data["unit"]).first()
        if unit is None:
            raise serializers.ValidationError({"unit": [_("Not a unit of this batch.")]})
        depot.repair_unit_finish(
            actor=acting_user(request),
            unit=unit,
            repaired=body.validated_data["repaired"],
            result=body.validated_data["result"],
        )
        return self._respond(batch)

    @extend_schema(request=NoteSerializer, responses=RepairBatchSerializer)
    @action(detail=True, methods=["post"])
    def ship(self, request: Request, pk: str) -> Response:
        return self._act(request, NoteSerializer, depot.repair_batch_ship)

    @extend_schema(request=DeliveredSerializer, responses=RepairBatchSerializer)
    @action(detail=True, methods=["post"])
    def delivered(self, request: Request, pk: str) -> Response:
        """The customer has the units back: the return visit is planned (FB.RETURN_VISIT)."""
        return self._act(request, DeliveredSerializer, depot.repair_batch_delivered)
