"""What published pages show of the sources — an article's title, date, address, language
and outlet, an outlet's name — changed outside the desk's services (the admin).

A fact check's appearances quote articles: a change to what they show is a change to every
claim that quotes the article, so it is recorded on each of them as a contribution (a
``ClaimChange`` with a ``note``, counted by four eyes) and marks the published ones as
changed. Nothing public changes until a reviewer who made none of it publishes it
(docs/architecture.md, "Publishing"). These run inside the caller's transaction (the admin's).
"""

from articles.models import Article, Outlet
from claims.models import Annotation, Claim, ClaimChange
from claims.services.publishing import mark_changed
from factcheck.roles import User

# The article's fields a fact check's appearances show, with the words the history uses.
SHOWN = {
    "title": "title",
    "published_on": "date",
    "url": "address",
    "language": "language",
    "outlet_id": "outlet",
}


def shown_fields(article: Article) -> dict:
    """What a published page shows of ``article`` now (compare before and after a save)."""
    return {
        "title": article.title,
        "published_on": article.published_on,
        "url": article.url,
        "language": article.language,
        "outlet_id": article.outlet_id,
    }


def _outlet_name(pk) -> str:
    if pk is None:
        return ""
    return Outlet.objects.filter(pk=pk).values_list("name", flat=True).first() or ""


def _words(field: str, value) -> str:
    if field == "outlet_id":
        value = _outlet_name(value)
    return str(value) if value not in (None, "") else "(none)"


def _record(claim_ids, *, user: User, note: str) -> int:
    claims = list(Claim.objects.filter(pk__in=set(claim_ids)).only("statement", "claimant"))
    ClaimChange.objects.bulk_create(
        ClaimChange(
            claim=claim,
            user=user,
            statement_before=claim.statement,
            statement_after=claim.statement,
            claimant_before=claim.claimant,
            claimant_after=claim.claimant,
            note=note,
        )
        for claim in claims
    )
    mark_changed([claim.pk for claim in claims])
    return len(claims)


def article_details_record(*, article: Article, before: dict, user: User) -> int:
    """After ``article`` was saved with details a page shows different from ``before``
    (``shown_fields``), record the change on every claim that quotes it. Returns how many
    claims it touched."""
    after = shown_fields(article)
    changed = [field for field in SHOWN if before.get(field) != after[field]]
    if not changed:
        return 0
    parts = "; ".join(
        f"{SHOWN[field]} {_words(field, before.get(field))} → {_words(field, after[field])}"
        for field in changed
    )
    claim_ids = Annotation.objects.live().filter(article=article).values_list("claim_id", flat=True)
    return _record(claim_ids, user=user, note=f"Article “{article.title}”: {parts}.")


def outlet_name_record(*, outlet: Outlet, before: str, user: User) -> int:
    """After ``outlet`` was renamed from ``before``, record it on every claim that quotes
    one of its articles."""
    if outlet.name == before:
        return 0
    claim_ids = (
        Annotation.objects.live().filter(article__outlet=outlet).values_list("claim_id", flat=True)
    )
    return _record(claim_ids, user=user, note=f"Outlet renamed: {before} → {outlet.name}.")
