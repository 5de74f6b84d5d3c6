"""schema.org ClaimReview for a published fact check, and its safe embedding in HTML.

https://schema.org/ClaimReview — what search engines read to show a fact check's rating.
Built from the published revision only (docs/architecture.md, "Publishing").
"""

import json

from django.conf import settings
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from claims.models import ClaimantType, PublishedRevision, guess_claimant_type


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _claimant(name: str, kind: str = "") -> dict:
    kind = kind or guess_claimant_type(name)
    return {
        "@type": "Organization" if kind == ClaimantType.ORGANIZATION else "Person",
        "name": name,
    }


def _appearance(article) -> dict:
    """``article``: an entry of the revision's appearances
    (claims.selectors.published.Appearance)."""
    work = {"@type": "NewsArticle" if article.outlet else "CreativeWork"}
    if article.url:
        work["url"] = article.url
    if article.title:
        work["headline"] = article.title
    if article.published_on:
        work["datePublished"] = _date(article.published_on)
    if article.outlet:
        work["publisher"] = {"@type": "Organization", "name": article.outlet}
    return work


def claim_review(
    *, revision: PublishedRevision, appearances: list, url: str, site_url: str
) -> dict:
    """``appearances``: the revision's articles in date order
    (claims.selectors.published.Appearance)."""
    rating = {"@type": "Rating", "alternateName": str(revision.get_rating_display())}
    value = revision.rating_value
    if value is not None:
        rating.update(ratingValue=value, bestRating=5, worstRating=1)
    item = {"@type": "Claim"}
    if revision.claimant:
        item["author"] = _claimant(revision.claimant, revision.claimant_type)
    if appearances:
        item["appearance"] = [_appearance(a) for a in appearances]
        item["firstAppearance"] = _appearance(appearances[0])
        if appearances[0].published_on:
            item["datePublished"] = _date(appearances[0].published_on)
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": revision.statement,
        "datePublished": _date(revision.first_published_at.date()),
        "dateModified": _date(revision.published_at),
        "author": {"@type": "Organization", "name": settings.SITE_NAME, "url": site_url},
        "reviewRating": rating,
        "itemReviewed": item,
        # The language the review is written in: the page's (its address's).
        "inLanguage": translation.get_language(),
    }


_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def to_script_json(data: dict) -> SafeString:
    """JSON for the inside of a <script> element: no "</script>" or "<!--" in user text can
    end the element early, because <, > and & never appear raw."""
    text = json.dumps(data, ensure_ascii=False, indent=2).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 — escaped above, and JSON-encoded
