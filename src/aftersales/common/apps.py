from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "aftersales.common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from rest_framework import serializers

        from aftersales.common import checks, strict  # noqa: F401  (checks registers itself)
        from aftersales.common.validation import within_years

        # Every date and time the API accepts is in 2000–2100 (issue 14): one rule for
        # every serializer, declared or generated from a model, so none is forgotten.
        for field_class in (serializers.DateField, serializers.DateTimeField):
            field_class.default_validators = [within_years]  # type: ignore[misc]
        strict.install()
        post_migrate.connect(_cache_table, sender=self)


def _cache_table(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """The shared cache's table (when the cache is the database's), made by ``migrate``
    like every other table, so no deployment forgets it."""
    from django.conf import settings
    from django.core.management import call_command

    if any("DatabaseCache" in c["BACKEND"] for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
