import zlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import ImportBatch, Outlet


class QueuedUrl(models.Model):
    """An address of a desk or admin web import, waiting for the worker (webfetch.tasks);
    deleted once its batch has run."""

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="queued_urls", verbose_name=_("batch")
    )
    position = models.PositiveIntegerField(verbose_name=_("position"))
    url = models.URLField(max_length=2000, verbose_name=_("url"))

    class Meta:
        verbose_name_plural = _("web imports")
        ordering = ["batch_id", "position"]
        verbose_name = _("web import")
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="queued_url_position")
        ]

    def __str__(self):
        return self.url


class FeedQuerySet(models.QuerySet):
    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(active=True).filter(
            Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
        )


class Feed(models.Model):
    """An outlet's RSS, Atom or JSON Feed, polled by the worker (README, "Feeds")."""

    outlet = models.ForeignKey(
        Outlet, on_delete=models.CASCADE, related_name="feeds", verbose_name=_("outlet")
    )
    url = models.URLField(max_length=2000, unique=True, verbose_name=_("url"))
    active = models.BooleanField(default=True, verbose_name=_("active"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    # Conditional GET: what the server said last time.
    etag = models.CharField(max_length=500, blank=True, verbose_name=_("etag"))
    last_modified = models.CharField(max_length=100, blank=True, verbose_name=_("last modified"))
    # Health, shown on the desk.
    last_polled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last polled at"))
    last_success_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last success at"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    last_error_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last error at"))
    failures = models.PositiveIntegerField(
        default=0, help_text=_("Failed polls in a row."), verbose_name=_("failures")
    )
    next_poll_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next poll at"))
    articles_found = models.PositiveIntegerField(default=0, verbose_name=_("articles found"))

    objects = FeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
        ordering = ["outlet__name", "url"]

    def __str__(self):
        return self.url

    @property
    def healthy(self) -> bool:
        return self.failures == 0

    def backoff(self) -> timedelta:
        """How long to wait before the next poll: the schedule, doubled for each failure in
        a row, at most FEED_MAX_BACKOFF_HOURS."""
        base = timedelta(minutes=settings.FEED_POLL_MINUTES)
        return min(
            base * 2 ** min(self.failures, 16), timedelta(hours=settings.FEED_MAX_BACKOFF_HOURS)
        )


class EvidenceSnapshot(models.Model):
    """A piece of evidence as it was when archived: one per fetch of an address."""

    url = models.URLField(max_length=2000, db_index=True, verbose_name=_("url"))
    requested_at = models.DateTimeField(default=timezone.now, verbose_name=_("requested at"))
    fetched_at = models.DateTimeField(null=True, blank=True, verbose_name=_("fetched at"))
    # A snapshot that could not be taken keeps the reason and nothing else.
    error = models.TextField(blank=True, verbose_name=_("error"))
    status = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("status"))
    final_url = models.URLField(max_length=2000, blank=True, verbose_name=_("final url"))
    content_type = models.CharField(max_length=100, blank=True, verbose_name=_("content type"))
    title = models.CharField(max_length=500, blank=True, verbose_name=_("title"))
    text = models.TextField(blank=True, verbose_name=_("text"))
    raw = models.BinaryField(blank=True, default=b"", editable=False)  # zlib
    size = models.PositiveIntegerField(default=0, verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("sha256"))
    # Set when a published revision records it: only then may the public read it.
    published = models.BooleanField(default=False, verbose_name=_("published"))

    class Meta:
        verbose_name = _("evidence snapshot")
        verbose_name_plural = _("evidence snapshots")
        ordering = ["-requested_at", "-id"]
        get_latest_by = "requested_at"

    def __str__(self):
        return f"{self.url} ({self.requested_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("evidence_snapshot", args=[self.pk])

    @property
    def ok(self) -> bool:
        return not self.error

    def raw_bytes(self) -> bytes:
        return zlib.decompress(bytes(self.raw)) if self.raw else b""


class EvidenceCheck(models.Model):
    """The latest check that an evidence address still answers (the periodic dead-link
    check): one row per address."""

    url = models.URLField(max_length=2000, unique=True, verbose_name=_("url"))
    checked_at = models.DateTimeField(default=timezone.now, verbose_name=_("checked at"))
    dead = models.BooleanField(default=False, verbose_name=_("dead"))
    reason = models.TextField(blank=True, verbose_name=_("reason"))

    class Meta:
        verbose_name = _("evidence check")
        verbose_name_plural = _("evidence checks")
        ordering = ["url"]

    def __str__(self):
        return f"{self.url}: {'dead' if self.dead else 'alive'}"
