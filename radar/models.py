"""The claim radar's rows: what it suggests, what editors rejected, and its scans' progress
(docs/architecture.md, "Claim radar")."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from claims.models import Claim, Stance


class Suggestion(models.Model):
    """A passage of an article that likely carries a known claim (radar.matching), waiting
    for an editor: accepted, it becomes a highlight; rejected, a ``Rejection``. Recomputed
    by every scan of its article or claim; ``exact == article.body[start:end]``."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("article")
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("claim")
    )
    start = models.PositiveIntegerField(verbose_name=_("start"))
    end = models.PositiveIntegerField(verbose_name=_("end"))
    exact = models.TextField(verbose_name=_("exact"))
    stance = models.CharField(max_length=12, choices=Stance.choices, verbose_name=_("stance"))
    score = models.FloatField(verbose_name=_("score"))
    reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["article_id", "start", "claim_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "claim", "start", "end"], name="suggestion_unique_span"
            ),
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(end__gt=F("start")),
                name="suggestion_start_before_end",
            ),
        ]
        indexes = [models.Index(fields=["claim", "-score"], name="suggestion_claim_idx")]

    def __str__(self):
        return f"{self.exact[:60]} → {self.claim_id}"


class Rejection(models.Model):
    """An editor said this passage does not carry this claim: never suggested again (the
    same words of the same article, wherever a correction moves them)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="+", verbose_name=_("claim")
    )
    exact = models.TextField(verbose_name=_("exact"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))

    class Meta:
        verbose_name = _("rejection")
        verbose_name_plural = _("rejections")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["article", "claim"], name="rejection_article_claim_idx")]

    def __str__(self):
        return f"Rejected: {self.exact[:60]} → {self.claim_id}"


class Scan(models.Model):
    """A background scan, for the page where someone waits for it: an article's (on import,
    after a correction, on request) or the archive's for one claim (new claim or wording)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Stopped with an error")

    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("article"),
    )
    claim = models.ForeignKey(
        Claim,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("claim"),
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status")
    )
    total = models.PositiveIntegerField(default=0, verbose_name=_("total"))
    done = models.PositiveIntegerField(default=0, verbose_name=_("done"))
    found = models.PositiveIntegerField(default=0, verbose_name=_("found"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Scan {self.pk} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))
