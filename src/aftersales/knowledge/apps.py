from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _drop_orphan_words(using: str = "default", **_kwargs: Any) -> None:
    """SQLite's FTS5 table is no Django model, so emptying the database (``flush``: a
    restore, a transactional test) leaves its rows behind; they would be found for
    articles that no longer exist. After every migrate or flush, those rows go."""
    from django.db import connections

    connection = connections[using]
    if (
        connection.vendor != "sqlite"
        or "knowledge_fts" not in connection.introspection.table_names()
    ):
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM knowledge_fts WHERE rowid NOT IN "
            "(SELECT article_id FROM knowledge_searchentry)"
        )


class KnowledgeConfig(AppConfig):
    name = "aftersales.knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        post_migrate.connect(_drop_orphan_words, sender=self)
        from aftersales.common import attachments
        from aftersales.knowledge import selectors
        from aftersales.knowledge.models import Article

        # Pictures of the fault and the fix: seen wherever the article is.
        attachments.register(
            Article,
            visible=selectors.articles_for,
            check_may_attach=selectors.check_may_edit,
            file_visible=selectors.picture_visible,
        )
