"""Admin classes of the libraries the desk uses, where their pages need a fix of ours."""

from django.contrib import admin
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from factcheck.admin_markup import HiddenInitialWithoutAria


class AuthenticatorAdmin(HiddenInitialWithoutAria, TOTPDeviceAdmin):
    pass


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, AuthenticatorAdmin)
