"""The duty roster in the API: who is on duty now, for a call-centre system to route
calls (``GET /api/v1/duty/now/``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.common.requests import acting_user
from aftersales.operations import roster
from aftersales.operations.models import DutyGroup


class OnDutySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.get_full_name")
    phone = serializers.CharField(source="person.phone")
    since = serializers.DateTimeField(source="starts_at")
    until = serializers.DateTimeField(source="ends_at")


class DutyGroupNowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="group.pk")
    name = serializers.CharField(source="group.name")
    kind = serializers.ChoiceField(source="group.kind", choices=DutyGroup.Kind.choices)
    duty_phone = serializers.CharField(source="group.phone")
    must_be_covered = serializers.BooleanField(source="needed")
    covered = serializers.BooleanField()
    on_duty = OnDutySerializer(source="shifts", many=True)


class DutyNowSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    groups = DutyGroupNowSerializer(many=True)


class DutyNowView(APIView):
    """Who is on duty now in each group, with phones and until when; a group that must
    be covered now and is not says ``covered: false``."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DutyNowSerializer, operation_id="duty_now")
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        if user.is_external or not user.has_perm("operations.view_shift"):
            raise PermissionDenied
        now = timezone.now()
        return Response(DutyNowSerializer({"at": now, "groups": roster.duty_now(now)}).data)
