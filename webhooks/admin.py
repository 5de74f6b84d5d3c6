"""Webhooks in the admin: endpoints (the secret shown once, rotated by an action; turned
off ones flagged) and the delivery log with "send again". Every action goes through
``webhooks.services``, refused by ``policy.may_manage`` as anywhere else."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from webhooks import policy, services, tasks
from webhooks.forms import EndpointForm
from webhooks.models import Delivery, Endpoint


def _allowed(request) -> bool:
    return policy.may_manage(request.user) is None


def _show_secret(modeladmin, request, endpoint, secret):
    modeladmin.message_user(
        request,
        format_html(
            "{} <code>{}</code>",
            _("The secret of %(endpoint)s, shown only now — copy it to the receiver:")
            % {"endpoint": endpoint},
            secret,
        ),
        messages.WARNING,
    )


def _warn_turned_off(modeladmin, request) -> None:
    """Each endpoint the failures turned off, said on top of the webhook pages."""
    for endpoint in Endpoint.objects.filter(disabled_at__isnull=False, active=False):
        modeladmin.message_user(
            request,
            _("%(endpoint)s is turned off: %(reason)s")
            % {"endpoint": endpoint, "reason": endpoint.disabled_reason},
            messages.ERROR,
        )


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["__str__", "url", "format", "event_list", "active", "state"]
    list_filter = ["active", "format"]
    readonly_fields = ["secret_hint", "consecutive_failures", "disabled_at", "disabled_reason"]
    actions = ["rotate_secret", "turn_on"]

    def has_module_permission(self, request):
        return _allowed(request)

    def has_view_permission(self, request, obj=None):
        return _allowed(request)

    def has_add_permission(self, request):
        return _allowed(request)

    def has_change_permission(self, request, obj=None):
        return _allowed(request)

    def has_delete_permission(self, request, obj=None):
        return _allowed(request)

    @admin.display(description=_("events"))
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)

    @admin.display(description=_("state"))
    def state(self, endpoint):
        if endpoint.disabled_at:
            return format_html('<strong class="errornote">{}</strong>', endpoint.disabled_reason)
        if endpoint.consecutive_failures:
            return ngettext(
                "%(count)s failed delivery in a row",
                "%(count)s failed deliveries in a row",
                endpoint.consecutive_failures,
            ) % {"count": endpoint.consecutive_failures}
        return _("OK") if endpoint.active else _("Off")

    @admin.display(description=_("secret"))
    def secret_hint(self, endpoint):
        return endpoint.secret_hint

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            _show_secret(self, request, obj, obj.secret)

    def changelist_view(self, request, extra_context=None):
        _warn_turned_off(self, request)
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Rotate the secret of the selected endpoints"))
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            try:
                secret = services.endpoint_secret_rotate(endpoint=endpoint, user=request.user)
            except ValidationError as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            _show_secret(self, request, endpoint, secret)

    @admin.action(description=_("Turn on again (failures cleared)"))
    def turn_on(self, request, queryset):
        for endpoint in queryset:
            try:
                services.endpoint_turn_on(endpoint=endpoint, user=request.user)
            except ValidationError as error:
                self.message_user(request, str(error), messages.ERROR)
                return
        self.message_user(request, _("Turned on."), messages.SUCCESS)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read only, with "send again"."""

    list_display = [
        "created_at",
        "event",
        "endpoint",
        "status",
        "attempts",
        "last_attempt_at",
        "response_status",
        "short_error",
    ]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["send_again"]

    def has_module_permission(self, request):
        return _allowed(request)

    def has_view_permission(self, request, obj=None):
        return _allowed(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return _allowed(request)

    def changelist_view(self, request, extra_context=None):
        _warn_turned_off(self, request)
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("error"))
    def short_error(self, delivery):
        return delivery.error[:80]

    @admin.action(description=_("Send again"), permissions=["resend"])
    def send_again(self, request, queryset):
        sent = 0
        for delivery in queryset.select_related("endpoint"):
            try:
                tasks.delivery_resend_queue(delivery=delivery, user=request.user)
            except ValidationError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                sent += 1
        if sent:
            self.message_user(
                request,
                ngettext(
                    "%(count)s delivery queued to be sent again.",
                    "%(count)s deliveries queued to be sent again.",
                    sent,
                )
                % {"count": sent},
                messages.SUCCESS,
            )
