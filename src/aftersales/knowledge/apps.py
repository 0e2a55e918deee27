from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "aftersales.knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
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
