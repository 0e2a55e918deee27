"""Tool kits in the API (R-SP-5): each technician's kit, losses and replacements."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.accounts.models import User
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import acting_user, user_or_none
from aftersales.parts import selectors, toolkits
from aftersales.parts.backups_api import BackupReasonSerializer
from aftersales.parts.models import (
    Tool,
    ToolKit,
)


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


class ToolReplaceSerializer(serializers.Serializer):
    asset_number = serializers.CharField(max_length=50, required=False, allow_blank=True)


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

    @extend_schema(request=ToolReplaceSerializer, responses=ToolSerializer)
    @action(detail=True, methods=["post"])
    def replace(self, request: Request, pk: str) -> Response:
        """The warehouse replaces a lost tool; the answer is the new tool."""
        tool = self.get_object()
        body = ToolReplaceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = toolkits.tool_replace(actor=acting_user(request), tool=tool, **body.validated_data)
        return Response(ToolSerializer(new).data)
