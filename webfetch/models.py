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

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="queued_urls")
    position = models.PositiveIntegerField()
    url = models.URLField(max_length=2000)

    class Meta:
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

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=2000, unique=True)
    active = models.BooleanField(default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Conditional GET: what the server said last time.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # Health, shown on the desk.
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0, help_text="Failed polls in a row.")
    next_poll_at = models.DateTimeField(null=True, blank=True)
    articles_found = models.PositiveIntegerField(default=0)

    objects = FeedQuerySet.as_manager()

    class Meta:
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

    url = models.URLField(max_length=2000, db_index=True)
    requested_at = models.DateTimeField(default=timezone.now)
    fetched_at = models.DateTimeField(null=True, blank=True)
    # A snapshot that could not be taken keeps the reason and nothing else.
    error = models.TextField(blank=True)
    status = models.PositiveIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    raw = models.BinaryField(blank=True, default=b"", editable=False)  # zlib
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # Set when a published revision records it: only then may the public read it.
    published = models.BooleanField(default=False)

    class Meta:
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

    url = models.URLField(max_length=2000, unique=True)
    checked_at = models.DateTimeField(default=timezone.now)
    dead = models.BooleanField(default=False)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["url"]

    def __str__(self):
        return f"{self.url}: {'dead' if self.dead else 'alive'}"
