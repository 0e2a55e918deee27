"""The knowledge base for integrators: published articles, searched in Chinese or by
model number (``q``), best match first; a customer's token reads the public ones."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.common.api import whole_number
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import user_or_none
from aftersales.knowledge import selectors
from aftersales.knowledge.models import Article, ArticleVersion
from aftersales.knowledge.search import MAX_MATCHES


class ArticleSerializer(serializers.ModelSerializer):
    """The published version of an article."""

    title = serializers.SerializerMethodField()
    product_models = serializers.SerializerMethodField()
    fault_codes = serializers.SerializerMethodField()
    public = serializers.SerializerMethodField()
    symptom = serializers.SerializerMethodField()
    cause = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "product_models",
            "fault_codes",
            "public",
            "symptom",
            "cause",
            "steps",
            "version",
            "published_at",
        ]
        read_only_fields = fields

    def _shown(self, article: Article) -> ArticleVersion:
        shown = getattr(article, "shown", None)
        if shown is None:
            shown = article.shown = selectors.published(article)  # type: ignore[attr-defined]
        assert shown is not None  # the queryset holds published articles only
        return shown

    def get_title(self, article: Article) -> str:
        return self._shown(article).title

    def get_product_models(self, article: Article) -> list[str]:
        return [c for c in self._shown(article).product_models.split("、") if c]

    def get_fault_codes(self, article: Article) -> list[str]:
        # Kept as "code name" for readers; the API gives the codes.
        return [c.split(" ")[0] for c in self._shown(article).fault_codes.split("、") if c]

    def get_public(self, article: Article) -> bool:
        return self._shown(article).public

    def get_symptom(self, article: Article) -> str:
        return self._shown(article).symptom

    def get_cause(self, article: Article) -> str:
        return self._shown(article).cause

    def get_steps(self, article: Article) -> str:
        return self._shown(article).steps


class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ArticleSerializer
    permission_classes = [RolePermissions]
    queryset = Article.objects.none()

    def get_queryset(self) -> QuerySet[Article]:
        readable = selectors.articles_for(user_or_none(self.request)).filter(version__gt=0)
        return readable.exclude(status=Article.Status.WITHDRAWN).order_by("-published_at", "-pk")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description="Words of the fault in Chinese, or a model number; "
                "best match first (at most 1,000 matches are counted).",
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        q = request.query_params.get("q", "").strip()
        if not q:
            return super().list(request, *args, **kwargs)
        if len(q) > 200:
            raise ValidationError({"q": [_("At most %(n)s characters.") % {"n": 200}]})
        assert self.paginator is not None
        size = self.paginator.get_page_size(request) or 25  # type: ignore[attr-defined]
        page = whole_number("page", request.query_params.get("page") or "1", 1, 10**9)
        if (page - 1) * size >= MAX_MATCHES:
            articles, total = [], MAX_MATCHES
        else:
            articles, total = selectors.found(
                user_or_none(request), q, limit=size, offset=(page - 1) * size
            )
        base = request.build_absolute_uri(request.path)
        link = f"{base}?{urlencode({'q': q, 'page_size': size})}&page="
        return Response(
            {
                "count": total,
                "next": f"{link}{page + 1}" if page * size < total else None,
                "previous": f"{link}{page - 1}" if page > 1 else None,
                "results": self.get_serializer(articles, many=True).data,
            }
        )
