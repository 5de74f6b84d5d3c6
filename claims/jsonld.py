"""schema.org ClaimReview for a published fact check, and its safe embedding in HTML.

https://schema.org/ClaimReview — what search engines read to show a fact check's rating.
"""

import json
import re

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from claims.models import RATING_VALUES, Annotation, Claim, Verdict

# The model does not say whether a claimant is a person or a body; these words mark a body.
_ORGANISATION_WORDS = re.compile(
    r"\b(kremlin|ministry|government|office|agency|party|council|committee|department|"
    r"embassy|press service|administration|army|forces|inc|ltd|company|news|media|"
    r"white house|parliament|duma|senate|congress|campaign)\b",
    re.IGNORECASE,
)


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _claimant(name: str) -> dict:
    kind = "Organization" if _ORGANISATION_WORDS.search(name) else "Person"
    return {"@type": kind, "name": name}


def _appearance(article) -> dict:
    work = {"@type": "NewsArticle" if article.outlet_id else "CreativeWork"}
    if article.safe_url:
        work["url"] = article.safe_url
    if article.title:
        work["headline"] = article.title
    if article.published_on:
        work["datePublished"] = _date(article.published_on)
    if article.outlet_id:
        work["publisher"] = {"@type": "Organization", "name": article.outlet.name}
    return work


def claim_review(
    *,
    claim: Claim,
    verdict: Verdict,
    appearances: list[Annotation],
    published_at,
    url: str,
    site_url: str,
) -> dict:
    """``appearances``: the claim's live annotations with article and outlet, in date order."""
    articles = list({a.article_id: a.article for a in appearances}.values())
    rating = {"@type": "Rating", "alternateName": verdict.get_rating_display()}
    value = RATING_VALUES.get(verdict.rating)
    if value is not None:
        rating.update(ratingValue=value, bestRating=5, worstRating=1)
    item = {"@type": "Claim"}
    if claim.claimant:
        item["author"] = _claimant(claim.claimant)
    if articles:
        item["appearance"] = [_appearance(a) for a in articles]
        item["firstAppearance"] = _appearance(articles[0])
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.statement,
        "datePublished": _date(published_at.date() if published_at else None),
        "dateModified": _date(verdict.approved_at),
        "author": {"@type": "Organization", "name": settings.SITE_NAME, "url": site_url},
        "reviewRating": rating,
        "itemReviewed": item,
    }


_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def to_script_json(data: dict) -> SafeString:
    """JSON for the inside of a <script> element: no "</script>" or "<!--" in user text can
    end the element early, because <, > and & never appear raw."""
    text = json.dumps(data, ensure_ascii=False, indent=2).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 — escaped above, and JSON-encoded
