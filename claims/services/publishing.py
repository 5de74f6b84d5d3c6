"""Publishing: the public reads a claim only as a frozen revision two people approved.

(docs/architecture.md, "Publishing".) Approving a verdict publishes the claim's next
revision; after that, a change to what the public page shows — the claim's wording or
claimant, its appearances (highlights added, edited, deleted, moved or orphaned by a
correction) — marks the claim ``has_unpublished_changes`` and changes nothing public until a
reviewer publishes it as a new revision. Nobody publishes their own work: four eyes counts
everyone who contributed to what is being published (``contributors``).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import unescape

from django.db import transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from claims import policy
from claims.models import (
    PUBLISHED,
    AnnotationChange,
    Claim,
    ClaimChange,
    ClaimMerge,
    PublishedRevision,
    Stance,
    Verdict,
)
from factcheck.errors import Refused, Stale
from factcheck.roles import User
from factcheck.sanitize import is_http_url


def mark_changed(claim_ids, *, appearances: bool = True) -> None:
    """Note that what the public page of these claims would show has changed: published
    claims have unpublished changes, and, unless only the wording changed
    (``appearances=False``), every claim's ``appearances_version`` goes up (what is drawn
    from its appearances is drawn again)."""
    ids = {pk for pk in claim_ids if pk is not None}
    if ids:
        version = F("appearances_version") + 1 if appearances else F("appearances_version")
        Claim.objects.filter(pk__in=ids).update(
            appearances_version=version,
            has_unpublished_changes=Case(
                When(PUBLISHED, then=True),
                default=F("has_unpublished_changes"),
            ),
        )


def _appearances(claim: Claim) -> list[dict]:
    """The claim's live appearances, grouped by article in date order, as the public reads
    them. Article bodies are never loaded; rows are read as tuples (a viral claim has
    thousands, and model instances cost ten times as much)."""
    rows = (
        claim.annotations.live()
        .order_by(F("article__published_on").asc(nulls_last=True), "article_id", "start", "id")
        .values_list(
            "article_id",
            "article__outlet__name",
            "article__title",
            "article__published_on",
            "article__url",
            "article__language",
            "article__imported_at",
            "article__copy_of_id",
            "article__copy_of__outlet__name",
            "exact",
            "stance",
        )
    )
    articles: dict[int, dict] = {}
    for (
        article_id, outlet, title, published_on, url, language, imported_at, copy_id, source,
        exact, stance,
    ) in rows:  # fmt: skip
        entry = articles.get(article_id)
        if entry is None:
            entry = articles[article_id] = {
                "outlet": outlet or "",
                "title": title,
                "published_on": published_on.isoformat() if published_on else None,
                # Where the spread timeline places an article without a date (spread app).
                "imported_on": timezone.localdate(imported_at).isoformat(),
                "url": url if is_http_url(url) else "",  # as Article.safe_url
                "language": language,
                # A syndicated copy (webfetch): the outlet it copies, drawn as a copy.
                "copy_of": (source or "another outlet") if copy_id else "",
                "quotes": [],
            }
        entry["quotes"].append({"quote": exact, "stance": stance})
    return list(articles.values())


def _evidence(verdict: Verdict) -> list[dict]:
    # The database allows only http(s) URLs; a control character could still slip inside.
    return [
        {
            "url": e.url if is_http_url(e.url) else "",
            "title": e.title,
            "publisher": e.publisher,
            "note": e.note,
        }
        for e in verdict.evidence.all()
    ]


def plain_text(html: str) -> str:
    return " ".join(unescape(strip_tags(html)).split())


def snapshot(claim: Claim, verdict: Verdict) -> dict:
    """What a revision published now would hold (the fields of PublishedRevision)."""
    appearances = _appearances(claim)
    wordings = dict(claim.wordings.values_list("language", "text"))
    return {
        "slug": claim.slug,
        "statement": claim.statement,
        "claimant": claim.claimant,
        "claimant_type": claim.claimant_type,
        "rating": verdict.rating,
        "summary_html": verdict.summary_html,
        "summary_text": plain_text(verdict.summary_html),
        "correction_note": verdict.correction_note,
        "evidence": _evidence(verdict),
        "appearances": appearances,
        "wordings": wordings,
        "wordings_text": "\n".join(wordings.values()),
        "outlet_count": len({a["outlet"] for a in appearances if a["outlet"]}),
        "article_count": len(appearances),
    }


@dataclass
class PendingChanges:
    """How what would be published now differs from the published revision."""

    statement: tuple[str, str] | None = None  # (published, now) when different
    claimant: tuple[str, str] | None = None
    claimant_type: tuple[str, str] | None = None  # (published, now) labels
    outlets_added: list[str] = field(default_factory=list)
    outlets_removed: list[str] = field(default_factory=list)
    quotes_added: list[dict] = field(default_factory=list)  # {outlet, title, quote, stance}
    quotes_removed: list[dict] = field(default_factory=list)
    # An article quoted before and now whose details differ: [{label, before, after}, …]
    # per article, for its title, date, address, language and outlet.
    articles_changed: list[list[dict]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (
                self.statement,
                self.claimant,
                self.claimant_type,
                self.outlets_added,
                self.outlets_removed,
                self.quotes_added,
                self.quotes_removed,
                self.articles_changed,
            )
        )


def _quotes(appearances: list[dict]) -> list[tuple]:
    return [
        (a["outlet"], a["title"], q["quote"], q["stance"]) for a in appearances for q in a["quotes"]
    ]


def _quote(row: tuple) -> dict:
    outlet, title, quote, stance = row
    label = Stance(stance).label if stance in Stance.values else stance
    return {"outlet": outlet, "title": title, "quote": quote, "stance": label}


# What an appearance shows of its article, with the words the desk's diff uses.
ARTICLE_DETAILS = {
    "outlet": _("Outlet"),
    "title": _("Title"),
    "published_on": _("Date"),
    "url": _("Address"),
    "language": _("Language"),
}


def _articles_changed(before: list[dict], now: list[dict]) -> list[list[dict]]:
    """Articles quoted with the same quotes before and now whose details differ (edited in
    the admin): matched by their quotes, as the revision keeps no article ids."""

    def key(entry):
        return tuple(sorted((q["quote"], q["stance"]) for q in entry["quotes"]))

    published = {key(entry): entry for entry in before}
    changed = []
    for entry in now:
        old = published.get(key(entry))
        if old is None:
            continue
        fields = [
            {"label": label, "before": old.get(name) or "", "after": entry.get(name) or ""}
            for name, label in ARTICLE_DETAILS.items()
            if (old.get(name) or "") != (entry.get(name) or "")
        ]
        if fields:
            changed.append(fields)
    return changed


def appearances_as_published(claim: Claim, *, reread: bool = False) -> bool:
    """Nothing changed the claim's appearances since its published revision was written
    (``Claim.appearances_version``, kept on the revision): known without reading them.
    ``reread``: the claim's version read again (one primary-key read), not trusted from an
    instance that may be older than the last change."""
    revision = claim.published_revision
    kept = revision.appearances_version if revision is not None else None
    if kept is None:
        return False
    version = claim.appearances_version
    if reread:
        version = Claim.objects.filter(pk=claim.pk).values_list("appearances_version", flat=True)
        version = version.first()
    return kept == version


def wording_changes(claim: Claim) -> PendingChanges:
    """The unpublished changes of the claim's wording alone (no query)."""
    revision = claim.published_revision
    changes = PendingChanges()
    if revision.statement != claim.statement:
        changes.statement = (revision.statement, claim.statement)
    if revision.claimant != claim.claimant:
        changes.claimant = (revision.claimant, claim.claimant)
    if revision.claimant_type != claim.claimant_type:
        changes.claimant_type = (
            revision.get_claimant_type_display(),
            claim.get_claimant_type_display(),
        )
    return changes


def pending_changes(claim: Claim) -> PendingChanges | None:
    """The unpublished changes of a published claim (empty when there are none); None when
    the claim is not published."""
    revision = claim.published_revision
    if revision is None:
        return None
    changes = wording_changes(claim)
    if appearances_as_published(claim, reread=True):
        return changes
    now = _appearances(claim)
    unknown = str(_("Unknown outlet"))
    before_outlets = {a["outlet"] or unknown for a in revision.appearances}
    now_outlets = {a["outlet"] or unknown for a in now}
    changes.outlets_added = sorted(now_outlets - before_outlets)
    changes.outlets_removed = sorted(before_outlets - now_outlets)
    before_quotes, now_quotes = _quotes(revision.appearances), _quotes(now)
    keys = ("outlet", "title", "quote", "stance")
    before_set, now_set = set(before_quotes), set(now_quotes)  # a viral claim: thousands
    changes.quotes_added = [
        dict(zip(keys, q, strict=True)) for q in now_quotes if q not in before_set
    ]
    changes.quotes_removed = [
        dict(zip(keys, q, strict=True)) for q in before_quotes if q not in now_set
    ]
    changes.articles_changed = _articles_changed(revision.appearances, now)
    return changes


def contributors(
    claims: Sequence[Claim],
    verdicts: Mapping[int, Verdict | None] | None = None,
    *,
    among: User | None = None,
) -> dict[int, set[int]]:
    """Four eyes, the one definition (docs/architecture.md, "Four eyes"): for each claim (by
    id), everyone whose work a publication of it now would carry — the writer of its verdict
    in ``verdicts`` and everyone who saved a version of it, and everyone who changed the
    claim's wording or its highlights since its last publication. None of them may publish.

    Two queries whatever the number of claims (a verdict's versions may be prefetched);
    ``among`` narrows them to one person, for a page that only asks about its viewer. A
    claim's publication time comes from ``published_at`` when the query annotated it
    (``Claim.objects.with_current_verdict``), else from its published revision.
    """
    found = _changed_since_publication({claim.pk: _published_at(claim) for claim in claims}, among)
    for claim_id, verdict in (verdicts or {}).items():
        if verdict is not None and claim_id in found:
            found[claim_id] |= verdict.contributor_ids()
    return found


def _changed_since_publication(since: dict, among: User | None) -> dict[int, set[int]]:
    """Who changed each claim's wording or highlights after ``since[claim id]`` (its
    publication time; None: never published, so every change counts)."""
    found: dict[int, set[int]] = {pk: set() for pk in since}
    if not since:
        return found
    wording = ClaimChange.objects.filter(claim_id__in=since)
    highlights = AnnotationChange.objects.filter(
        Q(before__claim__in=list(since)) | Q(after__claim__in=list(since))
    )
    if among is not None:
        wording, highlights = wording.filter(user=among), highlights.filter(user=among)
    if None not in since.values():  # every claim published: older changes never count
        oldest = min(since.values())
        wording, highlights = wording.filter(at__gt=oldest), highlights.filter(at__gt=oldest)
    changes = [
        (claim_id, user_id, at)
        for claim_id, user_id, at in wording.values_list("claim_id", "user_id", "at")
    ]
    for before, after, user_id, at in highlights.values_list(
        "before__claim", "after__claim", "user_id", "at"
    ):
        changes.extend((claim_id, user_id, at) for claim_id in {before, after} & since.keys())
    for claim_id, user_id, at in changes:
        if user_id is not None and (since[claim_id] is None or at > since[claim_id]):
            found[claim_id].add(user_id)
    return found


def _published_at(claim: Claim):
    if hasattr(claim, "published_at"):
        return claim.published_at
    return claim.published_revision.published_at if claim.published_revision_id else None


def contributor_ids(claim: Claim, verdict: Verdict | None = None) -> set[int]:
    """Everyone whose work a publication of ``claim`` (with ``verdict``) now would carry:
    ``contributors`` for one claim."""
    return contributors([claim], {claim.pk: verdict})[claim.pk]


def claim_gone(pk: int) -> Stale:
    """The refusal for acting on a claim that is gone since the page was loaded: merged
    into another (named), or deleted."""
    merge = (
        ClaimMerge.objects.filter(source_key=pk)
        .select_related("target")
        .only("target__statement")
        .order_by("-at", "-pk")
        .first()
    )
    if merge is not None:
        return Stale(
            _(
                "This claim was merged into “{statement}” while you were working; "
                "nothing was saved. Open that claim and try again."
            ).format(statement=merge.target.statement)
        )
    return Stale(_("This claim was deleted while you were working; nothing was saved."))


def lock_claim(pk: int, *, no_key: bool = False) -> Claim:
    """The claim re-read under a row lock — every write that publishes, merges or adds to a
    claim serialises on it — or ``claim_gone``. Nothing is joined to the locked row: after
    waiting for the lock, PostgreSQL re-reads the row itself but not what a join brought, so
    the published revision is read afterwards (``claim.published_revision``), as committed.
    ``no_key``: a lock that still lets other rows refer to the claim (highlights)."""
    claim = Claim.objects.select_for_update(no_key=no_key).filter(pk=pk).first()
    if claim is None:
        raise claim_gone(pk)
    return claim


def publish_revision(
    *, claim: Claim, user: User, verdict: Verdict, update_note: str = ""
) -> PublishedRevision:
    """Write the claim's next revision from its current state and ``verdict`` (approved).

    Called inside the caller's transaction, with the claim row locked; checks nothing: the
    callers (``verdict_approve``, ``fact_check_publish``) have applied four eyes.
    """
    previous = claim.published_revision
    now = timezone.now()
    content = snapshot(claim, verdict)
    PublishedRevision.objects.filter(claim=claim, is_current=True).update(is_current=False)
    version = Claim.objects.filter(pk=claim.pk).values_list("appearances_version", flat=True)
    revision = PublishedRevision.objects.create(
        is_current=True,
        appearances_version=version.get(),
        claim=claim,
        number=(previous.number + 1) if previous else 1,
        verdict=verdict,
        update_note=(update_note or "").strip(),
        rating_changed=bool(previous and previous.rating != content["rating"]),
        wording_changed=bool(
            previous
            and (previous.statement, previous.claimant, previous.claimant_type)
            != (content["statement"], content["claimant"], content["claimant_type"])
        ),
        published_by=user,
        published_at=now,
        first_published_at=previous.first_published_at if previous else now,
        **content,
    )
    Claim.objects.filter(pk=claim.pk).update(
        published_revision=revision, has_unpublished_changes=False
    )
    claim.published_revision, claim.has_unpublished_changes = revision, False
    return revision


@transaction.atomic(durable=True)
def fact_check_publish(
    *, claim: Claim, user: User, revision_number: int, update_note: str = ""
) -> PublishedRevision:
    """Publish a published claim's pending changes (wording, appearances) as its next
    revision, with an optional public note. ``revision_number`` is the revision the
    reviewer was looking at: if someone published since, the request is stale."""
    claim = lock_claim(claim.pk)
    revision = claim.published_revision
    if revision is not None and revision.number != revision_number:
        raise Stale(
            _(
                "Someone published this fact check while you were looking at it; reload to see "
                "what is still unpublished."
            )
        )
    changes = pending_changes(claim)
    if refusal := policy.may_publish(user, claim, changes, contributor_ids(claim)):
        raise refusal
    verdict = Verdict.objects.latest_approved_for(claim)
    if len(update_note or "") > 2000:
        raise Refused(_("Keep the update note under 2,000 characters."))
    return publish_revision(claim=claim, user=user, verdict=verdict, update_note=update_note)
