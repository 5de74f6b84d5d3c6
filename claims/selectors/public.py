"""The public site's reads: published revisions only, never live desk rows.

(docs/architecture.md, "Publishing".) A claim is on the public site once it has a published
revision; every public page — home, search, a fact check, its JSON-LD, the feed, the
sitemap — renders the claim's latest revision, which nothing changes after it is written.
"""

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from django.db.models import Count, Max, Q
from django.urls import reverse

from claims.models import ClaimRedirect, Page, PublishedRevision, Rating, Stance
from factcheck import search
from factcheck.search import clean_query

# Appearances shown on a fact check's page before "show all": a viral claim's page stays small.
APPEARANCES_SHOWN = 25

# Reader-facing wording of the stances (the desk's words are jargon to readers).
STANCE_WORDS = {
    Stance.ASSERTS: "Repeats the claim",
    Stance.ATTRIBUTES: "Reports who said it",
    Stance.DISPUTES: "Disputes the claim",
}


def current_revisions():
    """The latest revision of every published claim, without the heavy JSON columns."""
    return PublishedRevision.objects.filter(current_of__isnull=False).defer(
        "appearances", "evidence", "summary_html"
    )


def search_fact_checks(query: str = "", rating: str = ""):
    """Published fact checks matching ``query`` and ``rating``. A fact check matches when its
    published statement is similar to the query (``factcheck.search.similar``: most of the
    words, by stem, or a misspelling) or when every word is in its statement, claimant or
    summary; the most similar come first, then the newest."""
    revisions = current_revisions()
    query = clean_query(query)
    if query:
        similar = search.similar(PublishedRevision.objects.all(), "statement", query)
        every_word = Q()
        for word in query.split():
            every_word &= (
                Q(statement__icontains=word)
                | Q(claimant__icontains=word)
                | Q(summary_text__icontains=word)
            )
        revisions = revisions.filter(Q(pk__in=similar.values("pk")) | every_word).annotate(
            rank=search.similarity_rank("statement", query)
        )
    if rating in Rating.values:
        revisions = revisions.filter(rating=rating)
    newest = ("-first_published_at", "-pk")
    return revisions.order_by("-rank", *newest) if query else revisions.order_by(*newest)


def site_state() -> dict:
    """How many fact checks are published (``n``), the newest revision's id (``last_id``)
    and date (``last_at``): one of them changes whenever anything on the home page, the
    feed or the sitemap may change."""
    return PublishedRevision.objects.filter(current_of__isnull=False).aggregate(
        n=Count("id"), last_id=Max("id"), last_at=Max("published_at")
    )


def redirect_for_slug(slug: str) -> str | None:
    """Where a merged claim's old public address leads: the surviving claim's page."""
    target = ClaimRedirect.objects.filter(slug=slug).values_list("claim__slug", flat=True).first()
    return reverse("claim_public", args=[target]) if target else None


def revision_for_slug(slug: str) -> PublishedRevision | None:
    return (
        PublishedRevision.objects.filter(current_of__slug=slug, current_of__isnull=False)
        .only("id", "published_at", "claim_id")
        .first()
    )


@dataclass
class Appearance:
    outlet: str
    title: str
    published_on: date | None
    url: str
    language: str
    quotes: list[dict]  # {"quote", "stance", "stance_label"}


def _appearance(entry: dict) -> Appearance:
    quotes = [
        {**q, "stance_label": STANCE_WORDS.get(q["stance"], q["stance"])} for q in entry["quotes"]
    ]
    published_on = entry.get("published_on")
    return Appearance(
        outlet=entry.get("outlet") or "",
        title=entry.get("title") or "",
        published_on=date.fromisoformat(published_on) if published_on else None,
        url=entry.get("url") or "",
        language=entry.get("language") or "",
        quotes=quotes,
    )


@dataclass
class FactCheckPage:
    revision: PublishedRevision
    appearances: list[Appearance]
    appearance_total: int
    updates: list[PublishedRevision]  # the update log, newest first

    @property
    def more_appearances(self) -> int:
        return self.appearance_total - len(self.appearances)


def fact_check_page(slug: str, *, all_appearances: bool = False) -> FactCheckPage | None:
    """Everything a fact check's public page shows, in two queries; None when unpublished."""
    revision = (
        PublishedRevision.objects.filter(current_of__slug=slug, current_of__isnull=False)
        .select_related("claim")
        .first()
    )
    if revision is None:
        return None
    entries = revision.appearances
    shown = entries if all_appearances else entries[:APPEARANCES_SHOWN]
    history = list(
        PublishedRevision.objects.filter(claim_id=revision.claim_id)
        .defer("appearances", "evidence", "summary_html", "summary_text")
        .order_by("number")
    )
    updates = []
    for previous, later in pairwise(history):
        if later.shows_in_update_log:
            later.previous = previous
            updates.append(later)
    updates.reverse()
    return FactCheckPage(
        revision=revision,
        appearances=[_appearance(e) for e in shown],
        appearance_total=len(entries),
        updates=updates,
    )


def public_page(slug: str) -> Page | None:
    """An about/methodology/ratings page, or None when an admin has deleted it."""
    return Page.objects.filter(slug=slug).first()


def page_updated_at(slug: str):
    return Page.objects.filter(slug=slug).values_list("updated_at", flat=True).first()


def share_card(slug: str) -> dict | None:
    """What a fact check's share image shows, from its published revision: ``id``,
    ``statement``, ``rating``, ``published_at``; None when unpublished."""
    return (
        PublishedRevision.objects.filter(current_of__slug=slug, current_of__isnull=False)
        .values("id", "statement", "rating", "published_at")
        .first()
    )
