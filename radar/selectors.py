"""The radar's reads for the desk's pages, each in a fixed number of queries."""

from django.db.models import Count, Exists, OuterRef

from claims.models import Annotation
from radar.models import Scan, Suggestion

LIKELY_SHOWN = 50


def _waiting():
    """Suggestions no live highlight of their claim has covered since they were found."""
    covered = Annotation.objects.live().filter(
        article=OuterRef("article"),
        claim=OuterRef("claim"),
        start__lt=OuterRef("end"),
        end__gt=OuterRef("start"),
    )
    return Suggestion.objects.filter(~Exists(covered))


def article_panel(article) -> dict:
    """The article page's suggestions, in text order, and its scan when one is under way
    (three queries: the article's highlights are few, so they are compared here)."""
    highlighted = list(
        Annotation.objects.live().filter(article=article).values_list("claim_id", "start", "end")
    )
    rows = (
        Suggestion.objects.filter(article=article)
        .order_by("start", "-score", "pk")
        .values_list(
            "pk",
            "start",
            "end",
            "exact",
            "stance",
            "score",
            "reason",
            "claim_id",
            "claim__statement",
            named=True,
        )
    )  # named rows, not models: fifty of them cost less than the page without them
    suggestions = [
        s
        for s in rows
        if not any(c == s.claim_id and a < s.end and s.start < b for c, a, b in highlighted)
    ]
    scan = Scan.objects.filter(article=article).order_by("-created_at", "-pk").first()
    return {"suggestions": suggestions, "scan": scan if scan and scan.is_active else None}


def likely_appearances(claim, limit: int = LIKELY_SHOWN) -> dict:
    """A claim's suggestions across the archive, best first, with article and outlet (no
    article text), how many there are, and its archive scan when under way (two queries;
    three when there are more than ``limit``)."""
    rows = _waiting().filter(claim=claim)
    shown = list(
        rows.select_related("article__outlet")
        .only(
            "pk",
            "start",
            "end",
            "exact",
            "stance",
            "score",
            "reason",
            "article__id",
            "article__title",
            "article__published_on",
            "article__source_filename",
            "article__outlet__name",
        )
        .order_by("-score", "article_id", "start")[:limit]
    )
    scan = Scan.objects.filter(claim=claim).order_by("-created_at", "-pk").first()
    return {
        "suggestions": shown,
        "count": len(shown) if len(shown) < limit else rows.count(),
        "scan": scan if scan and scan.is_active else None,
    }


def waiting_counts(claim_ids) -> dict[int, int]:
    """How many suggestions wait per claim (one query)."""
    rows = (
        _waiting()
        .filter(claim_id__in=list(claim_ids))
        .values("claim_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["claim_id"]: row["n"] for row in rows}
