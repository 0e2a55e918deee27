from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from aftersales.common.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    """Django's login form; axes counts its failures through the backend."""


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass
