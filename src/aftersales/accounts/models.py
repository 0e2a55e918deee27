from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.accounts.roles import Role

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9\- ]{4,22}$", _("Enter a phone number: digits, spaces, hyphens, optional +.")
)


class Department(models.Model):
    """A department (R-ORG-2): owns complaints and corrective actions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    head = models.ForeignKey(
        "accounts.User",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in: staff of the service company or a customer contact."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=24, blank=True, validators=[phone_validator])
    # For dispatch (R-WO-1): where a technician works and what they can fix.
    region = models.CharField(_("region"), max_length=50, blank=True, db_index=True)
    skills = models.CharField(
        _("skills"),
        max_length=200,
        blank=True,
        help_text=_("Product categories, separated by commas."),
    )
    # Managers who would rather read one e-mail a morning than one per message.
    daily_digest = models.BooleanField(
        _("one e-mail a day instead of one per message"),
        default=False,
        help_text=_(
            "Each morning, one e-mail lists your unread messages of the last day, one line "
            "per record. The bell still shows each at once."
        ),
    )
    # Urgent alerts (a P1 limit, an emergency, a major complaint) also as SMS.
    sms_alerts = models.BooleanField(
        _("urgent alerts also by SMS"),
        default=False,
        help_text=_("A late P1 request, an emergency or a major complaint, on your phone too."),
    )
    # Quiet hours: other e-mail and SMS wait until they end; urgent ones never wait.
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("view_audit_trail", _("Can see the audit trail of records"))]

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.get_username()

    @cached_property
    def role_codes(self) -> list[str]:
        """The user's roles (R-ORG-1); one person may hold several. Read once per
        request (the user object lives as long as the request)."""
        valid = set(Role.values)
        return sorted(g.name for g in self.groups.all() if g.name in valid)

    def has_role(self, *roles: str) -> bool:
        return bool(set(self.role_codes) & set(roles))

    @property
    def skill_list(self) -> list[str]:
        """The skills typed with either comma (, or ，), each once, in the order given."""
        parts = (s.strip() for s in self.skills.replace("，", ",").split(","))
        return list(dict.fromkeys(p for p in parts if p))

    @property
    def is_external(self) -> bool:
        """A customer's contact (R-ORG-3): sees only their own company's records."""
        return getattr(self, "portal_contact", None) is not None or self.has_role(Role.CUSTOMER)

    @property
    def customer_id_scope(self) -> int | None:
        """The company a customer contact belongs to, or None for staff and for
        a customer-role account that no contact claims (it then sees nothing)."""
        contact = getattr(self, "portal_contact", None)
        return contact.customer_id if contact is not None else None
