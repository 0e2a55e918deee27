from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from aftersales.accounts.models import User
from aftersales.common.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    """Django's login form; axes counts its failures through the backend."""


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class StyledPasswordResetForm(StyledFormMixin, PasswordResetForm):
    pass


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    pass


class ContactDetailsForm(StyledFormMixin, forms.ModelForm):
    """How the system reaches the user: the e-mail is where a password reset link goes."""

    class Meta:
        model = User
        fields = ["email", "phone", "daily_digest", "sms_alerts", "quiet_from", "quiet_until"]
        widgets = {
            "quiet_from": forms.TimeInput(attrs={"type": "time"}),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}),
        }
        help_texts = {
            "email": _("If you forget your password, the link to set a new one is sent here.")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.is_external:  # customers get no staff messages to digest
            for name in ("daily_digest", "sms_alerts", "quiet_from", "quiet_until"):
                del self.fields[name]

    def clean_email(self) -> str:
        """One address, one account: a password reset link reaches only its owner."""
        email = self.cleaned_data["email"].strip()
        taken = User.objects.filter(email__iexact=email, is_active=True).exclude(
            pk=self.instance.pk
        )
        if email and taken.exists():
            raise forms.ValidationError(_("This e-mail address belongs to another account."))
        return email
