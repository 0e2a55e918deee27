"""Returns and exchanges (R-RT-1, R-RT-2, R-RT-3) in the API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.common.api import ActionsMixin
from aftersales.common.idempotency import idempotent
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import acting_user, user_or_none
from aftersales.customers.models import Customer, Equipment
from aftersales.customers.selectors import customers_for
from aftersales.obligations.api import ObligationSummarySerializer
from aftersales.returns import selectors
from aftersales.returns import services as returns
from aftersales.returns.models import ReturnRequest, UnpackingInspection


class InspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnpackingInspection
        fields = ["id", "inspected_at", "outcome", "note", "signed_by", "needs_replacement"]
        read_only_fields = fields


class ReturnSerializer(serializers.ModelSerializer):
    obligations = ObligationSummarySerializer(many=True, read_only=True)
    inspections = InspectionSerializer(many=True, read_only=True)

    class Meta:
        model = ReturnRequest
        fields = [
            "id",
            "number",
            "status",
            "kind",
            "customer",
            "equipment",
            "requested_at",
            "purchased_on",
            "problem",
            "decided_at",
            "decision_note",
            "completed_at",
            "refund_amount",
            "replacement_serial",
            "obligations",
            "inspections",
        ]
        read_only_fields = fields


class _ForUser(serializers.Serializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = user_or_none(self.context.get("request"))
        self.fields["customer"].queryset = customers_for(user)
        self.fields["equipment"].queryset = Equipment.objects.filter(
            customer__in=customers_for(user)
        )


class ReturnCreateSerializer(_ForUser):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    equipment = serializers.PrimaryKeyRelatedField(queryset=Equipment.objects.none())
    kind = serializers.ChoiceField(choices=ReturnRequest.Kind.choices)
    purchased_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Needed only for a unit without a sales record; the record's date wins.",
    )
    problem = serializers.CharField(max_length=2000)
    caused_by_misuse = serializers.BooleanField()
    proof_checked = serializers.BooleanField()
    packaging_intact = serializers.BooleanField()
    requested_at = serializers.DateTimeField(required=False)


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CompleteSerializer(serializers.Serializer):
    refund_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    replacement_serial = serializers.CharField(max_length=100, required=False, allow_blank=True)


class InspectSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=UnpackingInspection.Outcome.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    signed_by = serializers.CharField(max_length=50, required=False, allow_blank=True)


class ReturnViewSet(
    ActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Returns and exchanges within 7 days of purchase; the general manager decides each."""

    serializer_class = ReturnSerializer
    act_target = "request"
    permission_classes = [RolePermissions]
    queryset = ReturnRequest.objects.none()
    filterset_fields = ["status", "kind", "customer"]

    def get_queryset(self) -> QuerySet[ReturnRequest]:
        return (
            selectors.returns_for(user_or_none(self.request))
            .prefetch_related("obligations", "inspections")
            .order_by("-requested_at", "-pk")
        )

    @extend_schema(request=ReturnCreateSerializer, responses={201: ReturnSerializer})
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A request is refused with the rule quoted when it is late, for misuse, or lacks
        the purchase proof or intact packaging (第十七、十八条)."""
        return self._create(request, ReturnCreateSerializer, returns.return_request_create)

    @extend_schema(request=DecideSerializer, responses=ReturnSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """The general manager approves or refuses (with the reason); meets RT.DECIDE."""
        return self._act(request, DecideSerializer, returns.return_request_decide)

    @extend_schema(request=CompleteSerializer, responses=ReturnSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        """Refunded, or exchanged once the new unit passed the unpacking inspection."""
        return self._act(request, CompleteSerializer, returns.return_request_complete)

    @extend_schema(request=InspectSerializer, responses=ReturnSerializer)
    @action(detail=True, methods=["post"])
    def inspect(self, request: Request, pk: str) -> Response:
        """开箱验收 of the exchanged unit with the customer."""
        item = self.get_object()
        body = InspectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        returns.unpacking_record(
            actor=acting_user(request),
            customer=item.customer,
            equipment=None,
            return_request=item,
            **body.validated_data,
        )
        return self._respond(item)


class UnpackingCreateSerializer(_ForUser):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    equipment = serializers.PrimaryKeyRelatedField(
        queryset=Equipment.objects.none(), required=False, allow_null=True
    )
    outcome = serializers.ChoiceField(choices=UnpackingInspection.Outcome.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    signed_by = serializers.CharField(max_length=50, required=False, allow_blank=True)


class UnpackingSerializer(InspectionSerializer):
    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "customer", "equipment", "return_request"]
        read_only_fields = fields


class UnpackingViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """开箱验收 of deliveries (R-RT-3): damaged or missing items are not signed for."""

    serializer_class = UnpackingSerializer
    permission_classes = [RolePermissions]
    queryset = UnpackingInspection.objects.none()
    filterset_fields = ["customer", "outcome", "needs_replacement"]

    def get_queryset(self) -> QuerySet[UnpackingInspection]:
        user = user_or_none(self.request)
        if user is None or user.is_external:
            return UnpackingInspection.objects.none()
        return UnpackingInspection.objects.filter(customer__in=customers_for(user)).order_by(
            "-inspected_at", "-pk"
        )

    @extend_schema(request=UnpackingCreateSerializer, responses={201: UnpackingSerializer})
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = UnpackingCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        done = returns.unpacking_record(actor=acting_user(request), **body.validated_data)
        return Response(UnpackingSerializer(done).data, status=201)
