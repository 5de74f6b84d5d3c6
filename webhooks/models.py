"""Webhook endpoints and their deliveries (docs/architecture.md, "Webhooks")."""

import base64
import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class Event(models.TextChoices):
    PUBLISHED = "fact_check.published", _("Fact check published")
    UPDATED = "fact_check.updated", _("Fact check updated")
    MERGED = "fact_check.merged", _("Fact check merged (its address redirects)")


class Endpoint(models.Model):
    """An address told about events, registered in the admin. ``secret`` signs every
    delivery; it is shown once, when it is made (and when it is rotated)."""

    class Format(models.TextChoices):
        STANDARD = "standard", _("Standard Webhooks JSON")
        SLACK = "slack", _('Slack-compatible message ({"text": …})')

    url = models.URLField(_("URL"), max_length=2000)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(_("secret"), max_length=100, default=new_secret, editable=False)
    events = models.JSONField(
        _("events"), default=list, help_text=_("The events this endpoint is sent.")
    )
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.STANDARD
    )
    active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(
        _("failed deliveries in a row"), default=0, editable=False
    )
    disabled_at = models.DateTimeField(_("turned off at"), null=True, blank=True, editable=False)
    disabled_reason = models.CharField(
        _("why it was turned off"), max_length=300, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.description or self.url

    @property
    def secret_hint(self) -> str:
        """Enough of the secret to tell two apart; never the secret."""
        return f"{self.secret[:10]}…"


class Delivery(models.Model):
    """One event sent to one endpoint: its payload (Standard Webhooks JSON), its attempts
    and the last answer. Written in the transaction of the event; sent by the worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Failed (gave up)")

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    message_id = models.CharField(
        _("message id"), max_length=40, default=new_message_id, unique=True, editable=False
    )
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_status = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    response_body = models.CharField(_("response (start)"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event} → {self.endpoint}"
