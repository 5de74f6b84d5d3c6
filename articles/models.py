from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Left
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.text import content_hash
from factcheck import search
from factcheck.sanitize import is_http_url

# The SQLite search fallback looks this far into a body (PostgreSQL indexes far more).
SQLITE_BODY_CHARS = 100_000


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    domain = models.CharField(
        max_length=253,
        blank=True,
        default="",
        help_text=_("e.g. online.ua; unique when known."),
        verbose_name=_("domain"),
    )

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain"], condition=~Q(domain=""), name="outlet_domain_unique_when_known"
            )
        ]

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def needing_metadata(self):
        return self.filter(Q(outlet__isnull=True) | Q(title="") | Q(published_on__isnull=True))

    def search(self, text: str):
        """Articles matching ``text`` (see factcheck.search), in no particular order: on
        PostgreSQL a full-text match against the indexed ``search_vector``; on SQLite every
        word in the title or the first ``SQLITE_BODY_CHARS`` of the body. ``best_matches``
        reads a page of them in order."""
        text = search.clean_query(text)
        if not text:
            return self
        if search.is_postgres():
            return self.alias(search_vector=search.TableColumn("search_vector")).filter(
                search_vector=search.websearch(text)
            )
        return self.alias(body_head=Left("body", SQLITE_BODY_CHARS)).filter(
            search.all_words_in(["title", "body_head"], text)
        )

    def best_matches(self, text: str, start: int, stop: int) -> list:
        """The matches of ``text`` from ``start`` to ``stop`` (excluded), best first. On
        PostgreSQL articles whose title matches come first, then the others, each newest
        first (the desk's order); each part is read by walking ``article_desk_order_idx`` and
        stops at ``stop``, so a common word costs a page, not a ranking of every match (a
        rare one is found through the GIN indexes: the planner's choice, with no setting
        switched). On SQLite every match newest first."""
        text = search.clean_query(text)
        order = Article._meta.ordering
        if not (text and search.is_postgres()):
            return list(self.search(text).order_by(*order)[start:stop])
        query = search.websearch(text)
        columns = self.alias(
            search_vector=search.TableColumn("search_vector"),
            search_title=search.TableColumn("search_title"),
        )
        titles = columns.filter(search_title=query).order_by(*order)
        found = list(titles[start:stop])
        if len(found) == stop - start:
            return found
        # Fewer title matches than the page holds: the rest of the page is body matches.
        title_total = start + len(found) if found or start == 0 else titles.count()
        others = columns.filter(search_vector=query).exclude(search_title=query).order_by(*order)
        offset = max(0, start - title_total)
        return found + list(others[offset : offset + stop - start - len(found)])


class Article(models.Model):
    outlet = models.ForeignKey(
        Outlet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("outlet"),
    )
    title = models.CharField(max_length=500, blank=True, verbose_name=_("title"))
    url = models.URLField(max_length=2000, blank=True, verbose_name=_("url"))
    published_on = models.DateField(null=True, blank=True, verbose_name=_("published on"))
    language = models.CharField(
        max_length=35,
        blank=True,
        help_text=_("BCP 47 tag, e.g. en, uk."),
        verbose_name=_("language"),
    )
    authors = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("As the page names them."),
        verbose_name=_("authors"),
    )
    # The canonical text: offsets of annotations are code points into it.
    body = models.TextField(verbose_name=_("body"))
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    # What arrived: the file's name, its bytes' hash, the encoding it was read in and the
    # decoded text before normalisation, so nothing of the original is lost.
    source_filename = models.CharField(
        max_length=255, blank=True, verbose_name=_("source filename")
    )
    source_sha256 = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("source sha256")
    )
    source_encoding = models.CharField(max_length=40, blank=True, verbose_name=_("source encoding"))
    source_text = models.TextField(blank=True, verbose_name=_("source text"))
    # An article read from the web (webfetch): the address asked for, the page's canonical
    # address, the fetched HTML (zlib-compressed) and when it was fetched; source_sha256 is
    # then the hash of the fetched bytes. Either address already stored is a duplicate.
    source_url = models.URLField(
        max_length=2000, blank=True, db_index=True, verbose_name=_("source url")
    )
    canonical_url = models.URLField(
        max_length=2000, blank=True, db_index=True, verbose_name=_("canonical url")
    )
    source_html = models.BinaryField(blank=True, default=b"", editable=False)
    fetched_at = models.DateTimeField(null=True, blank=True, verbose_name=_("fetched at"))
    # A near-duplicate of an article stored before it (README, "Copies of one story"): the
    # same story republished, at least COPY_SHARE of its word shingles found in the original.
    copy_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        verbose_name=_("copy of"),
    )
    # The texts, each as long as the article: what lists and reports leave deferred.
    TEXTS = ("body", "source_text", "source_html")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(default=timezone.now, verbose_name=_("imported at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_on", "-imported_at", "-id"]
        indexes = [
            models.Index(fields=["published_on"]),
            # The desk list's order, so that its first page reads 50 rows, not the archive.
            models.Index(
                fields=["-published_on", "-imported_at", "-id"], name="article_desk_order_idx"
            ),
        ]

    def __str__(self):
        return self.title or self.source_filename or f"Article {self.pk}"

    def save(self, *args, **kwargs):
        self.content_hash = content_hash(self.body)
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "content_hash"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("article_detail", args=[self.pk])

    @property
    def safe_url(self) -> str:
        """The original URL when it is a plain http(s) link, else "": never render another."""
        return self.url if is_http_url(self.url) else ""

    @property
    def missing_metadata(self) -> list[str]:
        """What the article still lacks of the metadata the desk shows."""
        missing = [
            ("outlet", self.outlet_id is None),
            ("title", not self.title),
            ("date", self.published_on is None),
        ]
        return [name for name, absent in missing if absent]

    @property
    def needs_metadata(self) -> bool:
        return bool(self.missing_metadata)


class ImportBatch(models.Model):
    """One run of the importer (command or admin upload): who, when, and each file's outcome.

    An admin upload is queued and run by the worker (articles/tasks.py), which counts each
    file as it goes; the command runs at once.
    """

    class Via(models.TextChoices):
        COMMAND = "command", _("Command line")
        ADMIN = "admin", _("Admin upload")
        WEB = "web", _("From the web")
        FEED = "feed", _("Outlet's feed")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Stopped with an error")

    via = models.CharField(max_length=10, choices=Via.choices, verbose_name=_("via"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status")
    )
    # Why the run stopped, when it did; the files done before are kept and listed.
    error = models.TextField(blank=True, verbose_name=_("error"))
    started_at = models.DateTimeField(default=timezone.now, verbose_name=_("started at"))
    # The last sign of life from the worker: set after every file.
    progress_at = models.DateTimeField(null=True, blank=True, verbose_name=_("progress at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    # Files to import, known once the uploads (and the zips in them) have been listed.
    total = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("total"))
    imported = models.PositiveIntegerField(default=0, verbose_name=_("imported"))
    duplicates = models.PositiveIntegerField(default=0, verbose_name=_("duplicates"))
    failed = models.PositiveIntegerField(default=0, verbose_name=_("failed"))

    class Meta:
        verbose_name = _("import batch")
        ordering = ["-started_at", "-id"]
        verbose_name_plural = _("import batches")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="import_batch_status_valid",
            )
        ]

    def __str__(self):
        return f"Import {self.pk} ({self.get_via_display()}, {self.started_at:%Y-%m-%d %H:%M})"

    @property
    def done(self) -> int:
        return self.imported + self.duplicates + self.failed

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    # Queued for this long with no worker taking it: the page says the worker may not run.
    UNPICKED_AFTER = timedelta(minutes=1)
    # Running with no progress for this long: the worker seems to have stopped.
    STALLED_AFTER = timedelta(minutes=5)

    @property
    def quiet_since(self):
        """Since when nothing has happened: queued (or queued again) or the last file done."""
        return self.progress_at or self.started_at

    @property
    def unpicked(self) -> bool:
        """Queued, and no worker has taken it for ``UNPICKED_AFTER`` (none may be running)."""
        return (
            self.status == self.Status.QUEUED
            and timezone.now() - self.quiet_since > self.UNPICKED_AFTER
        )

    @property
    def stalled(self) -> bool:
        """Taken by a worker that has shown no progress for ``STALLED_AFTER``."""
        return (
            self.status == self.Status.RUNNING
            and timezone.now() - self.quiet_since > self.STALLED_AFTER
        )


def _upload_path(upload: "ImportUpload", filename: str) -> str:
    return f"imports/{upload.batch_id}/{upload.position:04d}-{filename}"


class ImportUpload(models.Model):
    """A file of an admin upload, kept under MEDIA_ROOT until its batch has run (README,
    "Background imports"); the worker reads it from there."""

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="uploads", verbose_name=_("batch")
    )
    position = models.PositiveIntegerField(verbose_name=_("position"))
    name = models.CharField(max_length=255, verbose_name=_("name"))
    file = models.FileField(upload_to=_upload_path, max_length=500, verbose_name=_("file"))

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="import_upload_position")
        ]

    def __str__(self):
        return self.name


class ImportRecord(models.Model):
    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        DUPLICATE = "duplicate", _("Duplicate")
        UPDATED = "updated", _("Updated (metadata completed)")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="records", verbose_name=_("batch")
    )
    filename = models.CharField(max_length=1000, verbose_name=_("filename"))
    outcome = models.CharField(max_length=10, choices=Outcome.choices, verbose_name=_("outcome"))
    reason = models.TextField(blank=True, verbose_name=_("reason"))
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_records",
        verbose_name=_("article"),
    )

    class Meta:
        verbose_name = _("import record")
        verbose_name_plural = _("import records")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["imported", "duplicate", "updated", "failed"]),
                name="import_record_outcome_valid",
            )
        ]

    def __str__(self):
        return f"{self.filename}: {self.outcome}"


class ArticleShingle(models.Model):
    """One of an article's SKETCH_SIZE smallest word-shingle hashes (a bottom-k sketch): how
    the import finds the stored articles a new one may be a copy of, in one indexed query,
    before comparing their texts (articles.importing, "Copies of one story")."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="shingles", verbose_name=_("article")
    )
    hash = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "hash"], name="article_shingle_unique")
        ]

    def __str__(self):
        return f"{self.article_id}: {self.hash}"
