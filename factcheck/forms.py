"""The desk's sign-in form: Django's, with the slow-down checked before the password
(factcheck.security.sign_in_wait; README, "Sign-in protection")."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from factcheck.security import sign_in_wait, slow_down_message


class SlowDownMixin:
    def check_slow_down(self) -> None:
        """Refuse at once — no password checked, no failure counted — while the username or
        the address is being slowed down."""
        wait = sign_in_wait(self.request, self.cleaned_data.get("username") or "")
        if wait:
            raise forms.ValidationError(slow_down_message(wait), code="slowed")


class SignInForm(SlowDownMixin, AuthenticationForm):
    def clean(self):
        self.check_slow_down()
        return super().clean()
