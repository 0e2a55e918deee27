"""Sales orders in the API (R-CUS-6): list, read, and record one with its lines."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.accounts.models import User
from aftersales.common.api import ActionsMixin
from aftersales.common.idempotency import idempotent
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import user_or_none
from aftersales.customers.models import Customer
from aftersales.customers.selectors import customers_for
from aftersales.sales import selectors, services
from aftersales.sales.models import MAX_LINES, MAX_QUANTITY, SalesOrder, SalesOrderLine


class LineSerializer(serializers.ModelSerializer):
    serial_numbers = serializers.SerializerMethodField()

    class Meta:
        model = SalesOrderLine
        fields = [
            "position",
            "item",
            "description",
            "product_model",
            "quantity",
            "unit_price",
            "shipped_on",
            "serial_numbers",
        ]
        read_only_fields = fields

    def get_serial_numbers(self, line: SalesOrderLine) -> list[str]:
        return [unit.equipment.serial_number for unit in line.units.all()]


class OrderSerializer(serializers.ModelSerializer):
    lines = LineSerializer(many=True, read_only=True)

    class Meta:
        model = SalesOrder
        fields = [
            "id",
            "number",
            "customer",
            "salesperson",
            "ordered_on",
            "note",
            "lines",
            "created_at",
        ]
        read_only_fields = fields


class LineInSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    unit_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    shipped_on = serializers.DateField(required=False, allow_null=True)
    serial_numbers = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=MAX_QUANTITY
    )


class OrderInSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=50)
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    ordered_on = serializers.DateField()
    salesperson = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    lines = LineInSerializer(many=True, max_length=MAX_LINES, allow_empty=False)  # type: ignore[call-arg]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers_for(user_or_none(self.context.get("request")))

    def validate_lines(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [dict(row) for row in value]


class OrderViewSet(
    ActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Sales orders with their lines and the serial numbers each delivered; a unit
    delivered on a line takes the order's date as its purchase date."""

    serializer_class = OrderSerializer
    permission_classes = [RolePermissions]
    queryset = SalesOrder.objects.none()
    filterset_fields = ["customer"]

    def get_queryset(self) -> QuerySet[SalesOrder]:
        return selectors.with_lines(selectors.orders_for(user_or_none(self.request))).order_by(
            "-ordered_on", "-pk"
        )

    @extend_schema(request=OrderInSerializer, responses={201: OrderSerializer})
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Refused (400, nothing written) for a number already recorded, a serial of
        another customer or sold on another order, more serials than the quantity."""
        return self._create(request, OrderInSerializer, services.sales_order_create)
