from django.contrib import admin

from aftersales.common.admin import ReadOnlyAdmin
from aftersales.knowledge.models import Article, ArticleVersion, Vote


# Articles are written, reviewed and published on their pages (the review steps keep
# their versions and the search index): the admin shows them and changes nothing.
@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "version", "public", "author", "published_at"]
    list_filter = ["status", "public"]
    search_fields = ["title"]
    list_select_related = ["author"]


@admin.register(ArticleVersion)
class ArticleVersionAdmin(ReadOnlyAdmin):
    list_display = ["article", "number", "published_by", "published_at"]
    list_select_related = ["article", "published_by"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["article", "user", "helpful", "at"]
