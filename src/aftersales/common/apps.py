from django.apps import AppConfig
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
