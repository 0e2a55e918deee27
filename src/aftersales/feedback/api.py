"""Return visits, surveys, answers and the statistics in the API (issue 7 §5)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.accounts.models import Department
from aftersales.common.api import ActionsMixin
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import acting_user, user_or_none
from aftersales.feedback import selectors, surveys, visits
from aftersales.feedback.models import (
    Answer,
    Question,
    QuestionSet,
    SurveyCampaign,
    SurveyInvitation,
    Visit,
    VisitIssue,
)
from aftersales.obligations.api import ObligationSummarySerializer


class VisitSerializer(serializers.ModelSerializer):
    obligations = ObligationSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "customer",
            "kind",
            "period",
            "service_request",
            "repair_batch",
            "invitation",
            "planned_on",
            "next_try_at",
            "status",
            "contact_name",
            "contact_phone",
            "attempts",
            "done_at",
            "done_by",
            "opinions",
            "suggestions",
            "score",
            "obligations",
        ]
        read_only_fields = fields


class VisitRecordSerializer(serializers.Serializer):
    reached = serializers.BooleanField()
    opinions = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    suggestions = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    score = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class VisitCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class VisitTransferSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    description = serializers.CharField(max_length=2000)


class VisitIssueSerializer(serializers.ModelSerializer):
    obligations = ObligationSummarySerializer(many=True, read_only=True)

    class Meta:
        model = VisitIssue
        fields = [
            "id",
            "visit",
            "description",
            "department",
            "created_at",
            "created_by",
            "answer",
            "answered_at",
            "answered_by",
            "obligations",
        ]
        read_only_fields = fields


class IssueAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=2000)


class VisitViewSet(
    ActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Return visits (回访): after repairs, quarterly, yearly, follow-ups of low scores."""

    serializer_class = VisitSerializer
    act_target = "visit"
    permission_classes = [RolePermissions]
    queryset = Visit.objects.none()
    filterset_fields = ["status", "kind", "customer", "period", "planned_on"]

    def get_queryset(self) -> QuerySet[Visit]:
        return (
            selectors.visits_for(user_or_none(self.request))
            .prefetch_related("obligations")
            .order_by("planned_on", "pk")
        )

    @extend_schema(request=VisitRecordSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str) -> Response:
        """A call: not reached (tried again after FB.RETRY) or reached with the outcome;
        a visit already recorded is a 409."""
        return self._act(request, VisitRecordSerializer, visits.visit_record)

    @extend_schema(request=VisitCancelSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return self._act(request, VisitCancelSerializer, visits.visit_cancel)

    @extend_schema(request=VisitTransferSerializer, responses={201: VisitIssueSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        """A problem the visit could not solve, to a department (FB.TRANSFER)."""
        body = VisitTransferSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        issue = visits.visit_transfer(
            actor=acting_user(request), visit=self.get_object(), **body.validated_data
        )
        return Response(VisitIssueSerializer(issue).data, status=status.HTTP_201_CREATED)


class VisitIssueViewSet(
    ActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = VisitIssueSerializer
    act_target = "issue"
    permission_classes = [RolePermissions]
    queryset = VisitIssue.objects.none()
    filterset_fields = ["department", "visit"]

    def get_queryset(self) -> QuerySet[VisitIssue]:
        return (
            selectors.issues_for(user_or_none(self.request))
            .prefetch_related("obligations")
            .order_by("created_at", "pk")
        )

    @extend_schema(request=IssueAnswerSerializer, responses=VisitIssueSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        """The department's answer (meets FB.TRANSFER)."""
        return self._act(request, IssueAnswerSerializer, visits.issue_answer)


# --- question sets and campaigns -------------------------------------------------------


class QuestionSerializer(serializers.ModelSerializer):
    choices = serializers.ListField(child=serializers.CharField(max_length=100), required=False)

    class Meta:
        model = Question
        fields = ["id", "position", "kind", "text", "choices", "required"]
        read_only_fields = ["id", "position"]


class QuestionSetSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True)

    class Meta:
        model = QuestionSet
        fields = [
            "id",
            "code",
            "version",
            "name",
            "kind",
            "status",
            "intro",
            "published_at",
            "questions",
        ]
        read_only_fields = ["id", "version", "status", "published_at"]


class EmptyBody(serializers.Serializer):
    pass


class QuestionSetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Survey question sets, versioned: a new one is a draft; publishing puts it in use
    and retires the version it replaces."""

    serializer_class = QuestionSetSerializer
    permission_classes = [RolePermissions]
    queryset = QuestionSet.objects.none()
    filterset_fields = ["code", "kind", "status"]

    def get_queryset(self) -> QuerySet[QuestionSet]:
        return (
            selectors.question_sets_for(user_or_none(self.request))
            .prefetch_related("questions")
            .order_by("code", "-version")
        )

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = surveys.question_set_create(
            actor=acting_user(self.request),
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            intro=data.get("intro", ""),
            questions=[dict(q) for q in data["questions"]],
        )

    @extend_schema(request=EmptyBody, responses=QuestionSetSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        done = surveys.question_set_publish(
            actor=acting_user(request), question_set=self.get_object()
        )
        return Response(QuestionSetSerializer(done).data)


class CampaignSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = SurveyCampaign
        fields = ["id", "name", "year", "question_set", "created_at", "progress"]
        read_only_fields = ["id", "created_at", "progress"]

    def get_progress(self, campaign: SurveyCampaign) -> dict[str, int]:
        return surveys.campaign_progress(campaign)


class CampaignViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The annual survey of every customer, with how many answered."""

    serializer_class = CampaignSerializer
    permission_classes = [RolePermissions]
    queryset = SurveyCampaign.objects.none()

    def get_queryset(self) -> QuerySet[SurveyCampaign]:
        return selectors.campaigns_for(user_or_none(self.request)).order_by("-year")

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = surveys.campaign_create(
            actor=acting_user(self.request),
            year=data["year"],
            name=data.get("name", ""),
            question_set=data["question_set"],
        )


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = ["question", "score", "choice", "text"]
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer):
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = SurveyInvitation
        fields = [
            "id",
            "question_set",
            "customer",
            "service_request",
            "campaign",
            "sent_to",
            "created_at",
            "expires_at",
            "answered_at",
            "comment",
            "technician",
            "region",
            "answers",
        ]
        read_only_fields = fields


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Survey invitations sent and their answers (staff only)."""

    serializer_class = InvitationSerializer
    permission_classes = [RolePermissions]
    queryset = SurveyInvitation.objects.none()
    filterset_fields = ["customer", "campaign", "service_request", "question_set"]

    def get_queryset(self) -> QuerySet[SurveyInvitation]:
        user = user_or_none(self.request)
        if user is None or user.is_external:
            return SurveyInvitation.objects.none()
        return SurveyInvitation.objects.prefetch_related("answers").order_by("-created_at", "-pk")


# --- the customer's survey, without an account ---------------------------------------


class PublicQuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    text = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())
    required = serializers.BooleanField()  # type: ignore[assignment]


class PublicSurveySerializer(serializers.Serializer):
    name = serializers.CharField()
    intro = serializers.CharField(allow_blank=True)
    questions = PublicQuestionSerializer(many=True)


class PublicAnswerSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=2000))
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class LinkProblemSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=["unknown", "used", "expired"])
    detail = serializers.CharField()


def _problem(problem: surveys.LinkProblem) -> Response:
    return Response(
        {"reason": problem.reason, "detail": problem.message}, status=problem.http_status
    )


class PublicSurveyView(APIView):
    """The survey behind a one-time link: its questions (GET), the answers (POST).
    No account; an unknown link is a 404, a used or expired one a 410."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        responses={
            200: PublicSurveySerializer,
            404: LinkProblemSerializer,
            410: LinkProblemSerializer,
        }
    )
    def get(self, request: Request, token: str) -> Response:
        try:
            invitation = surveys.invitation_for(token)
        except surveys.LinkProblem as problem:
            return _problem(problem)
        question_set = invitation.question_set
        return Response(
            {
                "name": question_set.name,
                "intro": question_set.intro,
                "questions": [
                    {
                        "key": f"q{q.pk}",
                        "kind": q.kind,
                        "text": q.text,
                        "choices": q.choices,
                        "required": q.required,
                    }
                    for q in question_set.questions.all()
                ],
            }
        )

    @extend_schema(
        request=PublicAnswerSerializer,
        responses={201: None, 404: LinkProblemSerializer, 410: LinkProblemSerializer},
    )
    def post(self, request: Request, token: str) -> Response:
        body = PublicAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            surveys.survey_answer(
                token=token,
                answers=body.validated_data["answers"],
                comment=body.validated_data.get("comment", ""),
            )
        except surveys.LinkProblem as problem:
            return _problem(problem)
        return Response(status=status.HTTP_201_CREATED)
