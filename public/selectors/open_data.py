"""What open data reads: published revisions only, never live desk rows (the same rule as
the public pages, public.selectors.pages). Each read is one query, whatever the page."""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from claims.models import PublishedRevision, Rating
from claims.selectors.published import JSONLength, _JSONSlice, appearance
from public.selectors.pages import fact_check_page

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# The columns a list leaves in the database: a viral claim's appearances are megabytes.
HEAVY = ("appearances", "evidence", "summary_html")


class BadCursor(ValueError):
    """A cursor this API did not hand out (or one from another list)."""


@dataclass(frozen=True)
class Cursor:
    """Where a page of fact checks, newest update first, starts: after the revision published
    at ``at`` with id ``pk``. Opaque to clients (base64), stable while they page."""

    at: datetime
    pk: int

    def encode(self) -> str:
        return base64.urlsafe_b64encode(f"{self.at.isoformat()}|{self.pk}".encode()).decode()

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        try:
            at, pk = base64.urlsafe_b64decode(text.encode("ascii")).decode().split("|")
            return cls(datetime.fromisoformat(at), int(pk))
        except (ValueError, UnicodeError, binascii.Error):
            raise BadCursor("This cursor is not one the API handed out.") from None


def _appearing(field: str, value: str):
    """Revisions with an appearance whose ``field`` (outlet, language) is ``value``: a JSON
    containment on PostgreSQL, the array's entries on SQLite."""
    if connection.vendor == "postgresql":
        import json

        return RawSQL(
            '"claims_publishedrevision"."appearances" @> %s::jsonb',
            [json.dumps([{field: value}])],
            output_field=BooleanField(),
        )
    return RawSQL(
        'EXISTS (SELECT 1 FROM json_each("claims_publishedrevision"."appearances") '
        "WHERE json_extract(value, %s) = %s)",
        [f"$.{field}", value],
        output_field=BooleanField(),
    )


def fact_checks(
    *,
    rating: str = "",
    language: str = "",
    outlet: str = "",
    updated_since: datetime | None = None,
    cursor: Cursor | None = None,
    limit: int = PAGE_SIZE,
) -> tuple[list[PublishedRevision], Cursor | None]:
    """A page of published fact checks (their current revisions), the most recently
    updated first, and the cursor of the next page (None at the end). One query."""
    revisions = PublishedRevision.objects.current().defer(*HEAVY)
    if rating:
        revisions = revisions.filter(rating=rating)
    if updated_since is not None:
        revisions = revisions.filter(published_at__gte=updated_since)
    for field, value in (("language", language), ("outlet", outlet)):
        if value:
            revisions = revisions.filter(
                pk__in=PublishedRevision.objects.filter(_appearing(field, value)).values("pk")
            )
    if cursor is not None:
        revisions = revisions.filter(
            Q(published_at__lt=cursor.at) | Q(published_at=cursor.at, pk__lt=cursor.pk)
        )
    rows = list(revisions.order_by("-published_at", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (Cursor(rows[-1].published_at, rows[-1].pk) if more and rows else None)


def fact_check(slug: str):
    """The public page's read (public.selectors.pages.fact_check_page): the current
    revision, its first appearances and the update log; None when unpublished."""
    return fact_check_page(slug)


def revisions_of(claim_id: int) -> list[PublishedRevision]:
    """Every published revision of a claim, oldest first, without the heavy columns."""
    return list(
        PublishedRevision.objects.filter(claim_id=claim_id).defer(*HEAVY).order_by("number")
    )


def appearances(slug: str, *, start: int, limit: int) -> tuple[list, int] | None:
    """Appearances ``start`` … ``start + limit`` of the claim's current revision, as the
    database cuts them, and how many there are; None when unpublished. One query."""
    revision = (
        PublishedRevision.objects.current(slug)
        .only("pk")
        .annotate(
            entries=_JSONSlice("appearances", start, start + limit),
            total=JSONLength("appearances"),
        )
        .first()
    )
    if revision is None:
        return None
    return [appearance(e) for e in revision.entries], revision.total


_OUTLETS_SQL = {
    "postgresql": """
        SELECT e->>'outlet' AS outlet, COUNT(DISTINCT r.id), COUNT(*)
        FROM claims_claim c
        JOIN claims_publishedrevision r ON r.id = c.published_revision_id
        CROSS JOIN LATERAL jsonb_array_elements(r.appearances) e
        WHERE COALESCE(e->>'outlet', '') <> ''
        GROUP BY 1 ORDER BY 2 DESC, 1""",
    "sqlite": """
        SELECT json_extract(e.value, '$.outlet') AS outlet, COUNT(DISTINCT r.id), COUNT(*)
        FROM claims_claim c
        JOIN claims_publishedrevision r ON r.id = c.published_revision_id,
             json_each(r.appearances) e
        WHERE COALESCE(json_extract(e.value, '$.outlet'), '') <> ''
        GROUP BY 1 ORDER BY 2 DESC, 1""",
}


def outlets() -> list[tuple[str, int, int]]:
    """Every outlet named by a published fact check: (name, fact checks, articles), the
    most fact-checked first. One query over the current revisions' appearances."""
    with connection.cursor() as cursor:
        cursor.execute(_OUTLETS_SQL[connection.vendor])
        return [(name, checks, articles) for name, checks, articles in cursor.fetchall()]


def feed_revisions():
    """Every current revision for the data feed, newest update first (an iterator: the
    feed of a large archive is streamed, never held)."""
    return (
        PublishedRevision.objects.current()
        .defer("summary_html", "appearances")
        .annotate(first_entries=_JSONSlice("appearances", 0, 25))
        .order_by("-published_at", "-pk")
    )


RATINGS = Rating.values
