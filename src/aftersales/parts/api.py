"""Stock: places, balances, the ledger and its movements, counts, the month's figures."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.common.api import month_param
from aftersales.common.filters import FilterSet
from aftersales.common.idempotency import idempotent
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import acting_user, user_or_none
from aftersales.customers.models import PartItem
from aftersales.parts import selectors, services
from aftersales.parts.models import (
    Balance,
    Location,
    Movement,
    PeriodClose,
)
from aftersales.service.models import WorkOrder
from aftersales.service.selectors import work_orders_for


def _quantity() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=13, decimal_places=3, min_value=0)


class LocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "code", "name", "kind", "holder", "is_active"]
        read_only_fields = ["id", "is_active"]


class BalanceSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    location_code = serializers.CharField(source="location.code", read_only=True)
    quantity = serializers.DecimalField(max_digits=13, decimal_places=3, read_only=True)
    value = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Balance
        fields = ["item", "item_code", "location", "location_code", "quantity", "value"]


class MovementSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="item.code", read_only=True)
    quantity = serializers.DecimalField(max_digits=13, decimal_places=3, read_only=True)
    value = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = Movement
        fields = [
            "id",
            "kind",
            "item",
            "item_code",
            "location",
            "quantity",
            "value",
            "at",
            "document",
            "reason",
            "actor",
            "work_order",
        ]
        read_only_fields = fields


class _Scoped(serializers.Serializer):
    """Items from the catalogue; places and orders only as the user may see them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = user_or_none(self.context.get("request"))
        for name, field in self.fields.items():
            if name in ("location", "source", "target"):
                field.queryset = selectors.locations_for(user)
            elif name == "work_order":
                field.queryset = work_orders_for(user)


def _item() -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=PartItem.objects.filter(is_active=True))


def _place() -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=Location.objects.none())


class ReceiveSerializer(_Scoped):
    item = _item()
    location = _place()
    quantity = _quantity()
    unit_cost = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    document = serializers.CharField(max_length=50, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
    at = serializers.DateTimeField(required=False)


class IssueSerializer(_Scoped):
    work_order = serializers.PrimaryKeyRelatedField(queryset=WorkOrder.objects.none())
    item = _item()
    location = _place()
    quantity = _quantity()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TransferSerializer(_Scoped):
    item = _item()
    source = _place()  # type: ignore[assignment]  # shadows Field.source
    target = _place()
    quantity = _quantity()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)
    document = serializers.CharField(max_length=50, required=False, allow_blank=True)


class WriteOffSerializer(_Scoped):
    item = _item()
    location = _place()
    quantity = _quantity()
    reason = serializers.CharField(max_length=300)


class CountLineSerializer(serializers.Serializer):
    item = _item()
    counted = _quantity()


class CountSerializer(_Scoped):
    location = _place()
    lines = CountLineSerializer(many=True, allow_empty=False, max_length=1000)  # type: ignore[call-arg]
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class MovementFilter(FilterSet):
    month = django_filters.DateFilter(
        field_name="month", help_text=_("The first day of the month, e.g. 2026-11-01.")
    )

    class Meta:
        model = Movement
        fields = ["item", "location", "kind", "work_order", "month"]


class LocationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Places that hold stock: the central depot, technicians' kits, repair benches."""

    serializer_class = LocationSerializer
    permission_classes = [RolePermissions]
    queryset = Location.objects.none()
    filterset_fields = ["kind", "holder", "is_active"]

    def get_queryset(self) -> QuerySet[Location]:
        return selectors.locations_for(user_or_none(self.request)).order_by("code")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.location_create(
            actor=acting_user(self.request), **serializer.validated_data
        )


class BalanceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """On hand per item and place (the sum of the ledger), with its value."""

    serializer_class = BalanceSerializer
    permission_classes = [RolePermissions]
    queryset = Balance.objects.none()
    filterset_fields = ["item", "location"]

    def get_queryset(self) -> QuerySet[Balance]:
        return selectors.balances_for(user_or_none(self.request)).filter(quantity__gt=0)


class MovementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The stock ledger (库存台账); every change of stock is one of the actions here."""

    serializer_class = MovementSerializer
    permission_classes = [RolePermissions]
    queryset = Movement.objects.none()
    filterset_class = MovementFilter

    def get_queryset(self) -> QuerySet[Movement]:
        return selectors.movements_for(user_or_none(self.request)).order_by("-at", "-pk")

    @idempotent
    def _book(self, request: Request, body_class: Any, act: Any) -> Response:
        body = body_class(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        done = act(actor=acting_user(request), **body.validated_data)
        rows = list(done) if isinstance(done, tuple | list) else [done]
        return Response(MovementSerializer(rows, many=True).data, status=201)

    @extend_schema(request=ReceiveSerializer, responses={201: MovementSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def receive(self, request: Request) -> Response:
        """Goods in (入库) at their cost, against the supplier's delivery note (warehouse)."""
        return self._book(request, ReceiveSerializer, services.stock_receive)

    @extend_schema(request=IssueSerializer, responses={201: MovementSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def issue(self, request: Request) -> Response:
        """Parts used on a work order; a technician from their own kit."""
        return self._book(request, IssueSerializer, services.stock_issue)

    @extend_schema(request=IssueSerializer, responses={201: MovementSerializer(many=True)})
    @action(detail=False, methods=["post"], url_path="return")
    def return_(self, request: Request) -> Response:
        """Unused parts back from a work order, at most what it took."""
        return self._book(request, IssueSerializer, services.stock_return)

    @extend_schema(request=TransferSerializer, responses={201: MovementSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def transfer(self, request: Request) -> Response:
        """From one place to another (warehouse): two rows of one document."""
        return self._book(request, TransferSerializer, services.stock_transfer)

    @extend_schema(request=WriteOffSerializer, responses={201: MovementSerializer(many=True)})
    @action(detail=False, methods=["post"], url_path="write-off")
    def write_off(self, request: Request) -> Response:
        """Lost or unusable stock, with the reason (warehouse)."""
        return self._book(request, WriteOffSerializer, services.stock_write_off)

    @extend_schema(request=CountSerializer, responses={201: MovementSerializer(many=True)})
    @action(detail=False, methods=["post"])
    @idempotent
    def count(self, request: Request) -> Response:
        """A stock count of one place: each difference from the books is booked."""
        body = CountSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        rows = services.stock_count(
            actor=acting_user(request),
            location=data["location"],
            counts={line["item"]: line["counted"] for line in data["lines"]},
            note=data.get("note", ""),
        )
        return Response(MovementSerializer(rows, many=True).data, status=201)


class CanCloseMonth(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.has_perm("parts.view_periodclose")):
            return False
        return request.method in ("GET", "HEAD", "OPTIONS") or user.has_perm("parts.close_period")


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = PeriodClose
        fields = ["month", "closed_at", "closed_by"]
        read_only_fields = ["closed_at", "closed_by"]


class PeriodViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Closed stock months (月结); closing one locks it and keeps its figures."""

    serializer_class = PeriodSerializer
    permission_classes = [CanCloseMonth]
    queryset = PeriodClose.objects.select_related("closed_by").order_by("-month")

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.period_close(
            actor=acting_user(self.request), month=serializer.validated_data["month"]
        )


class ReconciliationRowSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item_id")
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    opening_qty = serializers.DecimalField(max_digits=20, decimal_places=3)
    opening_value = serializers.DecimalField(max_digits=20, decimal_places=2)
    in_qty = serializers.DecimalField(max_digits=20, decimal_places=3)
    in_value = serializers.DecimalField(max_digits=20, decimal_places=2)
    out_qty = serializers.DecimalField(max_digits=20, decimal_places=3)
    out_value = serializers.DecimalField(max_digits=20, decimal_places=2)
    closing_qty = serializers.DecimalField(max_digits=20, decimal_places=3)
    closing_value = serializers.DecimalField(max_digits=20, decimal_places=2)


class ReconciliationView(APIView):
    """A month's figures per item: opening, in, out, closing, quantity and value (R-SP-4)."""

    permission_classes = [CanCloseMonth]

    @extend_schema(
        parameters=[
            OpenApiParameter("month", str, required=True, description="YYYY-MM"),
            OpenApiParameter("location", int),
        ],
        responses=inline_serializer(
            "Reconciliation",
            {
                "month": serializers.CharField(),
                "closed": serializers.BooleanField(),
                "rows": ReconciliationRowSerializer(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        month = month_param(request.query_params.get("month", ""))
        location = None
        if request.query_params.get("location") == "":
            raise serializers.ValidationError(
                {"location": [_("Give a value, or leave the parameter out.")]}
            )
        if request.query_params.get("location"):
            location = (
                selectors.locations_for(acting_user(request))
                .filter(pk=_int(request.query_params["location"]))
                .first()
            )
            if location is None:
                raise serializers.ValidationError({"location": [_("No such place.")]})
        rows = selectors.reconciliation(month, location)
        return Response(
            {
                "month": f"{month:%Y-%m}",
                "closed": PeriodClose.objects.filter(month__gte=month).exists(),
                "rows": ReconciliationRowSerializer(rows, many=True).data,
            }
        )


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise serializers.ValidationError({"location": [_("No such place.")]}) from None
