"""The spread's template tags: the small includes in the claim desk page, the public fact
check and the review page call these (docs/architecture.md, "Claim spread")."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext

from spread import selectors
from spread.timeline import SHAPES, draw

register = template.Library()

# The public timeline of a revision is drawn once and kept: a revision never changes.
PUBLIC_CACHE_TIMEOUT = 24 * 60 * 60


def _legend(labels: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(stance, shape, labels.get(stance, stance)) for stance, shape in SHAPES.items()]


def _render(spread, labels, **extra) -> str:
    if spread is None or not spread.points:
        return ""
    timeline = draw(spread.points, fact_check_on=spread.fact_check_on, stance_labels=labels)
    return render_to_string(
        "spread/timeline.html", {"t": timeline, "legend": _legend(labels), **extra}
    )


@register.simple_tag
def desk_spread_timeline(claim):
    """The claim's live timeline, with links to its series: drawn (two queries, linear in
    the claim's reach) once per state of its appearances and kept, under the claim's
    ``appearances_version`` (raised by every change to them), its published revision (the
    fact check's day) and the language; none when kept."""
    key = (
        f"spread:desk:{claim.pk}:{claim.appearances_version}:{claim.published_revision_id}"
        f":{get_language()}"
    )
    html = cache.get(key)
    if html is None:
        series = {kind: reverse("spread_series", args=[claim.pk, kind]) for kind in ("csv", "json")}
        spread = selectors.desk_spread(claim)
        html = _render(spread, selectors.DESK_LABELS, series=series)
        cache.set(key, html, PUBLIC_CACHE_TIMEOUT)
    return mark_safe(html)


def public_timeline_html(revision_id: int) -> str:
    """The timeline of a published revision (its frozen appearances only)."""
    return _render(selectors.public_spread(revision_id), selectors.PUBLIC_LABELS, external=True)


@register.simple_tag
def public_spread_timeline(revision):
    """The fact check's timeline, drawn from the published revision once and kept in the
    cache under the revision's id (one query when drawn, none when kept)."""
    if not settings.SPREAD_PUBLIC_TIMELINE:
        return ""
    key = f"spread:public:{revision.pk}:{translation.get_language()}"  # drawn per language
    html = cache.get(key)
    if html is None:
        html = public_timeline_html(revision.pk)
        cache.set(key, html, PUBLIC_CACHE_TIMEOUT)
    return mark_safe(html)


SPARK_WIDTH, SPARK_HEIGHT, SPARK_BAR = 90, 22, 3


def spark(counts: list[int]) -> dict:
    """A sparkline's bars (x, y, height) and what it says."""
    top = max(counts) or 1
    bars = []
    for i, n in enumerate(counts):
        if n:
            height = max(2.0, round(n / top * (SPARK_HEIGHT - 2), 1))
            bars.append((i * SPARK_BAR, round(SPARK_HEIGHT - height, 1), height))
    total, recent = sum(counts), sum(counts[-selectors.RISING_RECENT :])
    label = ngettext(
        "%(total)d appearance in the last %(days)d days, %(recent)d in the last %(week)d",
        "%(total)d appearances in the last %(days)d days, %(recent)d in the last %(week)d",
        total,
    ) % {"total": total, "days": len(counts), "recent": recent, "week": selectors.RISING_RECENT}
    return {
        "bars": bars,
        "label": label,
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
        "bar": SPARK_BAR - 1,
    }


@register.simple_tag(takes_context=True)
def sparkline(context, claim):
    """The claim's appearances over the last 30 days. The first call on a page counts them
    for every claim of its ``rows`` in one query; the others read that."""
    request = context.get("request")
    memo = getattr(request, "_spread_sparklines", None) or {}
    if claim.pk not in memo:
        ids = {claim.pk} | {row.claim.pk for row in context.get("rows") or ()}
        memo = selectors.sparklines(ids)
        if request is not None:
            request._spread_sparklines = memo
    return render_to_string("spread/sparkline.html", spark(memo[claim.pk]))


@register.simple_tag
def spread_sorts():
    return selectors.SORTS
