"""The reads behind the spread: a claim's appearances as timeline points (live on the desk,
frozen on the public page), the review page's sparklines and its "rising" order, and the
series the desk downloads. Each in a fixed number of queries, whatever the number of
appearances (docs/architecture.md, "Claim spread")."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from claims.models import Annotation, Claim, PublishedRevision, Stance
from claims.selectors.published import STANCE_WORDS
from spread.timeline import Point, draw

SPARK_DAYS = 30  # the sparkline's window
RISING_RECENT = 7  # "rising": appearances in the last 7 days …
RISING_BEFORE = 30  # … against the 30 days before them
DESK_LABELS = dict(Stance.choices)
PUBLIC_LABELS = {str(k): v for k, v in STANCE_WORDS.items()}


def appearance_day():
    """An appearance's day, the one rule: its article's publication date, else the day the
    article was imported (fetched)."""
    return Coalesce(
        "article__published_on", TruncDate("article__imported_at"), output_field=DateField()
    )


def _local_day(moment) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


# --- timeline points ---------------------------------------------------------------------


@dataclass
class Spread:
    points: list[Point]
    fact_check_on: date | None


def desk_spread(claim: Claim) -> Spread:
    """The claim's live appearances (orphans left out) and the day its fact check was first
    published (None when unpublished): two queries."""
    rows = (
        Annotation.objects.live()
        .filter(claim=claim)
        .order_by("pk")
        .values_list(
            "pk",
            "stance",
            "article_id",
            "article__title",
            "article__published_on",
            "article__imported_at",
            "article__language",
            "article__outlet__name",
            "article__copy_of__outlet__name",
            "article__copy_of_id",
        )
    )
    base = reverse("article_detail", args=[0]).removesuffix("0/")
    points = [
        Point(
            outlet=outlet or "",
            day=published_on or _local_day(imported_at),
            dated=published_on is not None,
            language=language or "",
            stance=stance,
            title=title or "",
            url=f"{base}{article_id}/#annotation-{pk}",
            copy_of=(source or "another outlet") if copy_id else "",
        )
        for (
            pk,
            stance,
            article_id,
            title,
            published_on,
            imported_at,
            language,
            outlet,
            source,
            copy_id,
        ) in rows  # fmt: skip
    ]
    first_published = (
        Claim.objects.filter(pk=claim.pk)
        .values_list("published_revision__first_published_at", flat=True)
        .first()
    )
    return Spread(points=points, fact_check_on=_local_day(first_published))


def revision_points(appearances: list[dict]) -> list[Point]:
    """A published revision's frozen appearances as points: one per quote. An entry without
    ``published_on`` is placed by ``imported_on`` (kept in revisions published since the
    spread; older ones have none and stay undrawn)."""
    points = []
    for entry in appearances:
        published_on = entry.get("published_on")
        imported_on = entry.get("imported_on")
        day = published_on or imported_on
        for quote in entry.get("quotes") or []:
            points.append(
                Point(
                    outlet=entry.get("outlet") or "",
                    day=date.fromisoformat(day) if day else None,
                    dated=bool(published_on),
                    language=entry.get("language") or "",
                    stance=quote.get("stance", ""),
                    title=entry.get("title") or "",
                    url=entry.get("url") or "",
                    copy_of=entry.get("copy_of") or "",
                )
            )
    return points


def public_spread(revision_id: int) -> Spread | None:
    """What the published revision holds, and nothing else: one query."""
    row = (
        PublishedRevision.objects.filter(pk=revision_id)
        .values_list("appearances", "first_published_at")
        .first()
    )
    if row is None:
        return None
    appearances, first_published = row
    return Spread(points=revision_points(appearances), fact_check_on=_local_day(first_published))


# --- the review page -----------------------------------------------------------------------


def sparklines(claim_ids, *, today: date | None = None) -> dict[int, list[int]]:
    """Each claim's appearances per day over the last SPARK_DAYS days (oldest first): one
    query for all of them."""
    today = today or timezone.localdate()
    start = today - timedelta(days=SPARK_DAYS - 1)
    found = {pk: [0] * SPARK_DAYS for pk in claim_ids}
    rows = (
        Annotation.objects.live()
        .filter(claim_id__in=list(found))
        .annotate(day=appearance_day())
        .filter(day__gte=start, day__lte=today)
        .values("claim_id", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        day = row["day"]
        if isinstance(day, str):  # SQLite answers an expression's date as text
            day = date.fromisoformat(day[:10])
        found[row["claim_id"]][(day - start).days] += row["n"]
    return found


def rising_score():
    """ "Rising": appearances per day in the last RISING_RECENT days against the
    RISING_BEFORE days before them, as the difference of the two daily rates (multiplied
    by both windows, to stay whole): a claim seen 5 times this week and never before scores
    150, one seen as often before as now 0, one dying down less than 0."""
    today = timezone.localdate()
    recent = today - timedelta(days=RISING_RECENT - 1)
    start = recent - timedelta(days=RISING_BEFORE)
    per_claim = (
        Annotation.objects.live()
        .filter(claim=OuterRef("pk"))
        .annotate(day=appearance_day())
        .filter(day__gte=start, day__lte=today)
        .order_by()
        .values("claim")
        .annotate(
            score=Sum(
                Case(
                    When(day__gte=recent, then=Value(RISING_BEFORE)),
                    default=Value(-RISING_RECENT),
                    output_field=IntegerField(),
                )
            )
        )
        .values("score")
    )
    return Coalesce(Subquery(per_claim, output_field=IntegerField()), 0)


SORTS = [("", gettext_lazy("Latest change")), ("rising", gettext_lazy("Rising this week"))]


def order_rising(claims):
    """The review page's "rising" order: the highest ``rising_score`` first, then the
    page's own order."""
    ordering = claims.query.order_by or ()
    return claims.annotate(rising=rising_score()).order_by(F("rising").desc(), *ordering)


# --- the series ------------------------------------------------------------------------------


def series(spread: Spread) -> list[dict]:
    """The timeline's data, one entry per appearance in date order, for CSV and JSON."""
    timeline = draw(spread.points, fact_check_on=spread.fact_check_on, stance_labels=DESK_LABELS)
    return [
        {
            "date": row.point.day.isoformat() if row.point.day else None,
            "date_is": (
                "published" if row.point.dated else "imported" if row.point.day else "unknown"
            ),
            "outlet": row.point.outlet,
            "language": row.point.language,
            "stance": row.point.stance,
            "first": row.first,
            "title": row.point.title,
            "url": row.point.url,
        }
        for row in timeline.table
    ]
