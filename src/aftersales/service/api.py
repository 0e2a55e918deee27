"""Service requests and work orders (spec/api.md)."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.accounts.models import User
from aftersales.common.api import ActionsMixin, CustomerView, ErrorsAsJSON, PDFRenderer
from aftersales.common.filters import FilterSet, YesNoFilter
from aftersales.common.idempotency import idempotent
from aftersales.common.pdf import NoChineseFont
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import acting_user, user_or_none
from aftersales.common.signatures import MAX_CHARACTERS
from aftersales.customers.models import Customer, FaultCode, ProductModel, Site
from aftersales.customers.selectors import customers_for
from aftersales.customers.warranty import WarrantyStatus
from aftersales.obligations.api import ObligationSummarySerializer
from aftersales.service import (
    charges,
    printing,
    repeats,
    selectors,
    service_requests,
    spares,
    work_orders,
)
from aftersales.service.models import (
    Channel,
    Confirmation,
    Diagnosis,
    Exclusion,
    Result,
    ServiceRequest,
    Severity,
    WorkOrder,
)


class ServiceRequestSerializer(CustomerView, serializers.ModelSerializer):
    """A customer contact gets no internal time limits or review notes (empty)."""

    internal: ClassVar[dict[str, Any]] = {"obligations": [], "review_note": ""}
    serial_number = serializers.CharField(
        source="equipment.serial_number", read_only=True, default=None, allow_null=True
    )
    warranty_status = serializers.ChoiceField(choices=WarrantyStatus.choices, read_only=True)
    obligations = ObligationSummarySerializer(many=True, read_only=True)

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "number",
            "status",
            "severity",
            "warranty_status",
            "obligations",
            "customer",
            "serial_number",
            "channel",
            "caller_name",
            "caller_phone",
            "description",
            "received_at",
            "product_model",
            "purchased_on",
            "site",
            "duplicate_of",
            "resolution",
            "created_at",
            "charge",
            "exclusion",
            "quote_amount",
            "quote_status",
            "needs_review",
            "review_note",
            "fault_code",
            "is_repeat",
            "replacement_proposed",
            "confirmed_by",
            "confirmed_via",
            "confirmed_at",
        ]
        read_only_fields = fields


class ServiceRequestCreateSerializer(serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    serial_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    caller_name = serializers.CharField(max_length=50)
    caller_phone = serializers.RegexField(r"^\+?[0-9][0-9\- ]{4,22}$", max_length=24)
    description = serializers.CharField(max_length=4000)
    received_at = serializers.DateTimeField(required=False)
    product_model = serializers.PrimaryKeyRelatedField(
        queryset=ProductModel.objects.filter(is_active=True), required=False, allow_null=True
    )
    purchased_on = serializers.DateField(required=False, allow_null=True)
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.none(), required=False, allow_null=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = user_or_none(self.context.get("request"))
        if user is not None:
            self.fields["customer"].queryset = customers_for(user)
            self.fields["site"].queryset = Site.objects.filter(customer__in=customers_for(user))


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PlanSerializer(serializers.Serializer):
    plan = serializers.CharField(max_length=500)


class ResolutionSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=4000)


class CloseSerializer(serializers.Serializer):
    confirmed_by = serializers.CharField(max_length=50)
    confirmed_via = serializers.ChoiceField(choices=Confirmation.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ConfirmSerializer(serializers.Serializer):
    fixed = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ServiceUnavailable(APIException):
    status_code = 503
    default_code = "service_unavailable"


class CanConfirm(BasePermission):
    """The customer's own confirmation in the portal (R-SR-5)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.has_perm("service.confirm_servicerequest"))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class FaultReportSerializer(serializers.Serializer):
    cause = serializers.CharField(max_length=4000)
    prevention = serializers.CharField(max_length=4000)


class ExclusionSerializer(serializers.Serializer):
    exclusion = serializers.ChoiceField(choices=Exclusion.choices)
    note = serializers.CharField(max_length=300)


class ReviewSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    note = serializers.CharField(max_length=300)


class FaultSerializer(serializers.Serializer):
    fault_code = serializers.PrimaryKeyRelatedField(queryset=FaultCode.objects.all())


class QuoteSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class QuoteAnswerSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class RequestFilter(FilterSet):
    breached = YesNoFilter(method="by_breach", label=_("breached"))
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = ServiceRequest
        fields = ["status", "severity", "customer", "channel"]

    def by_breach(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        ids = selectors.request_list(user_or_none(self.request), breached=value).values("pk")
        return queryset.filter(pk__in=ids)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            pk__in=selectors.request_list(user_or_none(self.request), q=value).values("pk")
        )


class ServiceRequestViewSet(
    ActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Service requests (报修) from the first call to closure."""

    serializer_class = ServiceRequestSerializer
    act_target = "request"
    filterset_class = RequestFilter
    permission_classes = [RolePermissions]
    queryset = ServiceRequest.objects.none()

    def get_queryset(self) -> QuerySet[ServiceRequest]:
        return selectors.requests_for(user_or_none(self.request)).order_by("-received_at", "-pk")

    @extend_schema(
        request=ServiceRequestCreateSerializer, responses={201: ServiceRequestSerializer}
    )
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._create(
            request, ServiceRequestCreateSerializer, service_requests.service_request_create
        )

    @extend_schema(request=NoteSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        """First reply to the caller (meets SR.REPLY)."""
        return self._act(request, NoteSerializer, service_requests.service_request_reply)

    @extend_schema(request=PlanSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str) -> Response:
        """A plan and arrival time given to the customer (meets SR.RESPOND)."""
        return self._act(request, PlanSerializer, service_requests.service_request_respond)

    @extend_schema(request=ResolutionSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        """Fault cleared and confirmed with the customer (meets SR.RESOLVE)."""
        return self._act(request, ResolutionSerializer, service_requests.service_request_resolve)

    @extend_schema(request=CloseSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """The customer confirmed the fault is cleared (meets SR.RESOLVE); resolved only."""
        return self._act(request, CloseSerializer, service_requests.service_request_close)

    @extend_schema(request=ReasonSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        """The customer says the fault is not cleared; SR.RESOLVE keeps running."""
        return self._act(request, ReasonSerializer, service_requests.service_request_reopen)

    @extend_schema(request=ConfirmSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanConfirm])
    def confirm(self, request: Request, pk: str) -> Response:
        """The customer contact's own answer: fixed closes the request, not fixed reopens it."""
        return self._act(request, ConfirmSerializer, service_requests.service_request_confirm)

    @extend_schema(request=NoteSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def swap(self, request: Request, pk: str) -> Response:
        """Not fixable on the spot: a spare part or backup unit goes on site (SR.SPARE starts;
        lending a backup unit for the request or using a part on its order meets it)."""
        return self._act(request, NoteSerializer, spares.service_request_swap)

    @extend_schema(request=ReasonSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return self._act(request, ReasonSerializer, service_requests.service_request_cancel)

    @extend_schema(request=FaultSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def fault(self, request: Request, pk: str) -> Response:
        """The fault code found at diagnosis; flags repeats and proposes 三包 replacement."""
        return self._act(request, FaultSerializer, repeats.service_request_set_fault)

    @extend_schema(request=ReviewSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        """Technical review of a system we did not install (R-SR-9)."""
        return self._act(request, ReviewSerializer, service_requests.service_request_review)

    @extend_schema(request=ExclusionSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def exclude(self, request: Request, pk: str) -> Response:
        """Misuse or another exclusion found: parts at cost (R-SR-6)."""
        return self._act(request, ExclusionSerializer, charges.service_request_exclude)

    @extend_schema(request=QuoteSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def quote(self, request: Request, pk: str) -> Response:
        """The service manager's price, sent to the customer (meets SR.QUOTE, pauses
        SR.RESOLVE)."""
        return self._act(request, QuoteSerializer, charges.service_request_quote)

    @extend_schema(request=QuoteAnswerSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"], url_path="quote-answer")
    def quote_answer(self, request: Request, pk: str) -> Response:
        """The customer accepts (SR.RESOLVE resumes) or refuses (the request closes)."""
        return self._act(request, QuoteAnswerSerializer, charges.service_request_quote_answer)

    @extend_schema(request=NoteSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"], url_path="go-onsite")
    def go_onsite(self, request: Request, pk: str) -> Response:
        """Remote help failed: go on site (starts SR.ARRIVE)."""
        return self._act(request, NoteSerializer, service_requests.service_request_go_onsite)

    @extend_schema(request=FaultReportSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"], url_path="fault-report")
    def fault_report(self, request: Request, pk: str) -> Response:
        """故障分析报告 after an on-site P1/P2 repair (meets WO.FAULT_REPORT)."""
        return self._act(
            request, FaultReportSerializer, service_requests.service_request_fault_report
        )


class WorkOrderSerializer(serializers.ModelSerializer):
    signed = serializers.SerializerMethodField()
    technician_signed = serializers.SerializerMethodField()

    class Meta:
        model = WorkOrder
        fields = [
            "id",
            "number",
            "status",
            "service_request",
            "technician",
            "replaces",
            "void_reason",
            "created_at",
            "arrived_at",
            "departed_at",
            "work_done",
            "diagnosis",
            "parts_used",
            "result",
            "delay_reason",
            "signed_by",
            "signed_at",
            "signed",
            "technician_signed",
            "technician_signed_at",
            "completed_at",
            "filed_at",
        ]
        read_only_fields = fields

    def get_signed(self, order: WorkOrder) -> bool:
        return bool(order.signature)

    def get_technician_signed(self, order: WorkOrder) -> bool:
        return bool(order.technician_signature)


class RecordSerializer(serializers.Serializer):
    work_done = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    diagnosis = serializers.ChoiceField(choices=Diagnosis.choices, required=False, allow_blank=True)
    parts_used = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    result = serializers.ChoiceField(choices=Result.choices, required=False, allow_blank=True)
    delay_reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class SignSerializer(serializers.Serializer):
    signature = serializers.CharField(
        max_length=MAX_CHARACTERS, help_text=_("A PNG data URL of the drawn signature.")
    )
    signed_by = serializers.CharField(
        max_length=50, required=False, allow_blank=True, help_text=_("The customer's name.")
    )
    signer = serializers.ChoiceField(
        choices=[
            (work_orders.Signer.CUSTOMER, _("The customer")),
            (work_orders.Signer.TECHNICIAN, _("The order's technician")),
        ],
        required=False,
        default=work_orders.Signer.CUSTOMER,
    )


class EmptySerializer(serializers.Serializer):
    pass


class WorkOrderCreateSerializer(serializers.Serializer):
    service_request = serializers.PrimaryKeyRelatedField(queryset=ServiceRequest.objects.none())
    technician = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    replaces = serializers.PrimaryKeyRelatedField(
        queryset=WorkOrder.objects.all(), required=False, allow_null=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = user_or_none(self.context.get("request"))
        if user is not None:
            self.fields["service_request"].queryset = selectors.requests_for(user)


class WorkOrderViewSet(
    ErrorsAsJSON,
    ActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Work orders (维修单) with gapless numbers per year."""

    serializer_class = WorkOrderSerializer
    act_target = "work_order"
    permission_classes = [RolePermissions]
    queryset = WorkOrder.objects.none()
    filterset_fields = ["status", "technician", "service_request"]

    def get_queryset(self) -> QuerySet[WorkOrder]:
        return selectors.work_orders_for(user_or_none(self.request)).order_by("-created_at", "-pk")

    @extend_schema(request=WorkOrderCreateSerializer, responses={201: WorkOrderSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = WorkOrderCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        order = work_orders.work_order_create(actor=acting_user(request), **body.validated_data)
        return Response(WorkOrderSerializer(order).data, status=201)

    @extend_schema(request=ReasonSerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: str) -> Response:
        """Void a spoiled order with a reason; its number stays used."""
        return self._act(request, ReasonSerializer, work_orders.work_order_void)

    @extend_schema(request=EmptySerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def arrive(self, request: Request, pk: str) -> Response:
        """The technician is on site (meets SR.ARRIVE)."""
        return self._act(request, EmptySerializer, work_orders.work_order_arrive)

    @extend_schema(request=RecordSerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str) -> Response:
        """Work done, diagnosis, parts used, result, delay reason."""
        return self._act(request, RecordSerializer, work_orders.work_order_record)

    @extend_schema(request=SignSerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str) -> Response:
        """A signature drawn on screen: the customer's, or the order's technician's."""
        return self._act(request, SignSerializer, work_orders.work_order_sign)

    @extend_schema(request=EmptySerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        """Complete: every required field filled and signed, else 400 naming what is missing."""
        return self._act(request, EmptySerializer, work_orders.work_order_complete)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PDFRenderer])
    def pdf(self, request: Request, pk: str) -> HttpResponse:
        """The printable order (PDF, Chinese) with its number and the customer's signature."""
        order = self.get_object()
        try:
            content = printing.work_order_pdf(order)
        except NoChineseFont as error:
            raise ServiceUnavailable(str(error)) from error
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{order.number}.pdf"'
        return response

    @extend_schema(request=EmptySerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def file(self, request: Request, pk: str) -> Response:
        """The signed record is filed (meets WO.FILE)."""
        return self._act(request, EmptySerializer, work_orders.work_order_file)
