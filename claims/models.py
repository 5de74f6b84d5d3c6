import re
from datetime import datetime

from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from articles.text import shorten
from claims.anchoring import CONTEXT_LENGTH
from claims.desk_names import ANCHOR_PREFIX
from factcheck import search
from factcheck.sanitize import render_markdown


class Stance(models.TextChoices):
    ASSERTS = "asserts", _("Asserts")
    ATTRIBUTES = "attributes", _("Attributes")
    DISPUTES = "disputes", _("Disputes")


class Rating(models.TextChoices):
    TRUE = "true", _("True")
    MOSTLY_TRUE = "mostly_true", _("Mostly true")
    MIXED = "mixed", _("Mixed")
    MOSTLY_FALSE = "mostly_false", _("Mostly false")
    FALSE = "false", _("False")
    MISLEADING = "misleading", _("Misleading")
    UNPROVEN = "unproven", _("Unproven")


# ClaimReview ratingValue on a 1..5 scale; misleading and unproven have no number.
RATING_VALUES = {
    Rating.TRUE: 5,
    Rating.MOSTLY_TRUE: 4,
    Rating.MIXED: 3,
    Rating.MOSTLY_FALSE: 2,
    Rating.FALSE: 1,
}


class ClaimantType(models.TextChoices):
    """What kind of author the claimant is (schema.org: Person or Organization)."""

    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organization")


# When the desk has not said whether a claimant is a person or a body (Claim.claimant_type),
# these words in the name mark a body: the guess the desk form offers, and the fallback of
# the public ClaimReview (public.jsonld) for revisions published before the desk said.
_ORGANISATION_WORDS = re.compile(
    r"\b(kremlin|ministry|government|office|agency|party|council|committee|department|"
    r"embassy|press service|administration|army|forces|inc|ltd|company|news|media|post|"
    r"times|white house|parliament|duma|senate|congress|campaign)\b",
    re.IGNORECASE,
)


def guess_claimant_type(name: str) -> str:
    """A guess of ClaimantType from a claimant's name; "" when there is no name."""
    if not name:
        return ""
    if _ORGANISATION_WORDS.search(name):
        return ClaimantType.ORGANIZATION
    return ClaimantType.PERSON


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


def normalize_statement(text: str) -> str:
    """A claim's statement as stored: runs of whitespace collapsed to one space, trimmed."""
    return " ".join((text or "").split())


def statement_key(text: str) -> str:
    """What makes two statements the same claim: case- and whitespace-insensitive.

    Stored in ``Claim.key`` under a unique constraint, so the database, not a check before
    the insert, keeps claims unique (docs/architecture.md, "Claims").
    """
    return normalize_statement(text).casefold()


# An open verdict an editor may still change (not waiting for review).
EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)


# A claim the public can read has a published revision (``Claim.objects.published()``; the
# condition alone for an update that treats published claims apart: publishing.mark_changed).
PUBLISHED = Q(published_revision__isnull=False)


class ClaimQuerySet(models.QuerySet):
    def with_reach(self):
        """Kept for callers from before reach was stored: ``outlet_count`` and
        ``appearance_count`` are fields of the claim now, so there is nothing to count."""
        return self

    def refresh_reach(self) -> int:
        """Recount ``outlet_count`` and ``appearance_count`` of these claims from their live
        annotations (recomputed, never incremented, so a missed write heals on the next).

        The claims' rows are locked first, in a statement of their own: a recount waiting for
        another transaction's recount of the same claim then counts with what that one
        committed. (An UPDATE that waits on the row lock itself would count with the snapshot
        it started with, and leave the other transaction's highlight out.) ``no_key``: the
        highlights' foreign-key checks take key-share locks on the same rows, which must not
        block, or two editors saving on one claim would deadlock."""
        live = Annotation.objects.live().filter(claim=OuterRef("pk")).order_by()
        per_claim = live.values("claim")
        with transaction.atomic(savepoint=False):
            locked = self.order_by("pk").select_for_update(no_key=True, of=("self",))
            list(locked.values_list("pk", flat=True))
            return self.update(
                outlet_count=Coalesce(
                    Subquery(
                        per_claim.annotate(n=Count("article__outlet", distinct=True)).values("n")
                    ),
                    0,
                ),
                appearance_count=Coalesce(
                    Subquery(per_claim.annotate(n=Count("pk")).values("n")), 0
                ),
                # Whatever recounts the reach may have changed the appearances themselves.
                appearances_version=F("appearances_version") + 1,
            )

    def add_appearance(self, annotation) -> int:
        """``annotation``, just created and live, counted into the reach of its claim: what
        ``refresh_reach`` would count, without reading every appearance of the claim and
        its article (linear in the claim's reach, under the claim's lock, on every save).
        One appearance more; one outlet more unless the claim already appears in the
        article's outlet (a probe of that outlet's articles). The claim's row is locked
        first, as ``refresh_reach`` does, so the probe sees what a concurrent writer
        committed. Counts that went wrong (a write that sent no signal) are put right by
        the next whole recount: any highlight of the claim edited, deleted or re-anchored."""
        outlet_id = (
            annotation.article.outlet_id
            if Annotation.article.is_cached(annotation)
            else Article.objects.filter(pk=annotation.article_id).values_list("outlet_id")[0][0]
        )
        if outlet_id is None:
            new_outlet = Value(0)  # an article without an outlet counts in no outlet
        else:
            seen = Annotation.objects.live().filter(
                claim_id=annotation.claim_id, article__outlet_id=outlet_id
            )
            new_outlet = Case(
                When(Exists(seen.exclude(pk=annotation.pk)), then=Value(0)), default=Value(1)
            )
        claim = self.filter(pk=annotation.claim_id)
        with transaction.atomic(savepoint=False):
            list(claim.select_for_update(no_key=True).values_list("pk", flat=True))
            return claim.update(
                outlet_count=F("outlet_count") + new_outlet,
                appearance_count=F("appearance_count") + 1,
                appearances_version=F("appearances_version") + 1,
            )

    def with_current_verdict(self):
        """Each claim's current verdict (``Verdict.objects.current_for``) as subquery columns:
        ``current_id``, ``current_status``, ``current_rating``, ``current_updated``; and the
        rating the public reads, ``published_rating``, and when it was published,
        ``published_at`` (None when unpublished)."""
        current = Verdict.objects.current_first().filter(claim=OuterRef("pk"))
        return self.annotate(
            published_rating=F("published_revision__rating"),
            published_at=F("published_revision__published_at"),
            current_id=Subquery(current.values("pk")[:1]),
            current_status=Subquery(current.values("status")[:1]),
            current_rating=Subquery(current.values("rating")[:1]),
            current_updated=Subquery(current.values("updated_at")[:1]),
        )

    def published(self):
        """Claims the public can read: those with a published revision."""
        return self.filter(PUBLISHED)

    def with_key(self, statement: str):
        return self.filter(key=statement_key(statement))

    def search(self, text: str, *, prefix: bool = False):
        """Claims whose statement is similar to ``text``, annotated with ``rank`` (the share
        of words found): most of the words by stem in any order, or a misspelling of it
        (``factcheck.search.similar``; ``prefix`` for type-ahead). Empty text: every claim,
        without a rank."""
        if not search.clean_query(text):
            return self
        by_statement = search.similar(self, "statement", text, prefix=prefix)
        wordings = search.similar(ClaimWording.objects.all(), "text", text, prefix=prefix)
        # A wording in another language that matches finds its claim too, ranked by the
        # best of its statement and wordings.
        best_wording = Subquery(
            ClaimWording.objects.filter(claim=OuterRef("pk"))
            .annotate(rank=search.similarity_rank("text", text, prefix=prefix))
            .order_by("-rank")
            .values("rank")[:1]
        )
        return self.filter(
            Q(pk__in=by_statement.values("pk")) | Q(pk__in=wordings.values("claim_id"))
        ).annotate(
            rank=Greatest(
                search.similarity_rank("statement", text, prefix=prefix),
                Coalesce(best_wording, 0.0),
            )
        )

    def similar_to(self, claim: "Claim"):
        """Possible duplicates of ``claim``: other claims with a similar statement."""
        return self.search(claim.statement).exclude(pk=claim.pk)


class Claim(models.Model):
    statement = models.CharField(max_length=500, verbose_name=_("statement"))
    # statement_key(statement): unique, so one statement is one claim whoever types it.
    key = models.CharField(max_length=500, unique=True, editable=False, verbose_name=_("key"))
    slug = models.SlugField(
        max_length=120, unique=True, allow_unicode=False, verbose_name=_("slug")
    )
    claimant = models.CharField(
        max_length=200, blank=True, help_text=_("Who made the claim."), verbose_name=_("claimant")
    )
    # Blank: not said; ClaimReview then guesses from the name (guess_claimant_type).
    claimant_type = models.CharField(
        max_length=12,
        choices=ClaimantType.choices,
        blank=True,
        default="",
        verbose_name=_("claimant type"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # What the public reads: the latest published revision (docs/architecture.md,
    # "Publishing"). Set only by claims.services.publishing.
    published_revision = models.OneToOneField(
        "PublishedRevision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="current_of",
        verbose_name=_("published revision"),
    )
    # Something the public page shows (wording, appearances) changed since that revision.
    has_unpublished_changes = models.BooleanField(
        default=False, editable=False, verbose_name=_("has unpublished changes")
    )
    # Raised by every change to what the claim's appearances show: every recount of its reach
    # (``refresh_reach``: any highlight written or deleted, through any door, or an article
    # saved) and ``publishing.mark_changed`` (the desk's and the admin's changes). A key for
    # what is drawn from the appearances (the desk's spread timeline), so that "did they
    # change" costs nothing whatever the claim's reach.
    appearances_version = models.PositiveBigIntegerField(default=0, editable=False)
    # Reach, kept by claims.signals (and ClaimQuerySet.refresh_reach after bulk writes), so
    # that lists sort by it without counting the whole archive's annotations per request.
    outlet_count = models.PositiveIntegerField(_("outlets"), default=0, editable=False)
    appearance_count = models.PositiveIntegerField(_("appearances"), default=0, editable=False)
    # Who works on the claim now (docs/architecture.md, "Working together").
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
        verbose_name=_("assigned to"),
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["statement"]
        indexes = [
            models.Index(
                F("outlet_count").desc(),
                F("appearance_count").desc(),
                "statement",
                name="claim_reach_idx",
            ),
            # The desk's other sorts, so that a page costs the same at any archive size.
            models.Index(fields=["statement"], name="claim_statement_idx"),
            models.Index(fields=["-created_at", "-id"], name="claim_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(statement=""), name="claim_statement_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="claim_slug_not_empty"),
        ]

    def __str__(self):
        return self.statement

    def save(self, *args, **kwargs):
        self.statement = normalize_statement(self.statement)
        self.key = statement_key(self.statement)
        if kwargs.get("update_fields") is not None and "statement" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "key"}
        if not self.slug:
            self.slug = self.unique_slug(self.statement)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("claim_public", args=[self.slug])

    # Paths under /claims/ that are not claims.
    # Language codes too: Django's sitemap makes the x-default address by taking "/en/" out.
    RESERVED_SLUGS = frozenset({"feed", *(code for code, _name in settings.LANGUAGES)})

    @classmethod
    def unique_slug(cls, statement: str) -> str:
        base = slugify(statement)[:100].strip("-") or "claim"
        slug, n = base, 2
        while (
            slug in cls.RESERVED_SLUGS
            or cls.objects.filter(slug=slug).exists()
            or ClaimRedirect.objects.filter(slug=slug).exists()  # a merged claim's address
        ):
            slug, n = f"{base}-{n}", n + 1
        return slug


class AnnotationQuerySet(models.QuerySet):
    def live(self):
        """Annotations that point at words of their article's current text."""
        return self.filter(orphaned=False)

    def orphaned(self):
        return self.filter(orphaned=True)


class Annotation(models.Model):
    """One appearance of a claim: a highlighted span of an article's body.

    ``start``/``end`` are code-point offsets into ``article.body`` (W3C TextPositionSelector);
    ``exact``/``prefix``/``suffix`` are the TextQuoteSelector used to re-anchor after a
    correction. An annotation that could not be found again is ``orphaned``: kept, shown to
    editors, never silently moved.
    """

    CONTEXT_LENGTH = CONTEXT_LENGTH

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="annotations", verbose_name=_("article")
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="annotations", verbose_name=_("claim")
    )
    stance = models.CharField(max_length=12, choices=Stance.choices, verbose_name=_("stance"))
    start = models.PositiveIntegerField(verbose_name=_("start"))
    end = models.PositiveIntegerField(verbose_name=_("end"))
    exact = models.TextField(verbose_name=_("exact"))
    prefix = models.TextField(blank=True, verbose_name=_("prefix"))
    suffix = models.TextField(blank=True, verbose_name=_("suffix"))
    note = models.TextField(blank=True, help_text=_("Markdown."), verbose_name=_("note"))
    note_html = models.TextField(blank=True, editable=False, verbose_name=_("note html"))
    orphaned = models.BooleanField(default=False, verbose_name=_("orphaned"))
    # The quote in its sentence, for the lists of a claim's appearances: written with the
    # anchor, refreshed by corrections (claims.sentences.context_of).
    context = models.JSONField(default=dict, blank=True, editable=False, verbose_name=_("context"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="annotations",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        ordering = ["article_id", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(end__gt=F("start")),
                name="annotation_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="annotation_stance_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["claim", "article"]),
            # A claim's live highlights counted (its reach, recounted under the claim's lock
            # on every save) from the index alone, and its orphans found without reading
            # the live ones: a viral claim has thousands.
            models.Index(
                fields=["claim", "article"],
                condition=Q(orphaned=False),
                name="annotation_live_claim_idx",
            ),
            models.Index(
                fields=["claim"], condition=Q(orphaned=True), name="annotation_orphan_claim_idx"
            ),
        ]

    def __str__(self):
        return f"{shorten(self.exact, 60)} → {self.claim}"

    def get_absolute_url(self):
        return reverse("article_detail", args=[self.article_id]) + f"#{ANCHOR_PREFIX}{self.pk}"

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # The claim it was loaded with: when a save moves it to another claim, both recount.
        instance._loaded_claim_id = instance.__dict__.get("claim_id")
        return instance


class AnnotationChange(models.Model):
    """History of an annotation: every create, edit, re-anchoring and deletion."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        MOVED = "moved", _("Re-anchored")
        REANCHORED = "reanchored", _("Re-anchored with changes")
        ORPHANED = "orphaned", _("Orphaned")
        REATTACHED = "reattached", _("Re-attached")
        DELETED = "deleted", _("Deleted")

    # Kept after the annotation is deleted: the history outlives it.
    annotation = models.ForeignKey(
        Annotation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
        verbose_name=_("annotation"),
    )
    annotation_key = models.PositiveBigIntegerField(
        help_text=_("The annotation's id, kept after deletion."), verbose_name=_("annotation key")
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="annotation_changes",
        verbose_name=_("article"),
    )
    action = models.CharField(max_length=12, choices=Action.choices, verbose_name=_("action"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    before = models.JSONField(null=True, blank=True, verbose_name=_("before"))
    after = models.JSONField(null=True, blank=True, verbose_name=_("after"))

    class Meta:
        verbose_name = _("annotation change")
        verbose_name_plural = _("annotation changes")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} annotation {self.annotation_key}"


class ArticleCorrection(models.Model):
    """A correction of an article's text, with what happened to its annotations
    (claims.services.corrections). Written only by the desk, so it lives here, with the
    table it had in ``articles`` (migrations claims 0012 and articles 0006)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("article")
    )
    previous_body = models.TextField(verbose_name=_("previous body"))
    reason = models.TextField(verbose_name=_("reason"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    # One counter per re-anchoring outcome (claims.anchoring.Outcome), named alike.
    kept = models.PositiveIntegerField(default=0, verbose_name=_("kept"))
    moved = models.PositiveIntegerField(default=0, verbose_name=_("moved"))
    reanchored = models.PositiveIntegerField(
        default=0,
        help_text=_("Re-anchored with changes: a small edit inside the quote."),
        verbose_name=_("reanchored"),
    )
    orphaned = models.PositiveIntegerField(
        default=0, help_text=_("Their words are gone."), verbose_name=_("orphaned")
    )
    ambiguous = models.PositiveIntegerField(
        default=0,
        help_text=_("Orphaned because several places fit equally well."),
        verbose_name=_("ambiguous"),
    )

    class Meta:
        verbose_name = _("article correction")
        verbose_name_plural = _("article corrections")
        db_table = "articles_articlecorrection"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Correction of {self.article} at {self.created_at:%Y-%m-%d %H:%M}"

    def count(self, outcome: str) -> None:
        """Count one highlight that had ``outcome`` (kept, moved, reanchored, orphaned,
        ambiguous)."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> str:
        """What happened to the highlights, as the editor reads it after saving."""
        return _(
            "{kept} highlights kept, {moved} moved, {reanchored} re-anchored with changes, "
            "{orphaned} orphaned, {ambiguous} ambiguous"
        ).format(
            kept=self.kept,
            moved=self.moved,
            reanchored=self.reanchored,
            orphaned=self.orphaned,
            ambiguous=self.ambiguous,
        )


# Approved verdicts, newest first: the later approval, then the later row (Verdict.approval_key).
LATEST_APPROVED_FIRST = ("-approved_at", "-pk")


class VerdictQuerySet(models.QuerySet):
    """The rules of a claim's chain of verdicts, each written once.

    - *open*: not approved (draft, submitted, changes requested); at most one per claim.
    - *latest approved*: the verdict the last publication carried.
    - *current*: the open one if there is one, else the latest approved one. The desk works
      on the current verdict; the public reads the published revision, never a verdict row.
    """

    def approved(self):
        return self.filter(status=Status.APPROVED)

    def open(self):
        return self.exclude(status=Status.APPROVED)

    def open_for(self, claim) -> "Verdict | None":
        return self.open().filter(claim=claim).first()

    def latest_approved_for(self, claim) -> "Verdict | None":
        return self.approved().filter(claim=claim).order_by(*LATEST_APPROVED_FIRST).first()

    def current_first(self, *, per_claim: bool = False):
        """Ordered so that the first verdict of a claim is its current one (``per_claim``:
        claim by claim, for reading the current verdicts of many claims in one query)."""
        opened = Case(When(status=Status.APPROVED, then=0), default=1, output_field=IntegerField())
        order = ("-open_first", *LATEST_APPROVED_FIRST)
        if per_claim:
            order = ("claim_id", *order)
        return self.annotate(open_first=opened).order_by(*order)

    def current_for(self, claim) -> "Verdict | None":
        return self.current_first().filter(claim=claim).first()

    def open_by(self, user, *, limit: int):
        """The ``limit`` most recent open verdicts ``user`` wrote or last edited ("My
        drafts"), with their claims and people. The newest are picked among the verdicts
        alone before anything is joined: an editor with a thousand open drafts costs a sort
        of narrow rows, not a join of every draft with its claim."""
        order = ("-updated_at", "-pk")
        newest = (
            self.open()
            .filter(Q(author=user) | Q(last_edited_by=user))
            .order_by(*order)
            .values("pk")[:limit]
        )
        return (
            self.filter(pk__in=newest)
            .select_related("claim", "author", "last_edited_by")
            .order_by(*order)
        )


class Verdict(models.Model):
    """A rating of a claim with a summary and evidence.

    A claim's verdicts form a chain: the public sees the latest approved one; editing after
    approval starts a new draft (``supersedes`` points at the approved one it will replace).
    At most one verdict per claim is open (not approved) at a time. ``version`` increases on
    every write so that a stale form or a second reviewer is refused, not silently applied.
    """

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="verdicts", verbose_name=_("claim")
    )
    rating = models.CharField(max_length=12, choices=Rating.choices, verbose_name=_("rating"))
    summary = models.TextField(help_text=_("Markdown."), verbose_name=_("summary"))
    summary_html = models.TextField(blank=True, editable=False, verbose_name=_("summary html"))
    status = models.CharField(
        max_length=17, choices=Status.choices, default=Status.DRAFT, verbose_name=_("status")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="verdicts_written",
        verbose_name=_("author"),
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="verdicts_edited",
        verbose_name=_("last edited by"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verdicts_reviewed",
        verbose_name=_("reviewer"),
    )
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    correction_note = models.TextField(
        blank=True,
        help_text=_("Shown publicly when this verdict replaces an approved one."),
        verbose_name=_("correction note"),
    )
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    updated_at = models.DateTimeField(default=timezone.now, verbose_name=_("updated at"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("approved at"))

    objects = VerdictQuerySet.as_manager()

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        ordering = ["-created_at", "-id"]
        permissions = [("review_verdict", "Can approve verdicts or request changes")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__in=Rating.values), name="verdict_rating_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="verdict_status_valid"
            ),
            models.UniqueConstraint(
                fields=["claim"],
                condition=~Q(status="approved"),
                name="verdict_one_open_per_claim",
            ),
            models.CheckConstraint(
                condition=Q(status="approved", approved_at__isnull=False) | ~Q(status="approved"),
                name="verdict_approved_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "-approved_at"])]

    def __str__(self):
        return f"{self.claim}: {self.get_rating_display()} ({self.get_status_display()})"

    @property
    def rating_value(self) -> int | None:
        return RATING_VALUES.get(self.rating)

    @property
    def is_open(self) -> bool:
        return self.status != Status.APPROVED

    @property
    def approval_key(self) -> tuple:
        """Of two approved verdicts, the one with the greater key is the later: the order of
        ``LATEST_APPROVED_FIRST``, for verdicts already loaded."""
        return (self.approved_at, self.pk)

    def contributor_ids(self) -> set[int]:
        """Everyone who wrote this verdict or saved any version of it: none of them may
        approve it (four eyes by contribution, docs/architecture.md "Four eyes")."""
        saved = {version.saved_by_id for version in self.versions.all()}  # may be prefetched
        return {self.author_id, self.last_edited_by_id, *saved} - {None}


class EvidenceLink(models.Model):
    verdict = models.ForeignKey(
        Verdict, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("verdict")
    )
    url = models.URLField(max_length=2000, verbose_name=_("url"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    publisher = models.CharField(max_length=200, blank=True, verbose_name=_("publisher"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    position = models.PositiveIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__istartswith="http://") | Q(url__istartswith="https://"),
                name="evidence_url_http",
            )
        ]

    def __str__(self):
        return self.title


class VerdictTransition(models.Model):
    """Every change of a verdict's status: who, when, from, to, comment."""

    verdict = models.ForeignKey(
        Verdict, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("verdict")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    from_status = models.CharField(
        max_length=17, choices=Status.choices, blank=True, verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=17, choices=Status.choices, verbose_name=_("to status"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))

    class Meta:
        verbose_name = _("verdict transition")
        verbose_name_plural = _("verdict transitions")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


class VerdictVersion(models.Model):
    """Every saved version of a verdict's text, with who saved it: the four-eyes record and
    the history editors and reviewers read (with diffs) on the claim's desk page."""

    verdict = models.ForeignKey(
        Verdict, on_delete=models.CASCADE, related_name="versions", verbose_name=_("verdict")
    )
    number = models.PositiveIntegerField(
        help_text=_("1, 2, … within the verdict."), verbose_name=_("number")
    )
    rating = models.CharField(max_length=12, choices=Rating.choices, verbose_name=_("rating"))
    summary = models.TextField(verbose_name=_("summary"))
    correction_note = models.TextField(blank=True, verbose_name=_("correction note"))
    evidence = models.JSONField(
        default=list, help_text=_("[{url, title, publisher, note}, …]"), verbose_name=_("evidence")
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("saved by"),
    )
    saved_at = models.DateTimeField(default=timezone.now, verbose_name=_("saved at"))

    class Meta:
        verbose_name = _("verdict version")
        verbose_name_plural = _("verdict versions")
        ordering = ["verdict_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["verdict", "number"], name="verdict_version_unique")
        ]

    def __str__(self):
        return f"Version {self.number} of verdict {self.verdict_id}"


class ClaimChange(models.Model):
    """A change of a claim's wording or claimant: who, when, before and after."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="changes", verbose_name=_("claim")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    statement_before = models.CharField(max_length=500, verbose_name=_("statement before"))
    statement_after = models.CharField(max_length=500, verbose_name=_("statement after"))
    claimant_before = models.CharField(
        max_length=200, blank=True, verbose_name=_("claimant before")
    )
    claimant_after = models.CharField(max_length=200, blank=True, verbose_name=_("claimant after"))
    # Any other change to what the claim's public page shows, in words: the claimant's type,
    # or a detail of an article it quotes (title, date, URL, outlet) changed in the admin
    # (claims.services.sources). A contribution like a rewording (four eyes).
    note = models.CharField(max_length=2000, blank=True, verbose_name=_("note"))
    # Blank: the main wording (``Claim.statement``); else the language of a ``ClaimWording``
    # (before or after blank: the wording was added or removed).
    language = models.CharField(max_length=35, blank=True, default="", verbose_name=_("language"))

    class Meta:
        verbose_name = _("claim change")
        verbose_name_plural = _("claim changes")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"Claim {self.claim_id} changed at {self.at:%Y-%m-%d %H:%M}"


class ClaimWording(models.Model):
    """The claim in another language ("uk", "ru" …): one wording per language, changed
    through ``claims.services.wordings`` with its history in ``ClaimChange`` (``language``).
    Search (the type-ahead, the claims list, public search) and the claim radar match every
    wording as they match the statement."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="wordings", verbose_name=_("claim")
    )
    language = models.CharField(
        max_length=35, help_text=_("BCP 47 tag, e.g. uk, ru."), verbose_name=_("language")
    )
    text = models.CharField(max_length=500, verbose_name=_("text"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("claim wording")
        verbose_name_plural = _("claim wordings")
        ordering = ["claim_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "language"], name="claimwording_unique_language"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="claimwording_text_not_empty"),
        ]

    def __str__(self):
        return f"{self.language}: {self.text}"


class PublishedRevisionQuerySet(models.QuerySet):
    def current(self, slug: str | None = None):
        """The revision the public reads of every published claim (of the claim with ``slug``
        when given): the one its ``published_revision`` points at."""
        if slug is not None:
            return self.filter(current_of__slug=slug)  # the join itself asks for a claim
        return self.filter(is_current=True)


class PublishedRevision(models.Model):
    """A published fact check, frozen: exactly what the public reads, as two people approved
    it (docs/architecture.md, "Publishing"). Never changed after it is written; a change is
    published as the claim's next revision.

    ``appearances`` is a list of articles, each ``{"outlet", "title", "published_on"
    (ISO date or null), "imported_on", "url" (http(s) or ""), "language", "copy_of" (the
    outlet a syndicated copy copies, or ""), "quotes": [{"quote", "stance"}]}``,
    in date order; ``evidence`` a list of ``{"url", "title", "publisher", "note"}``.
    """

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("claim")
    )
    number = models.PositiveIntegerField(verbose_name=_("number"))
    verdict = models.ForeignKey(
        Verdict,
        null=True,
        on_delete=models.SET_NULL,
        related_name="publications",
        verbose_name=_("verdict"),
    )
    slug = models.SlugField(max_length=120, verbose_name=_("slug"))
    statement = models.CharField(max_length=500, verbose_name=_("statement"))
    claimant = models.CharField(max_length=200, blank=True, verbose_name=_("claimant"))
    claimant_type = models.CharField(
        max_length=12,
        choices=ClaimantType.choices,
        blank=True,
        default="",
        verbose_name=_("claimant type"),
    )
    rating = models.CharField(max_length=12, choices=Rating.choices, verbose_name=_("rating"))
    summary_html = models.TextField(verbose_name=_("summary html"))
    summary_text = models.TextField(
        help_text=_("The summary as plain text: excerpts, search."), verbose_name=_("summary text")
    )
    correction_note = models.TextField(blank=True, verbose_name=_("correction note"))
    update_note = models.TextField(
        blank=True, help_text=_("Shown publicly in the update log."), verbose_name=_("update note")
    )
    evidence = models.JSONField(default=list, verbose_name=_("evidence"))
    appearances = models.JSONField(default=list, verbose_name=_("appearances"))
    # The claim's wordings in other languages when published ({"uk": "…"}): the public page
    # shows the reader's (public.selectors.pages.fact_check_page).
    wordings = models.JSONField(default=dict, blank=True, verbose_name=_("wordings"))
    # The wordings' texts, one a line: what the public search reads of them (on PostgreSQL
    # through the stored ``search_vector``, migration ``claims 0021_public_search``).
    wordings_text = models.TextField(blank=True, default="", editable=False)
    outlet_count = models.PositiveIntegerField(default=0, verbose_name=_("outlet count"))
    # len(appearances), kept so that a page counts them without reading the JSON.
    article_count = models.PositiveIntegerField(default=0, editable=False)
    rating_changed = models.BooleanField(default=False, verbose_name=_("rating changed"))
    wording_changed = models.BooleanField(default=False, verbose_name=_("wording changed"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(verbose_name=_("published at"))
    first_published_at = models.DateTimeField(verbose_name=_("first published at"))
    # The revision its claim's ``published_revision`` points at (the public reads it): the
    # one mutable column of a revision, kept by ``publishing.publish_revision`` and merges, so
    # that the public search reads current statements through partial indexes.
    # tests/claims/test_current_revision.py holds it equal to the pointer.
    is_current = models.BooleanField(default=False, editable=False)
    # The claim's ``appearances_version`` when this revision was written (None: published
    # before it was kept): equal to the claim's now, the appearances are as published, which
    # the desk learns without reading them.
    appearances_version = models.PositiveBigIntegerField(null=True, editable=False)

    objects = PublishedRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("published revision")
        verbose_name_plural = _("published revisions")
        ordering = ["claim_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="revision_number_unique"),
            models.CheckConstraint(
                condition=Q(rating__in=Rating.values), name="revision_rating_valid"
            ),
        ]
        indexes = [models.Index(fields=["-first_published_at"])]

    def __str__(self):
        return f"{self.statement} (revision {self.number})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A published revision is never changed; publish a new one.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("claim_public", args=[self.slug])

    def get_rating_display(self) -> str:
        return Rating(self.rating).label

    @property
    def rating_value(self) -> int | None:
        return RATING_VALUES.get(self.rating)

    @property
    def is_update(self) -> bool:
        return self.number > 1

    @property
    def shows_in_update_log(self) -> bool:
        return self.is_update and (
            self.rating_changed or self.wording_changed or bool(self.update_note)
        )


class RecordEncoder(DjangoJSONEncoder):
    """JSON for records kept verbatim: dates and times to the microsecond (Django's encoder
    cuts them to milliseconds, for JavaScript), so they read back exactly as they were."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class ClaimMerge(models.Model):
    """A claim merged into another (``claims.services.claims.claim_merge``): the source is
    gone, everything it had moved to ``target``; this row is what is left of it.

    ``source_revisions`` keeps the source's published record: every ``PublishedRevision`` it
    had, each field as it was, in ``django.core.serializers``' python format (newest first;
    empty when it was never published, or was merged before the record was kept). It is
    read back with ``archived_revisions`` and shown on the desk only (docs/architecture.md,
    "Merging"). A migration that renames or reshapes a field of ``PublishedRevision`` must
    rewrite these too; a field since removed is left out when they are read.
    """

    target = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="merges", verbose_name=_("target")
    )
    source_key = models.PositiveBigIntegerField(
        help_text=_("The merged claim's id (its desk URL)."), verbose_name=_("source key")
    )
    source_statement = models.CharField(max_length=500, verbose_name=_("source statement"))
    source_slug = models.SlugField(max_length=120, verbose_name=_("source slug"))
    source_was_published = models.BooleanField(
        default=False, verbose_name=_("source was published")
    )
    annotations_moved = models.PositiveIntegerField(default=0, verbose_name=_("annotations moved"))
    verdicts_moved = models.PositiveIntegerField(default=0, verbose_name=_("verdicts moved"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    # A published source's merge was proposed by one reviewer and confirmed by ``user``.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    source_revisions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        encoder=RecordEncoder,
        help_text=_("The merged claim's published revisions, serialized (read-only record)."),
        verbose_name=_("source revisions"),
    )
    # What the reviewers chose for each moving highlight whose stance changed or that was
    # dropped: [{"annotation", "exact", "outlet", "before", "after"}], "after" a stance or
    # "drop" (docs/architecture.md, "Merging").
    highlight_choices = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("claim merge")
        verbose_name_plural = _("claim merges")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["source_key"])]

    def __str__(self):
        return f"“{self.source_statement}” merged into claim {self.target_id}"

    @staticmethod
    def archive(revisions) -> list[dict]:
        """``revisions`` (published revisions) as ``source_revisions`` keeps them."""
        return serializers.serialize("python", revisions)

    def choices_shown(self) -> list[dict]:
        """``highlight_choices`` with the stances' labels ("" after: dropped)."""
        labels = dict(Stance.choices)
        return [
            {
                **entry,
                "before_label": labels.get(entry.get("before"), entry.get("before")),
                "after_label": labels.get(entry.get("after"), ""),
            }
            for entry in self.highlight_choices or []
        ]

    def archived_revisions(self) -> list[PublishedRevision]:
        """The kept revisions as unsaved ``PublishedRevision`` instances, newest first: to
        read, never to save (their claim is gone, and ``save`` refuses a revision with an
        id). Their foreign keys are ids only; nothing here touches the database."""
        revisions = [
            item.object
            for item in serializers.deserialize(
                "python", self.source_revisions, ignorenonexistent=True
            )
        ]
        return sorted(revisions, key=lambda revision: revision.number, reverse=True)


class MergeProposal(models.Model):
    """A reviewer's proposal to merge a published claim into another: nothing moves, and the
    source keeps serving its published revision, until a second reviewer confirms it
    (``claims.services.claims.claim_merge``; docs/architecture.md, "Merging"). One per
    source: a new proposal replaces the old."""

    source = models.OneToOneField(
        Claim, on_delete=models.CASCADE, related_name="merge_proposal", verbose_name=_("source")
    )
    target = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="+", verbose_name=_("target")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    # The proposer's choice for moving highlights: {"<annotation id>": stance or "drop"},
    # only those that change; the confirming reviewer sees and confirms exactly these.
    choices = models.JSONField(default=dict, blank=True, verbose_name=_("choices"))

    class Meta:
        verbose_name = _("merge proposal")
        verbose_name_plural = _("merge proposals")

    def __str__(self):
        return f"Merge claim {self.source_id} into claim {self.target_id} (proposed)"


class RoleGrant(models.Model):
    """A user given the reviewer's powers (added to Reviewers, given the review permission,
    or made a superuser), from any door: recorded by ``claims.signals``. Until another
    superuser confirms it, or ``REVIEWER_COOLING_OFF`` has passed, they may not approve,
    publish or merge (``claims.policy.reviewer_hold``; README, "Security")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("user"),
    )
    granted_at = models.DateTimeField(default=timezone.now, verbose_name=_("granted at"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granted by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmed at"))

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        ordering = ["-granted_at", "-id"]

    def __str__(self):
        return f"Reviewer powers for user {self.user_id} at {self.granted_at:%Y-%m-%d %H:%M}"


class ClaimRedirect(models.Model):
    """An old public address of a claim (a merged claim's slug) → the claim it now is.
    Consulted only when no published claim has the slug."""

    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("claim")
    )

    class Meta:
        verbose_name = _("claim redirect")
        verbose_name_plural = _("claim redirects")

    def __str__(self):
        return f"/claims/{self.slug}/ → claim {self.claim_id}"


class Comment(models.Model):
    """A message in a thread on the desk — the claim's, or one verdict's (``verdict`` set,
    a verdict of the same claim) — in Markdown, sanitised once on write, with the users it
    mentions (@username)."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="comments", verbose_name=_("claim")
    )
    verdict = models.ForeignKey(
        Verdict,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("verdict"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(help_text=_("Markdown."), verbose_name=_("body"))
    body_html = models.TextField(editable=False, verbose_name=_("body html"))
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("mentions")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self):
        if self.verdict_id:
            return f"Comment {self.pk} on verdict {self.verdict_id} of claim {self.claim_id}"
        return f"Comment {self.pk} on claim {self.claim_id}"


class NotificationPreference(models.Model):
    """A desk member's notification settings; no row means the defaults (mail on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email = models.BooleanField(
        default=True,
        help_text=_("Send me e-mail about reviews, mentions and assignments."),
        verbose_name=_("email"),
    )
    # The desk's language for this person (a code of settings.LANGUAGES); blank: the
    # browser's choice (factcheck.middleware.person_language).
    language = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"Notifications of {self.user_id}: {'on' if self.email else 'off'}"


def default_language() -> str:
    return settings.LANGUAGE_CODE


class Page(models.Model):
    """A public page about the desk itself (about, methodology, rating scale), written by
    admins in Markdown; the sanitised HTML is rendered once, on save."""

    class Slug(models.TextChoices):
        ABOUT = "about", _("About")
        METHODOLOGY = "methodology", _("Methodology")
        RATINGS = "ratings", _("Rating scale")

    slug = models.SlugField(max_length=40, choices=Slug.choices, verbose_name=_("slug"))
    # One page per slug and language; the public site shows the reader's language, else
    # the default language's (public.selectors.pages.public_page).
    language = models.CharField(max_length=10, default=default_language, verbose_name=_("language"))
    title = models.CharField(max_length=200, verbose_name=_("title"))
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("One sentence for search engines and link previews."),
        verbose_name=_("description"),
    )
    body = models.TextField(help_text=_("Markdown."), verbose_name=_("body"))
    body_html = models.TextField(blank=True, editable=False, verbose_name=_("body html"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["slug", "language"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="page_unique_language")
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The page's title is its only h1: sections start at h2 (render_markdown makes
        # h1 and h2 into h3 for text inside other pages).
        self.body_html = re.sub(r"<(/?)h3>", r"<\1h2>", render_markdown(self.body))
        if kwargs.get("update_fields") is not None and "body" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse(f"page_{self.slug}")

    # Pages whose change needs a second person: the rating scale defines every rating.
    REVIEWED = frozenset({Slug.RATINGS})


class PageRevision(models.Model):
    """Every text a page had or is proposed to have (``claims.services.pages``): who wrote
    it and, for a reviewed page, who approved it. A revision not yet approved changes
    nothing public."""

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("page")
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    description = models.CharField(max_length=300, blank=True, verbose_name=_("description"))
    body = models.TextField(verbose_name=_("body"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(default=timezone.now, verbose_name=_("written at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("approved at"))

    class Meta:
        verbose_name = _("page revision")
        verbose_name_plural = _("page revisions")
        ordering = ["-written_at", "-id"]

    def __str__(self):
        state = "applied" if self.approved_at else "waiting for a second person"
        return f"{self.title} ({self.written_at:%Y-%m-%d %H:%M}, {state})"
