from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from claims.models import Annotation, Claim, PublishedRevision


class Resurfacing(models.Model):
    """A published claim seen again: new appearances in articles newer than its published
    revision, gathered for one hour into one notification — one entry in the activity feed
    at once, one mail to each recipient when the hour is over (``spread.alerts``).

    Its appearances are rows (``ResurfacingAppearance``), appended by each save and never
    rewritten; at most one batch of a claim is open (``sent_at`` empty) at a time.
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
        return f"Claim {self.claim_id} back in new articles"


class ResurfacingAppearance(models.Model):
    """One appearance of a batch, as the mail and the activity feed name it (``url``: the
    desk page that opens the appearance). A save appends its row, without rewriting or
    locking anything other saves write (``spread.alerts.note_appearance``). The highlight
    and the article are kept by id only: deleting either leaves the batch's record as
    it was mailed."""

    batch = models.ForeignKey(
        Resurfacing, on_delete=models.CASCADE, related_name="entries", verbose_name=_("batch")
    )
    annotation = models.ForeignKey(
        Annotation,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("annotation"),
    )
    article = models.ForeignKey(
        Article,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("article"),
    )
    outlet = models.TextField(blank=True, verbose_name=_("outlet"))
    title = models.TextField(blank=True, verbose_name=_("title"))
    url = models.TextField(verbose_name=_("address"))

    class Meta:
        verbose_name = _("resurfacing appearance")
        verbose_name_plural = _("resurfacing appearances")
        ordering = ["batch", "id"]

    def __str__(self):
        return f"{self.outlet or gettext('an unknown outlet')}: {self.title}"


def outlet_names(entries) -> list[str]:
    """The outlets of a batch's appearances, each once, in the order they came."""
    names = []
    for entry in entries:
        name = entry.outlet or gettext("an unknown outlet")
        if name not in names:
            names.append(name)
    return names
