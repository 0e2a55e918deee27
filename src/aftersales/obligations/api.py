"""Tracked time limits (spec/api.md: GET /api/v1/obligations/), policies and notifications."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.calendars.engine import UNITS
from aftersales.calendars.models import Calendar
from aftersales.common.filters import FilterSet, YesNoFilter
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import acting_user, user_or_none
from aftersales.obligations import notices, policies, selectors, services
from aftersales.obligations.models import Notification, Obligation, Policy
from aftersales.obligations.sweep import minutes_left


class ObligationSummarySerializer(serializers.ModelSerializer):
    """A record's limits as its own API shows them (a service request, a repair batch)."""

    class Meta:
        model = Obligation
        fields = ["rule", "state", "due_at", "met_at"]


class ObligationSerializer(serializers.ModelSerializer):
    target_type = serializers.SerializerMethodField()
    target_id = serializers.IntegerField(source="object_id", read_only=True)
    minutes_left = serializers.SerializerMethodField(
        help_text=_("Working minutes until due; negative once late; null when paused or closed.")
    )

    class Meta:
        model = Obligation
        fields = [
            "id",
            "rule",
            "severity",
            "state",
            "started_at",
            "due_at",
            "warn_at",
            "met_at",
            "responsible",
            "department",
            "escalation_step",
            "breach_minutes",
            "cancel_reason",
            "target_type",
            "target_id",
            "minutes_left",
        ]
        read_only_fields = fields

    def get_target_type(self, obligation: Obligation) -> str:
        return f"{obligation.content_type.app_label}.{obligation.content_type.model}"

    def get_minutes_left(self, obligation: Obligation) -> float | None:
        return minutes_left(obligation)


class ObligationFilter(FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=Obligation.State.choices)
    breached = YesNoFilter(method="by_breach", label=_("breached"))

    class Meta:
        model = Obligation
        fields = ["rule", "severity", "state", "responsible", "department"]

    def by_breach(self, queryset: QuerySet[Obligation], name: str, value: bool) -> QuerySet:
        states = [Obligation.State.BREACHED, Obligation.State.MET_LATE]
        return queryset.filter(state__in=states) if value else queryset.exclude(state__in=states)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ObligationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tracked time limits, soonest due first."""

    serializer_class = ObligationSerializer
    filterset_class = ObligationFilter
    permission_classes = [RolePermissions]
    queryset = Obligation.objects.none()

    def get_queryset(self) -> QuerySet[Obligation]:
        return selectors.obligation_list(user_or_none(self.request))

    @extend_schema(request=CancelSerializer, responses=ObligationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Cancel with a reason (service managers): the rule no longer applies."""
        obligation = self.get_object()
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.obligation_cancel(
            actor=acting_user(request), obligation=obligation, reason=body.validated_data["reason"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=obligation.pk)).data)


class PolicySerializer(serializers.ModelSerializer):
    calendar = serializers.SlugRelatedField(slug_field="code", queryset=Calendar.objects.all())
    unit = serializers.ChoiceField(choices=UNITS)
    amount = serializers.IntegerField(min_value=0, max_value=10 * 366 * 24 * 60)
    warn_percent = serializers.IntegerField(min_value=1, max_value=99, required=False)

    class Meta:
        model = Policy
        fields = [
            "id",
            "rule",
            "severity",
            "description",
            "amount",
            "unit",
            "calendar",
            "warn_percent",
        ]
        read_only_fields = ["id", "rule", "severity", "description"]


class PolicyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The time limit of each rule code and severity; service managers change them."""

    serializer_class = PolicySerializer
    permission_classes = [RolePermissions]
    queryset = Policy.objects.select_related("calendar").order_by("rule", "severity")
    filterset_fields = ["rule", "severity"]
    http_method_names = ["get", "patch", "head", "options"]

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        policy = self.get_object()
        body = self.get_serializer(policy, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        policies.policy_update(actor=acting_user(request), policy=policy, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=policy.pk)).data)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "message", "url", "step", "obligation", "created_at", "read_at"]
        read_only_fields = fields


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications, newest first."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    queryset = Notification.objects.none()

    def get_queryset(self) -> QuerySet[Notification]:
        user = user_or_none(self.request)
        return selectors.notifications_of(user) if user else Notification.objects.none()

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        count = notices.notifications_mark_read(actor=acting_user(request))
        return Response({"marked": count})
