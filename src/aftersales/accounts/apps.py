from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "aftersales.accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from aftersales.accounts.roles import sync_roles_after_migrate

        # Runs after each app's permissions are created, so the last call sees them all.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="aftersales.roles")
