from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import Annotation, Claim, PublishedRevision


class Resurfacing(models.Model):
    """A published claim seen again: new appearances in articles newer than its published
    revision, gathered for one hour into one notification — one entry in the activity feed
    at once, one mail to each recipient when the hour is over (``spread.alerts``).

    ``appearances`` lists them as ``{"annotation", "article", "outlet", "title", "url"}``
    (``url``: the desk page that opens the appearance); at most one batch of a claim is open
    (``sent_at`` empty) at a time.
    """

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="resurfacings", verbose_name=_("claim")
    )
    revision = models.ForeignKey(
        PublishedRevision,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revision"),
    )
    first_annotation = models.ForeignKey(
        Annotation,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("first annotation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who added the appearance that opened the batch."),
        verbose_name=_("user"),
    )
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    appearances = models.JSONField(default=list, verbose_name=_("appearances"))
    opened_at = models.DateTimeField(default=timezone.now, verbose_name=_("opened at"))
    due_at = models.DateTimeField(verbose_name=_("due at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))

    class Meta:
        verbose_name = _("resurfacing")
        verbose_name_plural = _("resurfacings")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["-opened_at"]), models.Index(fields=["sent_at", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=Q(sent_at__isnull=True), name="resurfacing_one_open"
            )
        ]

    def __str__(self):
        return f"Claim {self.claim_id} back in {', '.join(self.outlets) or 'new articles'}"

    @property
    def outlets(self) -> list[str]:
        names = []
        for entry in self.appearances:
            name = entry.get("outlet") or "an unknown outlet"
            if name not in names:
                names.append(name)
        return names
