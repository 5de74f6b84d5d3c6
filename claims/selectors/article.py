"""The desk's article page: the body with its highlights, the side panel and the fragments a
write answers with, each in a fixed number of queries whatever the number of highlights
(docs/architecture.md, "Layers"; the view is claims.views.annotate).

The body is drawn from five columns per highlight, and the side panel lists one collapsed
line per claim (``GROUPS_SHOWN`` of them, the rest on demand); a claim's highlights load
when its line is opened.
"""

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.urls import reverse

from articles.text import shorten, soft_breaks
from claims.highlight import render_segments, segment_bounds, segments_touching
from claims.models import Annotation, AnnotationChange, Claim, Stance
from claims.services.annotations import ANCHOR_ACTIONS

GROUPS_SHOWN = 20  # claim lines in the side panel before "Show all"
# A claim's line opened after a save lists all its highlights up to this many; beyond, the
# saved one and "Show the other N highlights" (one highlight shown of two read as if one
# were missing).
ENTRIES_WHOLE = 10
# Fewer claims than this hidden behind "Show all" are shown at once instead.
GROUPS_HIDDEN_MIN = 3
SUGGESTIONS = 8  # claims the annotate form's type-ahead offers
CARDS_SHOWN = 50  # highlights in one popover (a run covered by many)


def spans(article, lo: int | None = None, hi: int | None = None):
    """What drawing the live highlights of ``article`` needs (those touching ``body[lo:hi]``
    when given): named rows of id, start, end, stance and claim id, without their quote,
    context or note, in no particular order (claims.highlight sorts them)."""
    rows = Annotation.objects.live().filter(article=article)
    if lo is not None:
        rows = rows.filter(start__lt=hi, end__gt=lo)
    return list(rows.order_by().values_list("id", "start", "end", "stance", "claim_id", named=True))


def _short(annotations):
    for a in annotations:
        # Cut here, not with |truncatechars: a thousand highlights made that filter the
        # page's slowest part.
        a.short_quote = shorten(a.exact, 140)
        # The latest correction gave it new words (a small edit inside the quote): shown
        # with an undo until something else moves it.
        # (Only live highlights reach here.)
        action = getattr(a, "last_anchor_action", None)
        a.reanchored = action == AnnotationChange.Action.REANCHORED
    return annotations


def claim_entries(article, claim_id: int, only: int | None = None) -> list[Annotation]:
    """One claim's live highlights in ``article`` (just ``only`` when given), for its opened
    line in the panel."""
    rows = Annotation.objects.live().filter(article=article, claim_id=claim_id)
    if only is not None:
        rows = rows.filter(pk=only)
    last_anchor_action = Subquery(
        AnnotationChange.objects.filter(annotation=OuterRef("pk"), action__in=ANCHOR_ACTIONS)
        .order_by("-at", "-id")
        .values("action")[:1]
    )
    return _short(
        list(
            rows.select_related("author")
            .only("id", "stance", "start", "exact", "created_at", "author__username")
            .annotate(last_anchor_action=last_anchor_action)
            .order_by("start", "end", "pk")
        )
    )


def panel(
    article, *, opened: int | None = None, entry: int | None = None, everything: bool = False
) -> dict:
    """The side panel: one line per claim (counts by stance, in order of first appearance),
    the first ``GROUPS_SHOWN`` unless ``everything``; ``opened`` (a claim id) comes open with
    its highlight ``entry`` (the others load on demand). Two or three queries whatever the
    number of highlights."""
    stance_counts = {value: Count("id", filter=Q(stance=value)) for value, _ in Stance.choices}
    rows = list(
        Annotation.objects.live()
        .filter(article=article)
        .values("claim_id", "claim__statement")
        .annotate(count=Count("id"), first=Min("start"), **stance_counts)
        .order_by("first", "claim_id")
    )
    everything = everything or len(rows) < GROUPS_SHOWN + GROUPS_HIDDEN_MIN
    shown = rows if everything else rows[:GROUPS_SHOWN]
    if opened is not None and not any(r["claim_id"] == opened for r in shown):
        shown += [r for r in rows if r["claim_id"] == opened]
    groups = []
    for row in shown:
        entries = None
        if row["claim_id"] == opened:
            whole = row["count"] <= ENTRIES_WHOLE
            entries = claim_entries(article, opened, only=None if whole else entry)
        groups.append(
            {
                "claim_id": row["claim_id"],
                "statement": row["claim__statement"],
                # Reversed here: {% url %} twice per line was most of the panel's cost.
                "claim_url": reverse("claim_detail", args=[row["claim_id"]]),
                "entries_url": reverse(
                    "article_claim_highlights", args=[article.pk, row["claim_id"]]
                ),
                "count": row["count"],
                "stances": [(v, label, row[v]) for v, label in Stance.choices if row[v]],
                "entries": entries,
                "more": row["count"] - len(entries) if entries else 0,
            }
        )
    orphans = _short(
        list(
            article.annotations.orphaned()
            .select_related("claim")
            .only("id", "stance", "exact", "claim__statement")
            .order_by("start", "end", "pk")
        )
    )
    return {
        "article": article,
        "claim_groups": groups,
        "hidden_groups": len(rows) - len(shown),
        "group_total": len(rows),
        "annotation_count": sum(row["count"] for row in rows),
        "orphans": orphans,
        "stances": Stance.choices,
    }


def article_page(article) -> dict:
    """Everything the article page needs, in a fixed number of queries whatever the number
    of annotations."""
    return {
        **panel(article),
        "body_html": render_segments(article.body, spans(article), segment_bounds(article.body)),
    }


def _consecutive(indexes: list[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 7, 8] → [(1, 3), (7, 8)]."""
    ranges: list[tuple[int, int]] = []
    for i in indexes:
        if ranges and ranges[-1][1] == i - 1:
            ranges[-1] = (ranges[-1][0], i)
        else:
            ranges.append((i, i))
    return ranges


def after_write(article, *, changed=(), annotation_id=None, claim_id=None) -> dict:
    """What a write answers with: the body segments touching ``changed`` ((start, end)
    pairs, before and after the change), redrawn with every highlight in them, and the
    panel with ``claim_id`` opened on ``annotation_id``."""
    bounds, soft = segment_bounds(article.body), soft_breaks(article.body)
    touched = set()
    for start, end in changed:
        first, last = segments_touching(bounds, start, end)
        touched.update(range(first, last + 1))
    segments = []
    for first, last in _consecutive(sorted(touched)):
        drawn = spans(article, bounds[first], bounds[last + 1])
        segments.append(
            render_segments(article.body, drawn, bounds, first, last, oob=True, soft=soft)
        )
    return {**panel(article, opened=claim_id, entry=annotation_id), "segments": segments}


def annotation_cards(article, ids: list[int]):
    """The highlights ``ids`` of ``article`` (a run of overlapping highlights), for the
    popover: at most ``CARDS_SHOWN``."""
    return article.annotations.filter(pk__in=ids[:CARDS_SHOWN]).select_related("claim", "author")


def claim_suggestions(query: str) -> dict:
    """The annotate form's type-ahead: claims similar to ``query`` (most of its words by
    stem, in any order, a half-typed word as a prefix, or a misspelling:
    ``Claim.objects.search``), best match first, then widest reach (in how many outlets
    each appears); before anything is typed, the widest reach. The typed text may already
    be a claim (same statement but for case and spacing): ``existing``, so the form says
    that saving reuses it rather than "New claim"."""
    existing = Claim.objects.with_key(query).first() if query else None
    claims = Claim.objects.search(query, prefix=True).only("pk", "statement", "outlet_count")
    if existing is not None:
        claims = claims.exclude(pk=existing.pk)
    reach = ("-outlet_count", "statement")  # all there is to sort by before anything is typed
    claims = claims.order_by(*(("-rank", *reach) if query else reach))[:SUGGESTIONS]
    return {"claims": claims, "query": query, "existing": existing}


def w3c_annotations(article):
    """The live highlights of ``article`` for its W3C export (claims.w3c), in text order."""
    return (
        Annotation.objects.live()
        .filter(article=article)
        .select_related("claim", "author")
        .order_by("start", "end", "pk")
    )


def corrections(article):
    """The article's corrections with their authors, for its correction page."""
    return article.corrections.select_related("author")
