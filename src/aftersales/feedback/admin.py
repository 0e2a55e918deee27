from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.common.admin import ReadOnlyAdmin
from aftersales.feedback.models import (
    Answer,
    Question,
    QuestionSet,
    SurveyCampaign,
    SurveyInvitation,
    Visit,
    VisitIssue,
)


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("planned_on", "kind", "customer", "status", "attempts", "score")
    list_filter = ("kind", "status")
    search_fields = ("customer__name", "contact_phone")
    raw_id_fields = ("customer", "service_request", "repair_batch", "invitation")


@admin.register(VisitIssue)
class VisitIssueAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("created_at", "department", "description", "answered_at")


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(QuestionSet)
class QuestionSetAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Question sets are made and published on their page; a version never changes."""

    list_display = ("code", "version", "name", "kind", "status", "published_at")
    list_filter = ("kind", "status")
    inlines = [QuestionInline]


@admin.register(SurveyCampaign)
class SurveyCampaignAdmin(ReadOnlyAdmin):
    list_display = ("year", "name", "question_set", "created_at")


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "customer", "question_set", "sent_to", "answered_at")
    exclude = ("token_hash",)
    raw_id_fields = ("customer", "service_request", "campaign", "technician", "product_model")


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("month", "question", "score", "choice")
    raw_id_fields = ("invitation", "question")
