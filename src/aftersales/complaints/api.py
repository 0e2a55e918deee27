"""Complaints in the API (spec/api.md: POST /api/v1/complaints/ and its fields)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.accounts.models import User
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import acting_user, user_or_none
from aftersales.complaints import decisions, selectors, services
from aftersales.complaints.models import Category, Channel, Complaint, Decision, Step
from aftersales.customers.models import Customer, Equipment
from aftersales.customers.selectors import customers_for
from aftersales.service.api import EmptySerializer, RequestObligationSerializer


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = Step
        fields = ["at", "kind", "text", "actor"]
        read_only_fields = fields


class ComplaintSerializer(serializers.ModelSerializer):
    obligations = RequestObligationSerializer(many=True, read_only=True)
    # Blank until decided: declared so the schema says so.
    decision = serializers.ChoiceField(choices=Decision.choices, allow_blank=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "status",
            "obligations",
            "complainant_name",
            "complainant_phone",
            "customer",
            "equipment",
            "category",
            "channel",
            "demand",
            "description",
            "received_at",
            "is_major",
            "target_kind",
            "target_person",
            "responsible",
            "decline_reason",
            "is_especially_major",
            "handling_group",
            "decision",
            "decision_text",
            "decided_by",
            "approved_by",
            "reply_text",
            "replied_at",
            "customer_reaction",
            "closed_at",
            "steps",
        ]
        read_only_fields = fields


class ComplaintCreateSerializer(serializers.Serializer):
    complainant_name = serializers.CharField(max_length=50)
    complainant_phone = serializers.RegexField(r"^\+?[0-9][0-9\- ]{4,22}$", max_length=24)
    complainant_email = serializers.EmailField(required=False, allow_blank=True)
    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.none(), required=False, allow_null=True
    )
    equipment = serializers.PrimaryKeyRelatedField(
        queryset=Equipment.objects.none(), required=False, allow_null=True
    )
    category = serializers.ChoiceField(choices=Category.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    demand = serializers.CharField(max_length=2000)
    description = serializers.CharField(max_length=4000)
    received_at = serializers.DateTimeField(required=False)
    is_major = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = user_or_none(self.context.get("request"))
        self.fields["customer"].queryset = customers_for(user)
        self.fields["equipment"].queryset = Equipment.objects.filter(
            customer__in=customers_for(user)
        )


class ComplaintNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000)


class ComplaintTextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


class ComplaintTransferSerializer(serializers.Serializer):
    responsible = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ComplaintRecordSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["finding", "proposal", "progress"])
    text = serializers.CharField(max_length=4000)


class ComplaintDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ComplaintMajorSerializer(serializers.Serializer):
    group = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, allow_empty=False
    )
    especially = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ComplaintDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    text = serializers.CharField(max_length=4000)
    responsibility = serializers.CharField(max_length=300, required=False, allow_blank=True)
    penalty = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ComplaintViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Complaints (客户投诉) with their CP.* time limits and handling steps."""

    serializer_class = ComplaintSerializer
    permission_classes = [RolePermissions]
    queryset = Complaint.objects.none()
    filterset_fields = ["status", "category", "customer", "is_major"]

    def get_queryset(self) -> QuerySet[Complaint]:
        return (
            selectors.complaints_for(user_or_none(self.request))
            .prefetch_related("obligations", "steps")
            .order_by("-received_at", "-pk")
        )

    def _respond(self, complaint: Complaint, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=complaint.pk)
        return Response(ComplaintSerializer(fresh).data, status=status)

    @extend_schema(request=ComplaintCreateSerializer, responses={201: ComplaintSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register a complaint: CP.CONTACT, CP.TRANSFER, CP.INVESTIGATE and CP.PROGRESS start
        and the complainant is acknowledged."""
        body = ComplaintCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        complaint = services.complaint_register(actor=acting_user(request), **body.validated_data)
        return self._respond(complaint, 201)

    def _act(self, request: Request, body_class: Any, act: Any) -> Response:
        complaint = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        act(actor=acting_user(request), complaint=complaint, **body.validated_data)
        return self._respond(complaint)

    @extend_schema(request=ComplaintNoteSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def contact(self, request: Request, pk: str) -> Response:
        """The complainant was contacted (meets CP.CONTACT)."""
        return self._act(request, ComplaintNoteSerializer, services.complaint_contact)

    @extend_schema(request=ComplaintTransferSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        """To the responsible person (meets CP.TRANSFER, starts CP.OPINION); not to a person
        the complaint names."""
        return self._act(request, ComplaintTransferSerializer, services.complaint_transfer)

    @extend_schema(request=ComplaintTextSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def opinion(self, request: Request, pk: str) -> Response:
        """The first handling opinion (meets CP.OPINION)."""
        return self._act(request, ComplaintTextSerializer, services.complaint_opinion)

    @extend_schema(request=ComplaintNoteSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def investigate(self, request: Request, pk: str) -> Response:
        """The investigation starts (meets CP.INVESTIGATE, starts CP.PROPOSAL)."""
        return self._act(request, ComplaintNoteSerializer, services.complaint_investigate)

    @extend_schema(request=ComplaintRecordSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str) -> Response:
        """A finding, the handling proposal (meets CP.PROPOSAL) or progress; each restarts
        CP.PROGRESS."""
        return self._act(request, ComplaintRecordSerializer, services.complaint_record)

    @extend_schema(request=ComplaintDeclineSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        """Not accepted (outside the acceptance window or scope): the reason goes to the
        complainant."""
        return self._act(request, ComplaintDeclineSerializer, services.complaint_decline)

    @extend_schema(request=ComplaintMajorSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], url_path="mark-major")
    def mark_major(self, request: Request, pk: str) -> Response:
        """Major (or especially major): reported up the ladder at once, a handling group
        is formed (CP.MAJOR_OPINION)."""
        return self._act(request, ComplaintMajorSerializer, decisions.complaint_mark_major)

    @extend_schema(request=ComplaintTextSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], url_path="group-opinion")
    def group_opinion(self, request: Request, pk: str) -> Response:
        """The handling group's opinion (meets CP.MAJOR_OPINION)."""
        return self._act(request, ComplaintTextSerializer, decisions.complaint_group_opinion)

    @extend_schema(request=ComplaintDecideSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """Upheld, not upheld or re-inspection, by someone the complaint does not name."""
        return self._act(request, ComplaintDecideSerializer, decisions.complaint_decide)

    @extend_schema(request=EmptySerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """Approval by someone not involved (not named, not the one who decided)."""
        return self._act(request, EmptySerializer, decisions.complaint_approve)

    @extend_schema(request=ComplaintTextSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        """The approved decision sent to the complainant."""
        return self._act(request, ComplaintTextSerializer, decisions.complaint_reply)

    @extend_schema(request=ComplaintTextSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def reaction(self, request: Request, pk: str) -> Response:
        return self._act(request, ComplaintTextSerializer, decisions.complaint_reaction)

    @extend_schema(request=ComplaintTextSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def remedied(self, request: Request, pk: str) -> Response:
        """The remedy of an upheld complaint is done (CP.FOLLOW_UP starts)."""
        return self._act(request, ComplaintTextSerializer, decisions.complaint_remedied)

    @extend_schema(request=ComplaintTextSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: str) -> Response:
        """The customer confirms the remedy worked (meets CP.FOLLOW_UP)."""
        return self._act(request, ComplaintTextSerializer, decisions.complaint_follow_up)

    @extend_schema(request=EmptySerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Closed: only with a recorded reply; an upheld one after its follow-up."""
        return self._act(request, EmptySerializer, decisions.complaint_close)
