"""Complaints in the API (spec/api.md: POST /api/v1/complaints/ and its fields)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.accounts.models import Department, User
from aftersales.common.api import ActionsMixin, CustomerView
from aftersales.common.attachments_api import AttachmentsMixin
from aftersales.common.idempotency import idempotent
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import acting_user, user_or_none
from aftersales.complaints import actions, decisions, selectors, services
from aftersales.complaints.models import (
    Category,
    Channel,
    Complaint,
    CorrectiveAction,
    Decision,
    External,
    RegionalWarning,
    Step,
    TargetKind,
)
from aftersales.customers.models import Customer, Equipment
from aftersales.customers.selectors import customers_for
from aftersales.obligations.api import ObligationSummarySerializer
from aftersales.service.api import (
    EmptySerializer,
)


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = Step
        fields = ["at", "kind", "text", "actor"]
        read_only_fields = fields


class ComplaintSerializer(CustomerView, serializers.ModelSerializer):
    """A customer contact sees the status, the reply and the dates that concern them; the
    internal handling (limits, handlers, findings, steps) comes back empty."""

    internal: ClassVar[dict[str, Any]] = {
        "obligations": [],
        "target_person": None,
        "target_department": None,
        "responsible": None,
        "handling_group": [],
        "decision_text": "",
        "decided_by": None,
        "approved_by": None,
        "steps": [],
    }
    obligations = ObligationSummarySerializer(many=True, read_only=True)
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
            "target_department",
            "responsible",
            "decline_reason",
            "reference_date",
            "outside_window",
            "order_number",
            "part_number",
            "shipped_on",
            "quantity",
            "defective_quantity",
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
    is_especially_major = serializers.BooleanField(required=False, default=False)
    group = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, portal_contact__isnull=True),
        many=True,
        required=False,
    )
    target_kind = serializers.ChoiceField(choices=TargetKind.choices, default=TargetKind.PRODUCT)
    target_person = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, portal_contact__isnull=True),
        required=False,
        allow_null=True,
    )
    target_department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    reference_date = serializers.DateField(required=False, allow_null=True)
    order_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    part_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    shipped_on = serializers.DateField(required=False, allow_null=True)
    quantity = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True
    )
    defective_quantity = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True
    )

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


class ComplaintExternalSerializer(serializers.Serializer):
    body = serializers.ChoiceField(choices=External.choices)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    due_on = serializers.DateField()


class ComplaintViewSet(
    ActionsMixin,
    AttachmentsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Complaints (客户投诉) with their CP.* time limits and handling steps."""

    serializer_class = ComplaintSerializer
    act_target = "complaint"
    permission_classes = [RolePermissions]
    queryset = Complaint.objects.none()
    filterset_fields = ["status", "category", "customer", "is_major"]

    def get_queryset(self) -> QuerySet[Complaint]:
        return (
            selectors.complaints_for(user_or_none(self.request))
            .prefetch_related("obligations", "steps")
            .order_by("-received_at", "-pk")
        )

    @extend_schema(request=ComplaintCreateSerializer, responses={201: ComplaintSerializer})
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register a complaint: CP.CONTACT, CP.TRANSFER, CP.INVESTIGATE and CP.PROGRESS start
        and the complainant is acknowledged."""
        return self._create(request, ComplaintCreateSerializer, services.complaint_register)

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

    @extend_schema(request=ComplaintExternalSerializer, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def external(self, request: Request, pk: str) -> Response:
        """It reached a regulator or an association: flagged, tracked to their due date."""
        complaint = self.get_object()
        body = ComplaintExternalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        actions.complaint_external(
            actor=acting_user(request),
            complaint=complaint,
            body=data["body"],
            reference=data.get("reference", ""),
            due_on=data["due_on"],
        )
        return self._respond(complaint)


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "complaint",
            "kind",
            "description",
            "owner",
            "due_on",
            "done_at",
            "done_note",
            "verified_by",
            "verified_at",
            "effective",
            "verification_note",
        ]
        read_only_fields = [
            f for f in fields if f not in ("complaint", "kind", "description", "owner", "due_on")
        ]


class ActionDoneSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500)


class ActionVerifySerializer(serializers.Serializer):
    effective = serializers.BooleanField()
    note = serializers.CharField(max_length=500)


class CorrectiveActionViewSet(
    ActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Corrective and preventive actions (CAPA): owner, agreed date (CP.CAPA), verification."""

    serializer_class = ActionSerializer
    act_target = "action"
    permission_classes = [RolePermissions]
    queryset = CorrectiveAction.objects.none()
    filterset_fields = ["complaint", "owner", "kind"]

    def get_queryset(self) -> QuerySet[CorrectiveAction]:
        user = user_or_none(self.request)
        if user is None or user.is_external:
            return CorrectiveAction.objects.none()
        return CorrectiveAction.objects.filter(
            complaint__in=selectors.complaints_for(user)
        ).order_by("due_on", "pk")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        complaint = (
            selectors.complaints_for(acting_user(self.request))
            .filter(pk=data["complaint"].pk)
            .first()
        )
        if complaint is None:
            raise serializers.ValidationError({"complaint": [_("No such complaint.")]})
        serializer.instance = actions.action_create(
            actor=acting_user(self.request),
            complaint=complaint,
            kind=data["kind"],
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
        )

    @extend_schema(request=ActionDoneSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str) -> Response:
        """The owner reports it done (meets CP.CAPA)."""
        return self._act(request, ActionDoneSerializer, actions.action_done)

    @extend_schema(request=ActionVerifySerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        """Quality verifies it; not effective sends it back to the owner."""
        return self._act(request, ActionVerifySerializer, actions.action_verify)


class WarningSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegionalWarning
        fields = ["id", "complaint", "title", "text", "issued_by", "issued_at"]
        read_only_fields = ["id", "issued_by", "issued_at"]


class RegionalWarningViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """区域预警: a problem to prevent, told to every service team."""

    serializer_class = WarningSerializer
    permission_classes = [RolePermissions]
    queryset = RegionalWarning.objects.none()

    def get_queryset(self) -> QuerySet[RegionalWarning]:
        user = user_or_none(self.request)
        if user is None or user.is_external:
            return RegionalWarning.objects.none()
        return RegionalWarning.objects.order_by("-issued_at")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = actions.warning_issue(
            actor=acting_user(self.request),
            title=data["title"],
            text=data["text"],
            complaint=data.get("complaint"),
        )
