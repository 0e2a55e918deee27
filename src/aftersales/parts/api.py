"""Stock: places, balances, the ledger and its movements, counts, the month's figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.accounts.models import User
from aftersales.common.api import ActionsMixin, month_param
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import acting_user, user_or_none
from aftersales.customers.models import Customer, Equipment, PartItem
from aftersales.customers.selectors import customers_for
from aftersales.parts import backups, selectors, services, toolkits
from aftersales.parts.models import (
    BackupLoan,
    BackupUnit,
    Balance,
    Location,
    Movement,
    PeriodClose,
    Tool,
    ToolKit,
)
from aftersales.service.api import EmptySerializer
from aftersales.service.models import ServiceRequest, WorkOrder
from aftersales.service.selectors import requests_for, work_orders_for


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


class MovementFilter(django_filters.FilterSet):
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

    def _book(self, request: Request, body_class: Any, act: Any) -> Response:
        body = body_class(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        done = act(actor=acting_user(request), **body.validated_data)
        rows = list(done) if isinstance(done, tuple | list) else [done]
        return Response(MovementSerializer(rows, many=True).data, status=201)

    @extend_schema(request=ReceiveSerializer, responses={201: MovementSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def receive(self, request: Request) -> Response:
        """Goods in (入库) at their cost; the document is numbered RK-… when none is given."""
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


# --- backup units -------------------------------------------------------------------------


class BackupLoanSerializer(serializers.ModelSerializer):
    due_at = serializers.SerializerMethodField()

    class Meta:
        model = BackupLoan
        fields = ["id", "customer", "service_request", "lent_at", "returned_at", "note", "due_at"]
        read_only_fields = fields

    def get_due_at(self, loan: BackupLoan) -> dt.datetime | None:
        running = [o for o in loan.obligations.all() if o.rule == "SP.BACKUP_RETURN"]
        return running[0].due_at if running else None


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


# --- tool kits ----------------------------------------------------------------------------


class ToolSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tool
        fields = ["id", "kit", "name", "asset_number", "status", "replaces", "note"]
        read_only_fields = fields


class ToolKitSerializer(serializers.ModelSerializer):
    tools = ToolSerializer(many=True, read_only=True)

    class Meta:
        model = ToolKit
        fields = ["id", "code", "holder", "issued_on", "tools"]
        read_only_fields = ["id", "issued_on", "tools"]


class ToolLineSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    asset_number = serializers.CharField(max_length=50, required=False, allow_blank=True)


class ToolKitCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    holder = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    tools = ToolLineSerializer(many=True, required=False)


class ToolKitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Technicians' tool kits (R-SP-5); a technician sees their own."""

    serializer_class = ToolKitSerializer
    permission_classes = [RolePermissions]
    queryset = ToolKit.objects.none()
    filterset_fields = ["holder"]

    def get_queryset(self) -> QuerySet[ToolKit]:
        return selectors.tool_kits_for(user_or_none(self.request)).order_by("code")

    @extend_schema(request=ToolKitCreateSerializer, responses={201: ToolKitSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = ToolKitCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        kit = toolkits.tool_kit_create(
            actor=acting_user(request),
            code=data["code"],
            holder=data["holder"],
            tools=[(t["name"], t.get("asset_number", "")) for t in data.get("tools", [])],
        )
        return Response(ToolKitSerializer(kit).data, status=201)


class ToolViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tools in the kits: report one lost, replace a lost one."""

    serializer_class = ToolSerializer
    permission_classes = [RolePermissions]
    queryset = Tool.objects.none()
    filterset_fields = ["kit", "status"]

    def get_queryset(self) -> QuerySet[Tool]:
        kits = selectors.tool_kits_for(user_or_none(self.request))
        return Tool.objects.filter(kit__in=kits).order_by("kit", "pk")

    @extend_schema(request=BackupReasonSerializer, responses=ToolSerializer)
    @action(detail=True, methods=["post"])
    def lost(self, request: Request, pk: str) -> Response:
        """Lost or broken beyond use, with how (a technician for their own kit)."""
        tool = self.get_object()
        body = BackupReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = toolkits.tool_lost(actor=acting_user(request), tool=tool, **body.validated_data)
        return Response(ToolSerializer(done).data)

    @extend_schema(
        request=inline_serializer(
            "ToolReplace", {"asset_number": serializers.CharField(required=False)}
        ),
        responses=ToolSerializer,
    )
    @action(detail=True, methods=["post"])
    def replace(self, request: Request, pk: str) -> Response:
        """The warehouse replaces a lost tool; the answer is the new tool."""
        tool = self.get_object()
        asset = str(request.data.get("asset_number", "") or "")[:50]
        new = toolkits.tool_replace(actor=acting_user(request), tool=tool, asset_number=asset)
        return Response(ToolSerializer(new).data)
