"""The desk's reads for one claim: its appearances by outlet, its verdicts with every saved
version, its wording history, what is waiting to be published, and the claims merged into it
(with the published record each kept)."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import groupby, pairwise
from operator import attrgetter

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, F, Q

from articles.models import Article
from claims.models import (
    EDITABLE_STATUSES,
    Annotation,
    Claim,
    ClaimChange,
    ClaimMerge,
    Comment,
    NotificationPreference,
    PublishedRevision,
    Stance,
    Status,
    Verdict,
    VerdictTransition,
    VerdictVersion,
)
from claims.selectors.public import APPEARANCES_SHOWN, Appearance, JSONLength, appearance
from claims.sentences import QuoteInSentence, stored_context
from claims.services.claims import merge_refusal
from claims.services.publishing import PendingChanges, contributor_ids, pending_changes
from factcheck import roles
from factcheck.sanitize import markdown_text, render_markdown

_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``old`` → ``new`` word by word, as ("same" | "removed" | "added" | "gap", text) runs.

    A "gap" (a space, in neither text) parts a removed run from the added run right after
    it when they would touch word to word: "the" → "The" reads "<del>the</del> <ins>The</ins>",
    not "theThe". Templates show a gap's text as it is."""
    a, b = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    runs = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(("same", "".join(a[i1:i2])))
            continue
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if removed:
            runs.append(("removed", removed))
        if removed and added and not removed[-1].isspace() and not added[0].isspace():
            runs.append(("gap", " "))
        if added:
            runs.append(("added", added))
    return runs


# The desk claim page lists a claim's appearances this many at a time, by outlet; its
# orphaned ones, the first ORPHANS_SHOWN (and how many there are).
APPEARANCES_PER_PAGE = 50
ORPHANS_SHOWN = 20


@dataclass
class AppearancePage:
    """One page of a claim's live appearances, grouped by outlet (``groups``: each outlet on
    the page with its appearances there, and its stances and articles over the whole
    claim), and the claim's orphaned appearances (the first ORPHANS_SHOWN)."""

    groups: list[dict]
    number: int
    pages: int
    total: int  # live appearances (Claim.appearance_count)
    outlets: int  # outlets they are in (Claim.outlet_count)
    orphans: list[Annotation]
    orphan_total: int

    @property
    def has_other_pages(self) -> bool:
        return self.pages > 1


def claim_appearances(claim: Claim, page: int | None = 1) -> AppearancePage:
    """A page of the claim's appearances by outlet, with each one's sentence as stored with
    the highlight (``Annotation.context``): no article body is read. Four queries and at
    most APPEARANCES_PER_PAGE + ORPHANS_SHOWN highlights whatever the claim's reach: the
    page, its outlets' stances and articles over the claim, the orphans and their count.
    The counts come from the claim's row (its reach, kept by signals)."""
    pages = max(1, -(-claim.appearance_count // APPEARANCES_PER_PAGE))
    number = min(max(1, page or 1), pages)
    offset = (number - 1) * APPEARANCES_PER_PAGE
    annotations = list(
        Annotation.objects.live()
        .filter(claim=claim)
        .select_related("article__outlet", "author")
        .defer(*(f"article__{name}" for name in Article.TEXTS))
        .order_by(
            F("article__outlet__name").asc(nulls_last=True),
            "article__outlet_id",
            F("article__published_on").desc(nulls_last=True),
            "article_id",
            "start",
            "pk",
        )[offset : offset + APPEARANCES_PER_PAGE]
    )
    for annotation in annotations:
        context = annotation.context
        annotation.in_sentence = (
            stored_context(context) if context else QuoteInSentence("", annotation.exact, "")
        )
    summary = _outlet_summary(claim, {a.article.outlet_id for a in annotations})
    groups = []
    for outlet, items in groupby(annotations, key=lambda a: a.article.outlet):
        counts = summary.get(outlet.pk if outlet else None, {})
        groups.append(
            {
                "outlet": outlet,
                "annotations": list(items),
                "articles": counts.get("articles", 0),
                "stances": [
                    (value, label, counts[value])
                    for value, label in Stance.choices
                    if counts.get(value)
                ],
            }
        )
    orphaned = (
        Annotation.objects.orphaned()
        .filter(claim=claim)
        .select_related("article__outlet")
        .defer(*(f"article__{name}" for name in Article.TEXTS))
        .order_by("article_id", "start", "pk")
    )
    return AppearancePage(
        groups=groups,
        number=number,
        pages=pages,
        total=claim.appearance_count,
        outlets=claim.outlet_count,
        orphans=list(orphaned[:ORPHANS_SHOWN]),
        orphan_total=orphaned.count(),
    )


def _outlet_summary(claim: Claim, outlet_ids: set) -> dict:
    """outlet id → {stance: appearances, "articles": articles} over the whole claim, for the
    outlets on one page (one query)."""
    if not outlet_ids:
        return {}
    known = {pk for pk in outlet_ids if pk is not None}
    where = Q(article__outlet_id__in=known)
    if None in outlet_ids:
        where |= Q(article__outlet_id__isnull=True)
    rows = (
        Annotation.objects.live()
        .filter(where, claim=claim)
        .values("article__outlet_id")
        .annotate(
            articles=Count("article_id", distinct=True),
            **{value: Count("pk", filter=Q(stance=value)) for value in Stance.values},
        )
        .order_by()
    )
    return {row.pop("article__outlet_id"): row for row in rows}


def wording_history(claim: Claim) -> list[ClaimChange]:
    changes = list(claim.changes.select_related("user"))
    for change in changes:
        change.statement_diff = word_diff(change.statement_before, change.statement_after)
    return changes


@dataclass
class Publication:
    """A published claim's state on the desk: the live revision and what would change."""

    revision: object
    changes: object  # publishing.PendingChanges; None while ``deferred``
    can_publish: bool
    own_changes: bool  # the viewer is a reviewer who contributed: four eyes
    deferred: bool = False  # changes are waiting, shown on request (a claim of wide reach)


# A claim quoted more often than this shows its unpublished changes on request
# (``?changes=all``): the comparison reads every appearance and the published snapshot.
PENDING_DIFF_INLINE = 300


def publication(user, claim: Claim, *, full_diff: bool = False) -> Publication | None:
    if claim.published_revision_id is None:
        return None
    deferred = False
    if not claim.has_unpublished_changes:
        # Nothing changed since the publication (the flag every change sets): nothing to
        # compare.
        changes = PendingChanges()
    elif claim.appearance_count > PENDING_DIFF_INLINE and not full_diff:
        changes, deferred = None, True
    else:
        changes = pending_changes(claim)
    waiting = deferred or bool(changes)
    reviewer = roles.is_reviewer(user)
    own = reviewer and waiting and user.pk in contributor_ids(claim)
    return Publication(
        revision=claim.published_revision,
        changes=changes,
        can_publish=reviewer and waiting and not own,
        own_changes=own,
        deferred=deferred,
    )


def _versions(verdicts: list[Verdict]) -> dict[int, list[VerdictVersion]]:
    """Every saved version of the verdicts, each with its text as a reader sees it (the
    summary's Markdown rendered: ``text`` and the safe ``summary_html``) and the difference
    from the one before, word by word on that text."""
    by_verdict: dict[int, list[VerdictVersion]] = {}
    versions = VerdictVersion.objects.filter(verdict__in=verdicts).select_related("saved_by")
    for version in versions.order_by("verdict_id", "number"):
        version.text = markdown_text(version.summary)
        version.summary_html = render_markdown(version.summary)
        by_verdict.setdefault(version.verdict_id, []).append(version)
    for chain in by_verdict.values():
        chain[0].summary_diff = [("same", chain[0].text)]
        chain[0].rating_before = None
        chain[0].evidence_changed = False
        chain[0].only_markup_changed = False
        for before, after in pairwise(chain):
            after.summary_diff = word_diff(before.text, after.text)
            after.rating_before = before.rating if before.rating != after.rating else None
            after.rating_before_label = before.get_rating_display()
            after.evidence_changed = before.evidence != after.evidence
            # Formatting or a link's address: nothing a reader reads as text.
            after.only_markup_changed = before.summary != after.summary and (
                before.text == after.text
            )
        chain.reverse()  # newest first
    return by_verdict


def _threads(verdicts: list[Verdict]) -> dict[int, list[Comment]]:
    """Each verdict's comments, oldest first: one query for all of them."""
    threads: dict[int, list[Comment]] = {}
    comments = Comment.objects.filter(verdict__in=verdicts).select_related("author")
    for comment in comments.order_by("created_at", "pk"):
        threads.setdefault(comment.verdict_id, []).append(comment)
    return threads


def _transitions(claim: Claim, verdicts: list[Verdict]) -> list[VerdictTransition]:
    """The claim's status changes, newest first, each with when its verdict was started
    (``verdict_started``: which verdict, in words, when the claim has had several)."""
    started = {verdict.pk: verdict.created_at for verdict in verdicts}
    history = list(
        VerdictTransition.objects.filter(verdict__claim=claim)
        .select_related("user")
        .order_by("-at", "-pk")
    )
    for transition in history:
        transition.verdict_started = started.get(transition.verdict_id)
    return history


def _changes_requested(history, open_verdict: Verdict | None) -> VerdictTransition | None:
    """The reviewer's comment an open verdict sent back for changes is waiting on."""
    if open_verdict is None or open_verdict.status != Status.CHANGES_REQUESTED:
        return None
    return next((t for t in history if t.verdict_id == open_verdict.pk and t.comment), None)


def _latest_approved(verdicts: list[Verdict]) -> Verdict | None:
    approved = [v for v in verdicts if not v.is_open]
    return max(approved, key=attrgetter("approval_key")) if approved else None


def verdict_section(user, claim: Claim) -> dict:
    """The verdict section of a claim's desk page, without its forms (the view adds them):
    every verdict with its saved versions and its comment thread."""
    verdicts = list(
        claim.verdicts.select_related("author", "last_edited_by", "reviewer", "supersedes")
        .prefetch_related("evidence")
        .order_by("created_at", "pk")
    )
    versions = _versions(verdicts)
    threads = _threads(verdicts)
    for verdict in verdicts:
        verdict.saved_versions = versions.get(verdict.pk, [])
        verdict.thread = threads.get(verdict.pk, [])
    open_verdict = next((v for v in verdicts if v.is_open), None)
    published = _latest_approved(verdicts)
    history = _transitions(claim, verdicts)
    submitted = open_verdict is not None and open_verdict.status == Status.SUBMITTED
    reviewer = roles.is_reviewer(user)
    four_eyes = submitted and reviewer and user.pk in contributor_ids(claim, open_verdict)
    editable = open_verdict is None or open_verdict.status in EDITABLE_STATUSES
    return {
        "claim": claim,
        "published": published,
        "open": open_verdict,
        "open_comment": _changes_requested(history, open_verdict),
        "history": history,
        "verdicts": list(reversed(verdicts)),
        "version_count": len(verdicts),
        "can_edit": roles.is_editor(user) and editable,
        "can_review": submitted and reviewer and not four_eyes,
        "can_withdraw": submitted
        and roles.is_editor(user)
        and user.pk in open_verdict.contributor_ids(),
        "four_eyes": four_eyes,
        "mode": "edit" if open_verdict else ("revise" if published else "new"),
        "superseding": published is not None,
    }


# --- working together -------------------------------------------------------------------


def desk_members():
    """Everyone a claim can be assigned to: active editors, reviewers and superusers."""
    app_label, codename = roles.DESK_PERMISSION.split(".")
    has = Q(
        groups__permissions__content_type__app_label=app_label,
        groups__permissions__codename=codename,
    ) | Q(
        user_permissions__content_type__app_label=app_label,
        user_permissions__codename=codename,
    )
    return (
        get_user_model()
        .objects.filter(has | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )


def notification_preference(user) -> bool:
    """Whether ``user`` gets notification mail: yes unless they turned it off."""
    stored = NotificationPreference.objects.filter(user=user).values_list("email", flat=True)
    return stored.first() is not False


def claim_comments(claim: Claim) -> list[Comment]:
    """The claim's own thread (the verdicts' threads are in ``verdict_section``)."""
    thread = claim.comments.filter(verdict__isnull=True).select_related("author")
    return list(thread.order_by("created_at", "pk"))


DUPLICATES_SHOWN = 5


def possible_duplicates(claim: Claim) -> list[Claim]:
    """Other claims with a similar statement (``Claim.objects.similar_to``), most similar
    first, then widest reach: one query."""
    similar = Claim.objects.similar_to(claim).only(
        "pk", "statement", "outlet_count", "published_revision_id"
    )
    return list(similar.order_by("-rank", "-outlet_count", "statement")[:DUPLICATES_SHOWN])


def merges_into(claim: Claim) -> list[ClaimMerge]:
    """The claims merged into ``claim``, newest first, each with ``revisions_archived``: how
    many published revisions its record keeps (counted by the database: the record itself,
    megabytes for a viral claim, stays there). One query."""
    merges = claim.merges.select_related("user").defer("source_revisions")
    return list(merges.annotate(revisions_archived=JSONLength("source_revisions")))


def merged_into(pk: int) -> int | None:
    """The claim a merged claim's id now leads to (its desk URL), or None."""
    return (
        ClaimMerge.objects.filter(source_key=pk)
        .order_by("-at", "-pk")
        .values_list("target_id", flat=True)
        .first()
    )


@dataclass
class ArchivedRevision:
    """One kept revision of a merged claim, as the record page shows it."""

    revision: PublishedRevision  # unsaved: read its fields, never its relations
    published_by: AbstractBaseUser | None  # None: the account was deleted since
    appearances: list[Appearance]  # the first APPEARANCES_SHOWN, or all of them when asked
    appearance_total: int
    expanded: bool  # all its appearances asked for


@dataclass
class MergeRecord:
    """What the public read at a merged claim's address: its revisions, newest first."""

    merge: ClaimMerge
    revisions: list[ArchivedRevision]


def merge_record(merge: ClaimMerge, *, all_appearances_of: int | None = None) -> MergeRecord | None:
    """The published record ``merge`` kept of the claim it merged away, or None when it kept
    none (never published, or merged before records were kept). One query, for the
    publishers' names, whatever the number of revisions. Each revision lists its first
    APPEARANCES_SHOWN appearances (a viral claim has thousands), all of them for revision
    number ``all_appearances_of``."""
    revisions = merge.archived_revisions()
    if not revisions:
        return None
    publishers = get_user_model().objects.in_bulk(
        {revision.published_by_id for revision in revisions} - {None}
    )
    return MergeRecord(
        merge=merge,
        revisions=[
            ArchivedRevision(
                revision=revision,
                published_by=publishers.get(revision.published_by_id),
                appearances=[
                    appearance(entry)
                    for entry in (
                        revision.appearances
                        if revision.number == all_appearances_of
                        else revision.appearances[:APPEARANCES_SHOWN]
                    )
                ],
                appearance_total=len(revision.appearances),
                expanded=revision.number == all_appearances_of,
            )
            for revision in revisions
        ],
    )


@dataclass
class MergePreview:
    """What merging ``source`` into ``target`` would move, for the confirmation page."""

    source: Claim
    target: Claim
    annotations: int
    outlets: int
    verdicts: int
    versions: int
    transitions: int
    wording_changes: int
    comments: int
    refusal: str


def merge_preview(source: Claim, target: Claim) -> MergePreview:
    return MergePreview(
        source=source,
        target=target,
        annotations=source.annotations.count(),
        outlets=source.annotations.values("article__outlet").distinct().count(),
        verdicts=source.verdicts.count(),
        versions=VerdictVersion.objects.filter(verdict__claim=source).count(),
        transitions=VerdictTransition.objects.filter(verdict__claim=source).count(),
        wording_changes=source.changes.count(),
        comments=source.comments.count(),
        refusal=merge_refusal(source, target),
    )
