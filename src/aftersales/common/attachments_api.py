"""Attachments in the API: a record's files (list and upload) and one file's bytes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.common import attachments
from aftersales.common.models import Attachment
from aftersales.common.requests import acting_user
from aftersales.common.views import file_response

MIME_TYPES = [
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/heic",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
]


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploader_name", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "mime", "size", "sha256", "caption", "uploaded_by", "uploaded_at"]
        fields += ["url"]
        read_only_fields = fields

    def get_url(self, attachment: Attachment) -> str:
        return reverse("attachment-file", args=[attachment.pk])


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True)


class AttachmentsMixin:
    """``GET/POST /<records>/{id}/attachments/`` for a viewset whose model is registered
    with ``common.attachments``: the record's files, and adding one (multipart)."""

    @extend_schema(methods=["GET"], request=None, responses=AttachmentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
        filter_backends=[],
    )
    def attachments(self, request: Request, pk: str) -> Response:
        record = self.get_object()  # type: ignore[attr-defined]
        if request.method == "GET":
            files = attachments.attachments_of(record, request.user)
            return Response(AttachmentSerializer(files, many=True).data)
        body = AttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        added = attachments.attach(
            actor=acting_user(request),
            about=record,
            upload=body.validated_data["file"],
            caption=body.validated_data.get("caption", ""),
        )
        return Response(AttachmentSerializer(added).data, status=201)


class AttachmentFileView(APIView):
    """One attached file, if the user may see the record it belongs to."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, mime): OpenApiTypes.BINARY for mime in MIME_TYPES})
    def get(self, request: Request, pk: int) -> Any:
        return file_response(attachments.attachment_for(request.user, pk))
