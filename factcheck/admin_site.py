"""The admin site: the password, then a TOTP code from django-otp (README, "Two-factor
sign-in for the admin").

A staff member with a confirmed TOTP device always gives a code for the admin. With
ADMIN_REQUIRE_OTP on, a superuser must have one. Without the code the admin lets them no
further than its sign-in page, whichever page they signed in on.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice

from factcheck.forms import SlowDownMixin

NO_DEVICE = _(
    "This account must give a one-time code to use the admin, and has no authenticator yet: "
    "an administrator adds one with `manage.py add_totp_device %(username)s`."
)


def otp_required(user) -> bool:
    return settings.ADMIN_REQUIRE_OTP and user.is_superuser


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


class AdminLoginForm(SlowDownMixin, OTPAdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("One-time code"),
        required=False,
        help_text=_("From your authenticator app; leave empty if you have none."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        self.check_slow_down()
        self.cleaned_data = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is None:
            return self.cleaned_data
        has_device = has_authenticator(user)
        if otp_required(user) and not has_device:
            raise forms.ValidationError(NO_DEVICE, params={"username": user.get_username()})
        if has_device:
            self.clean_otp(user)
        return self.cleaned_data

    def _chosen_device(self, user):
        # One authenticator per person (add_totp_device replaces the old one): no choosing.
        return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


class AdminSite(admin.AdminSite):
    login_form = AdminLoginForm
    login_template = "admin/login_otp.html"

    def has_permission(self, request):
        user = request.user
        if not super().has_permission(request):
            return False
        if user.is_verified():
            return True
        # Signed in on the desk's page, which asks for no code: the admin still wants one.
        return not (otp_required(user) or has_authenticator(user))
