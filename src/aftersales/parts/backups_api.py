"""Backup units in the API (R-SP-2, R-SP-3): lend, take back, repair, write off, needs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.common.api import ActionsMixin
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import acting_user, user_or_none
from aftersales.customers.models import Customer, Equipment
from aftersales.customers.selectors import customers_for
from aftersales.parts import backups, selectors
from aftersales.parts.models import (
    BackupLoan,
    BackupUnit,
)
from aftersales.service.api import EmptySerializer
from aftersales.service.models import ServiceRequest
from aftersales.service.selectors import requests_for


class BackupLoanSerializer(serializers.ModelSerializer):
    due_at = serializers.SerializerMethodField()

    class Meta:
        model = BackupLoan
        fields = ["id", "customer", "service_request", "lent_at", "returned_at", "note", "due_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_due_at(self, loan: BackupLoan) -> str | None:
        """When the unit is due back, in the data's zone like every other time."""
        running = [o for o in loan.obligations.all() if o.rule == "SP.BACKUP_RETURN"]
        due = running[0].due_at if running else None
        return serializers.DateTimeField().to_representation(due) if due else None


class BackupUnitSerializer(serializers.ModelSerializer):
    open_loan = serializers.SerializerMethodField()

    class Meta:
        model = BackupUnit
        fields = [
            "id",
            "serial_number",
            "product_model",
            "status",
            "location",
            "origin",
            "note",
            "open_loan",
        ]
        read_only_fields = ["id", "status", "note", "open_loan"]

    @extend_schema_field(BackupLoanSerializer(allow_null=True))
    def get_open_loan(self, unit: BackupUnit) -> Any:
        loans = getattr(unit, "open_loans", None)
        if loans is None:
            loans = list(unit.loans.filter(returned_at__isnull=True))
        return BackupLoanSerializer(loans[0]).data if loans else None


class LendSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    service_request = serializers.PrimaryKeyRelatedField(
        queryset=ServiceRequest.objects.none(), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = user_or_none(self.context.get("request"))
        self.fields["customer"].queryset = customers_for(user)
        self.fields["service_request"].queryset = requests_for(user)


class FromReplacedSerializer(serializers.Serializer):
    equipment = serializers.PrimaryKeyRelatedField(queryset=Equipment.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = user_or_none(self.context.get("request"))
        self.fields["equipment"].queryset = Equipment.objects.filter(
            customer__in=customers_for(user)
        )


class BackupReturnSerializer(serializers.Serializer):
    needs_repair = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class BackupReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class BackupUnitViewSet(
    ActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Backup units (备机): lent while a customer's unit is repaired, then taken back."""

    serializer_class = BackupUnitSerializer
    act_target = "unit"
    permission_classes = [RolePermissions]
    queryset = BackupUnit.objects.none()
    filterset_fields = ["status", "product_model"]

    def get_queryset(self) -> QuerySet[BackupUnit]:
        return selectors.backup_units_for(user_or_none(self.request)).order_by("serial_number")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = backups.backup_unit_add(
            actor=acting_user(self.request),
            serial_number=data["serial_number"],
            product_model=data["product_model"],
            location=data.get("location"),
            origin=data.get("origin", ""),
        )

    @extend_schema(request=FromReplacedSerializer, responses={201: BackupUnitSerializer})
    @action(detail=False, methods=["post"], url_path="from-replaced")
    def from_replaced(self, request: Request) -> Response:
        """A customer's unit replaced (三包 or swap) comes in: in repair, then a backup unit."""
        body = FromReplacedSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        unit = backups.backup_unit_from_replaced(
            actor=acting_user(request), equipment=body.validated_data["equipment"]
        )
        return Response(BackupUnitSerializer(unit).data, status=201)

    @extend_schema(request=LendSerializer, responses=BackupUnitSerializer)
    @action(detail=True, methods=["post"])
    def lend(self, request: Request, pk: str) -> Response:
        """Lend to a customer (SP.BACKUP_RETURN starts; for a swap request, SR.SPARE is met)."""
        return self._act(request, LendSerializer, backups.backup_lend)

    @extend_schema(request=BackupReturnSerializer, responses=BackupUnitSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        """Taken back from the customer (meets SP.BACKUP_RETURN); to repair if it needs it."""
        return self._act(request, BackupReturnSerializer, backups.backup_return)

    @extend_schema(request=EmptySerializer, responses=BackupUnitSerializer)
    @action(detail=True, methods=["post"])
    def repaired(self, request: Request, pk: str) -> Response:
        return self._act(request, EmptySerializer, backups.backup_repaired)

    @extend_schema(request=BackupReasonSerializer, responses=BackupUnitSerializer)
    @action(detail=True, methods=["post"], url_path="write-off")
    def write_off(self, request: Request, pk: str) -> Response:
        """Cannot be repaired: written off; the baseline then shows one to buy."""
        return self._act(request, BackupReasonSerializer, backups.backup_write_off)

    @extend_schema(
        responses=inline_serializer(
            "BackupNeed",
            {
                "product_model": serializers.IntegerField(),
                "baseline": serializers.IntegerField(),
                "kept": serializers.IntegerField(),
                "to_buy": serializers.IntegerField(),
            },
            many=True,
        )
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def needs(self, request: Request) -> Response:
        """Per model with a baseline (备机基数): units kept and how many to buy."""
        return Response(
            [
                {
                    "product_model": need.product_model.pk,
                    "baseline": need.baseline,
                    "kept": need.kept,
                    "to_buy": need.to_buy,
                }
                for need in selectors.backup_needs()
            ]
        )
