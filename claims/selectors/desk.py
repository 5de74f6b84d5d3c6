"""The desk's reads: its home (articles to annotate, my drafts, the claims assigned to me),
the claims list, and for one claim its appearances by outlet, its verdicts with every saved
version (and the verdict section's forms as loaded), its wording history, what is waiting to
be published, and the claims merged into it (with the published record each kept)."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import groupby, pairwise
from operator import attrgetter

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q

from articles.models import Article, Outlet
from claims import policy
from claims.forms import EVIDENCE_PREFIX, EvidenceFormSet, ReviewForm, VerdictForm
from claims.models import (
    Annotation,
    Claim,
    ClaimChange,
    ClaimMerge,
    Comment,
    MergeProposal,
    NotificationPreference,
    PublishedRevision,
    Stance,
    Status,
    Verdict,
    VerdictTransition,
    VerdictVersion,
)
from claims.selectors.published import APPEARANCES_SHOWN, Appearance, JSONLength, appearance
from claims.sentences import QuoteInSentence, stored_context
from claims.services.publishing import (
    PendingChanges,
    appearances_as_published,
    contributor_ids,
    pending_changes,
    wording_changes,
)
from factcheck import roles
from factcheck.paging import OpenEndedPaginator
from factcheck.params import int_param
from factcheck.sanitize import MAX_MARKDOWN, markdown_text, render_markdown

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


# How long a claim's outlet counts are kept (they are kept per state of its appearances: the
# timeout only bounds memory).
OUTLET_SUMMARY_TIMEOUT = 24 * 60 * 60
# The order of a claim's appearances on its desk page: by outlet (its name, then its id),
# then newest article first, then where the quote is in it.
OUTLET_ORDER = (F("article__outlet__name").asc(nulls_last=True), "article__outlet_id")
APPEARANCE_ORDER = (
    *OUTLET_ORDER,
    F("article__published_on").desc(nulls_last=True),
    "article_id",
    "start",
    "pk",
)


def claim_appearances(claim: Claim, page: int | None = 1) -> AppearancePage:
    """A page of the claim's appearances by outlet, with each one's sentence as stored with
    the highlight (``Annotation.context``): no article body is read. Four queries and at
    most APPEARANCES_PER_PAGE + ORPHANS_SHOWN highlights whatever the claim's reach: its
    outlets in order with their counts, the page, the orphans and their count.

    Nothing sorts all of a viral claim's highlights: the outlets' counts (one aggregate)
    say which outlets the page covers and where in the first of them it starts, and only
    those outlets' highlights are sorted. The totals come from the claim's row (its reach,
    kept by signals)."""
    pages = max(1, -(-claim.appearance_count // APPEARANCES_PER_PAGE))
    number = min(max(1, page or 1), pages)
    summary = _outlet_summary(claim)
    covered, skip = _outlets_on_page(summary, (number - 1) * APPEARANCES_PER_PAGE)
    annotations = _page_of_appearances(claim, covered, skip) if covered else []
    for annotation in annotations:
        context = annotation.context
        annotation.in_sentence = (
            stored_context(context) if context else QuoteInSentence("", annotation.exact, "")
        )
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


def _outlets_on_page(summary: dict, offset: int) -> tuple[list, int]:
    """The outlets (in order) whose appearances the page starting at ``offset`` shows, and
    how many of the first one's come before the page."""
    covered, seen, skip = [], 0, 0
    for outlet_id, counts in summary.items():
        if seen + counts["total"] > offset:
            if not covered:
                skip = offset - seen
            covered.append(outlet_id)
        seen += counts["total"]
        if seen >= offset + APPEARANCES_PER_PAGE:
            break
    return covered, skip


def _page_of_appearances(claim: Claim, outlet_ids: list, skip: int) -> list[Annotation]:
    """APPEARANCES_PER_PAGE of the claim's live appearances in these outlets, in the page's
    order, after the first ``skip``: only these outlets' highlights are sorted."""
    known = [pk for pk in outlet_ids if pk is not None]
    where = Q(article__outlet_id__in=known)
    if None in outlet_ids:
        where |= Q(article__outlet_id__isnull=True)
    return list(
        Annotation.objects.live()
        .filter(where, claim=claim)
        .select_related("article__outlet", "author")
        .defer(*(f"article__{name}" for name in Article.TEXTS))
        .order_by(*APPEARANCE_ORDER)[skip : skip + APPEARANCES_PER_PAGE]
    )


def _outlet_summary(claim: Claim) -> dict:
    """outlet id → {stance: appearances, "articles": articles, "total": appearances} over
    the whole claim, every outlet it is in, in the page's order: one query (an aggregate,
    no highlight read, but linear in the claim's reach), kept under the claim's
    ``appearances_version``, which every change to its highlights or their articles raises
    (as the desk's spread timeline is kept)."""
    key = f"claims:desk-outlets:{claim.pk}:{claim.appearances_version}"
    summary = cache.get(key)
    if summary is None:
        summary = _outlet_counts(claim)
        cache.set(key, summary, OUTLET_SUMMARY_TIMEOUT)
    return summary


def _outlet_counts(claim: Claim) -> dict:
    rows = (
        Annotation.objects.live()
        .filter(claim=claim)
        .values("article__outlet_id", outlet_name=F("article__outlet__name"))
        .annotate(
            total=Count("pk"),
            articles=Count("article_id", distinct=True),
            **{value: Count("pk", filter=Q(stance=value)) for value in Stance.values},
        )
        .order_by(*OUTLET_ORDER)
    )
    summary = {}
    for row in rows:
        del row["outlet_name"]
        summary[row.pop("article__outlet_id")] = row
    return summary


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
    """The publish button is shown by ``policy.may_publish``, as the server decides."""
    if claim.published_revision_id is None:
        return None
    # The revision without its snapshot's JSON (megabytes for a viral claim): read only if an
    # inline comparison needs it.
    claim.published_revision = PublishedRevision.objects.defer(
        "appearances", "evidence", "summary_html"
    ).get(pk=claim.published_revision_id)
    deferred = False
    if not claim.has_unpublished_changes:
        # Nothing changed since the publication (the flag every change sets): nothing to
        # compare.
        changes = PendingChanges()
    elif appearances_as_published(claim):
        # Only the wording may have changed: compared without reading an appearance.
        changes = wording_changes(claim)
    elif claim.appearance_count > PENDING_DIFF_INLINE and not full_diff:
        changes, deferred = None, True
    else:
        changes = pending_changes(claim)
    waiting = deferred or bool(changes)
    reviewer = roles.is_reviewer(user)
    contributed = contributor_ids(claim) if reviewer and waiting else set()
    # Deferred (a claim of wide reach): changes are waiting, compared on request.
    pending = changes if changes is not None else waiting
    return Publication(
        revision=claim.published_revision,
        changes=changes,
        can_publish=policy.may_publish(user, claim, pending, contributed) is None,
        own_changes=reviewer and waiting and user.pk in contributed,
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
    contributed = contributor_ids(claim, open_verdict) if submitted and reviewer else set()
    four_eyes = user.pk in contributed
    review_refusal = policy.may_review(user, open_verdict, contributed) if reviewer else None
    return {
        "claim": claim,
        "published": published,
        "open": open_verdict,
        "open_comment": _changes_requested(history, open_verdict),
        "history": history,
        "verdicts": list(reversed(verdicts)),
        "version_count": len(verdicts),
        "can_edit": policy.may_edit(user, open_verdict) is None,
        "can_review": reviewer and review_refusal is None,
        "review_refusal": "" if four_eyes or not submitted else str(review_refusal or ""),
        "can_withdraw": policy.may_withdraw(user, open_verdict) is None,
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
    """What merging ``source`` into ``target`` would move, for the confirmation page, and
    what the viewer may do about it (``claims.policy``): ``action`` is "merge", "propose"
    (a published source: a second reviewer confirms) or "confirm" (another reviewer's
    proposal), or "" with ``refusal`` saying why not."""

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
    proposal: MergeProposal | None
    action: str
    highlights: list["MergeHighlight"]
    stances = Stance.choices


@dataclass
class MergeHighlight:
    """A highlight that moves with the merged claim, as the confirmation page lists it:
    its words, outlet and stance now, and ``choice`` — what the merge will do with it (a
    stance, or "drop"), preset to the waiting proposal's choice, else its stance."""

    pk: int
    exact: str
    outlet: str
    article_id: int
    article_title: str
    stance: str
    choice: str

    @property
    def stance_label(self) -> str:
        return Stance(self.stance).label

    @property
    def changed(self) -> bool:
        return self.choice != self.stance

    @property
    def choice_label(self) -> str:
        return Stance(self.choice).label if self.choice in Stance.values else self.choice


def merge_highlights(source: Claim, proposal: MergeProposal | None) -> list[MergeHighlight]:
    """Every highlight of ``source``, by outlet, with the proposal's choices (one query)."""
    proposed = policy.proposal_choices(proposal)
    rows = source.annotations.order_by("article__outlet__name", "article_id", "start", "pk")
    return [
        MergeHighlight(
            pk=row["pk"],
            exact=row["exact"],
            outlet=row["article__outlet__name"] or "",
            article_id=row["article_id"],
            article_title=row["article__title"],
            stance=row["stance"],
            choice=proposed.get(str(row["pk"]), row["stance"]),
        )
        for row in rows.values(
            "pk", "exact", "stance", "article_id", "article__title", "article__outlet__name"
        )
    ]


def merge_action(user, source: Claim, target: Claim, proposal) -> tuple[str, str]:
    """The merge button the viewer gets, by the policy the services apply, and the refusal
    to show when there is none."""
    refusal = policy.may_merge(user, source, target, proposal)
    if refusal is None:
        return ("confirm" if policy.needs_second_reviewer(source) else "merge"), ""
    if policy.needs_second_reviewer(source):
        proposing = policy.may_propose_merge(user, source, target, proposal)
        if proposing is None:
            return "propose", ""
        return "", str(proposing)
    return "", str(refusal)


def merge_preview(user, source: Claim, target: Claim) -> MergePreview:
    proposal = MergeProposal.objects.filter(source=source).select_related("proposed_by").first()
    action, refusal = merge_action(user, source, target, proposal)
    highlights = merge_highlights(source, proposal)
    return MergePreview(
        source=source,
        target=target,
        highlights=highlights,
        annotations=len(highlights),
        outlets=source.annotations.values("article__outlet").distinct().count(),
        verdicts=source.verdicts.count(),
        versions=VerdictVersion.objects.filter(verdict__claim=source).count(),
        transitions=VerdictTransition.objects.filter(verdict__claim=source).count(),
        wording_changes=source.changes.count(),
        comments=source.comments.count(),
        refusal=refusal,
        proposal=proposal,
        action=action,
    )


def merge_proposal(claim: Claim) -> MergeProposal | None:
    """The proposal to merge ``claim`` away, waiting for a second reviewer, if any."""
    return (
        MergeProposal.objects.filter(source=claim).select_related("target", "proposed_by").first()
    )


# --- the desk's home and the claims list ----------------------------------------------------

ASSIGNED_SHOWN = 20
DRAFTS_SHOWN = 20
ARTICLES_PER_PAGE = 50


def desk_home(user, *, query: str, outlet: str, missing: bool, page_number) -> dict:
    """The desk's home: a page of articles (``query``: best matches first on PostgreSQL,
    otherwise newest first; ``outlet`` an id as typed; ``missing``: only those needing
    metadata), each with its ``annotation_count``, the outlets, ``user``'s open drafts and
    the claims assigned to them."""
    articles = (
        Article.objects.select_related("outlet").defer(
            *Article.TEXTS
        )  # a page of 50 full texts is megabytes nobody reads here
    )
    outlet_id = int_param(outlet)
    if outlet_id is not None:
        articles = articles.filter(outlet_id=outlet_id)
    if missing:
        articles = articles.needing_metadata()
    if query:
        # Never counted nor ranked whole: a page of the best matches and one more row
        # (``Article.objects.best_matches``), "more than 50" for a common word.
        paginator = OpenEndedPaginator(
            lambda start, stop: articles.best_matches(query, start, stop), ARTICLES_PER_PAGE
        )
        page = paginator.get_page(page_number)
    else:
        page = Paginator(articles, ARTICLES_PER_PAGE).get_page(page_number)
        page.object_list = list(page.object_list)
    _count_annotations(page.object_list)
    return {
        "page": page,
        "outlets": Outlet.objects.all(),
        "my_drafts": Verdict.objects.open_by(user, limit=DRAFTS_SHOWN),
        "assigned": Claim.objects.filter(assigned_to=user).order_by("-updated_at", "-pk")[
            :ASSIGNED_SHOWN
        ],
    }


def _count_annotations(articles) -> None:
    """Set ``annotation_count`` on one page of articles with one query over those articles
    only: counting in the list query would group the whole archive before paginating."""
    counts = dict(
        Article.objects.filter(pk__in=[a.pk for a in articles])
        .annotate(n=Count("annotations"))
        .values_list("pk", "n")
    )
    for article in articles:
        article.annotation_count = counts.get(article.pk, 0)


CLAIMS_PER_PAGE = 50
CLAIM_SORTS = {
    "reach": ("-outlet_count", "-appearance_count", "statement"),
    "statement": ("statement",),
    "newest": ("-created_at", "-pk"),
    "relevance": ("-rank", "-outlet_count", "statement"),
}


def claim_list_page(user, *, query: str, sort: str, mine: bool, page_number) -> Page:
    """A page of the claims list (``CLAIM_SORTS[sort]``; ``mine``: assigned to ``user``),
    each claim with its current verdict's ``current_status`` and ``verdict_status_label``.
    Reach is kept on the claim row and the verdicts are read for the page's claims only, so
    the page costs the same whatever the size of the archive."""
    claims = Claim.objects.search(query)
    if mine:
        claims = claims.filter(assigned_to=user)
    page = Paginator(claims.order_by(*CLAIM_SORTS[sort]), CLAIMS_PER_PAGE).get_page(page_number)
    page.object_list = list(page.object_list)
    current = (
        Verdict.objects.current_first(per_claim=True)
        .filter(claim__in=[c.pk for c in page.object_list])
        .values_list("claim_id", "status")
    )
    statuses: dict[int, str] = {}
    for claim_id, status in current:
        statuses.setdefault(claim_id, status)  # the first per claim is its current verdict
    labels = dict(Status.choices)
    for claim in page.object_list:
        claim.current_status = claim.verdict_status = statuses.get(claim.pk, "")
        claim.verdict_status_label = labels.get(claim.current_status, "")
    return page


# --- merging ------------------------------------------------------------------------------

MERGE_CANDIDATES = 20


def claim_or_none(pk: int | None) -> Claim | None:
    """The claim ``pk``, or None when there is none (merged or deleted meanwhile)."""
    return Claim.objects.filter(pk=pk).first() if pk is not None else None


def merge_candidates(source: Claim, query: str) -> list[Claim]:
    """The claims ``source`` could be merged into that match ``query``, best match first."""
    found = Claim.objects.search(query).exclude(pk=source.pk)
    return list(found.order_by("-rank", "-outlet_count", "statement")[:MERGE_CANDIDATES])


# --- the verdict section --------------------------------------------------------------------


def open_verdict(claim: Claim) -> Verdict | None:
    """The claim's open (not approved) verdict as it is now (``Verdict.objects.open_for``)."""
    return Verdict.objects.open_for(claim)


def verdict_section_context(
    user,
    claim,
    *,
    form=None,
    formset=None,
    review_form=None,
    errors=(),
    notice="",
    show_errors=True,
    comment=None,
) -> dict:
    """Context for claims/desk/_verdict_section.html (``verdict_section`` with the forms
    of claims.forms, as loaded unless given), under one key so it never collides with the
    page that includes it. ``comment``: a refused comment on a verdict, (verdict id, bound
    form), shown in that verdict's thread."""
    section = verdict_section(user, claim)
    open_verdict = section["open"]
    if form is None and section["can_edit"]:
        form, formset = _initial_forms(open_verdict or section["published"], open_verdict)
    unsent_comment = ""
    if review_form is not None and not section["can_review"]:
        unsent_comment = review_form.data.get("comment", "").strip()
    if section["can_review"] and review_form is None:
        review_form = ReviewForm(initial={"version": open_verdict.version})
    section.update(
        show_form=form is not None,
        form=form,
        formset=formset,
        show_errors=show_errors,
        review_form=review_form,
        unsent_comment=unsent_comment,
        errors=list(errors),
        notice=notice,
        comment_for=comment[0] if comment else None,
        comment_form=comment[1] if comment else None,
        comment_max=MAX_MARKDOWN,
    )
    return {"verdict_section": section}


def _initial_forms(source, open_verdict):
    """The form as loaded: the open verdict, or the published one to start a new version
    from (only what the editor then sends is saved)."""
    if source is None:
        return VerdictForm(), EvidenceFormSet(prefix=EVIDENCE_PREFIX)
    form = VerdictForm(
        initial={
            "rating": source.rating,
            "summary": source.summary,
            "correction_note": open_verdict.correction_note if open_verdict else "",
            "version": open_verdict.version if open_verdict else None,
        }
    )
    links = [
        {"url": e.url, "title": e.title, "publisher": e.publisher, "note": e.note}
        for e in source.evidence.all()
    ]
    return form, EvidenceFormSet(initial=links, prefix=EVIDENCE_PREFIX)
