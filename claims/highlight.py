"""An article's body with its highlights drawn in: the HTML inside ``#article-body``.

The element's text must be exactly ``body`` (docs/architecture.md, "The offsets contract"),
because the browser measures selections in it. So the HTML is built here, in Python, from
escaped slices of the body and ``<mark>`` tags only: no template whitespace can slip in.

Overlapping highlights become runs: the text is cut at every start and end, and each run
carries the ids of every annotation covering it, with a depth class so overlap reads darker.
One sort of the 2·n boundaries and one sweep: O(n log n) in the number of annotations (plus
the size of the output, which lists each covering id once per run).
"""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape as html_escape

from django.utils.safestring import SafeString, mark_safe

MAX_DEPTH_CLASS = 4


# The body is drawn as consecutive ``<span class="seg" id="seg-N">`` segments of about this
# many code points, cut after a line break where there is one: a saved highlight then
# redraws only the segments it touches, not the whole article. Spans add no text, so the
# element's textContent stays exactly the body.
SEGMENT_LENGTH = 2000
SEGMENT_SLACK = 6000  # how far past SEGMENT_LENGTH a cut may look for a line break


@dataclass(frozen=True, slots=True)
class Run:
    start: int
    end: int
    ids: tuple[int, ...]
    stances: frozenset[str]
    opens: tuple[int, ...]  # annotations whose first run this is


def segment_bounds(body: str) -> list[int]:
    """Where the body's segments start, and its length last: ``[0, b1, ..., len(body)]``."""
    bounds, position, length = [0], 0, len(body)
    while length - position > SEGMENT_LENGTH + SEGMENT_SLACK:
        target = position + SEGMENT_LENGTH
        cut = body.find("\n", target, target + SEGMENT_SLACK)
        if cut < 0:
            cut = body.find(" ", target, target + SEGMENT_SLACK)
        position = (cut + 1) if cut >= 0 else target + SEGMENT_SLACK
        bounds.append(position)
    if length > 0:
        bounds.append(length)
    return bounds


def runs(
    body: str, annotations: Iterable, lo: int = 0, hi: int | None = None, cuts=()
) -> list[Run]:
    """Cut ``body[lo:hi]`` at every boundary of ``annotations`` (objects with id, start, end,
    stance) and at ``cuts``.

    Annotations outside the text or orphaned are not drawn (an orphan's offsets mean nothing
    in the current text). An annotation that begins before ``lo`` is drawn from ``lo`` on but
    does not *open* there, so a window renders exactly as the same part of the whole body.
    """
    length = len(body)
    hi = length if hi is None else hi
    # (offset, 0=end/1=start, real start, id, stance); cuts are starts of nothing.
    events: list[tuple[int, int, int, int, str]] = [(c, 1, c, 0, "") for c in cuts if lo < c < hi]
    for a in annotations:
        if getattr(a, "orphaned", False) or not (0 <= a.start < a.end <= length):
            continue
        start, end = max(a.start, lo), min(a.end, hi)
        if start >= end:
            continue
        events.append((start, 1, a.start, a.id, a.stance))
        events.append((end, 0, a.start, a.id, a.stance))
    events.sort()

    result: list[Run] = []
    active: dict[int, str] = {}  # insertion-ordered: ids in the order their highlight starts
    position = lo
    i = 0
    opens: list[int] = []
    while i < len(events):
        offset = events[i][0]
        if offset > position:
            result.append(
                Run(position, offset, tuple(active), frozenset(active.values()), tuple(opens))
            )
            if opens:
                opens = []
            position = offset
        while i < len(events) and events[i][0] == offset:
            _, kind, real_start, pk, stance = events[i]
            if not pk:
                pass  # a cut
            elif kind:
                active[pk] = stance
                if real_start == offset:
                    opens.append(pk)
            else:
                active.pop(pk, None)
            i += 1
    if position < hi:
        result.append(Run(position, hi, tuple(active), frozenset(active.values()), tuple(opens)))
    return result


def render_segments(
    body: str,
    annotations: Iterable,
    bounds: list[int],
    first: int = 0,
    last: int | None = None,
    *,
    oob: bool = False,
) -> SafeString:
    """Segments ``first``..``last`` (indexes into ``bounds``) with their highlights drawn in,
    each one ``<span class="seg" id="seg-N">`` (``data-hx-swap-oob`` when ``oob``, to replace
    the same segment on the page).

    The same sweep as ``runs()``, writing HTML as it goes: a thousand overlapping highlights
    make thousands of runs, and this is the article page's hot loop.
    """
    last = len(bounds) - 2 if last is None else last
    if last < first:
        return mark_safe("")
    lo, hi = bounds[first], bounds[last + 1]
    length = len(body)
    swap = ' data-hx-swap-oob="true"' if oob else ""
    # (offset, 0=end/1=start/2=segment cut, real start, id, stance)
    events: list[tuple[int, int, int, int, str]] = [
        (cut, 2, cut, index, "") for index, cut in enumerate(bounds) if lo < cut < hi
    ]
    described: dict[int, str] = {}  # id → the ids of the elements that name its claim and stance
    for a in annotations:
        if getattr(a, "orphaned", False) or not (0 <= a.start < a.end <= length):
            continue
        start, end = max(a.start, lo), min(a.end, hi)
        if start < end:
            events.append((start, 1, a.start, a.id, a.stance))
            events.append((end, 0, a.start, a.id, a.stance))
            described[a.id] = f"claim-name-{a.claim_id} stance-name-{a.stance}"
    events.sort()

    parts = [f'<span class="seg" id="seg-{first}"{swap}>']
    active: dict[str, str] = {}  # id → stance, in the order the highlights start
    stances: dict[str, int] = {}  # how many active highlights have each stance
    ids = ""  # the active ids, space-separated, rebuilt only when they change
    opens: list[int] = []
    position, i, count = lo, 0, len(events)
    while i < count:
        offset = events[i][0]
        if offset > position:
            text = html_escape(body[position:offset])
            if active:
                for pk in opens:
                    parts.append(f'<span class="hl-anchor" id="annotation-{pk}"></span>')
                depth = len(active)
                parts.append(
                    f'<mark class="hl d{depth if depth < MAX_DEPTH_CLASS else MAX_DEPTH_CLASS}'
                    f' hl-{next(iter(stances)) if len(stances) == 1 else "mixed"}"'
                    f' data-annotations="{ids}"{_focusable(opens, described)}>{text}</mark>'
                )
            else:
                parts.append(text)
            if opens:
                opens = []
            position = offset
        changed = False
        while i < count and events[i][0] == offset:
            _, kind, real_start, pk, stance = events[i]
            i += 1
            if kind == 2:
                parts.append(f'</span><span class="seg" id="seg-{pk}"{swap}>')
            elif kind == 1:
                active[str(pk)] = stance
                stances[stance] = stances.get(stance, 0) + 1
                changed = True
                if real_start == offset:
                    opens.append(pk)
            elif active.pop(str(pk), None) is not None:
                stances[stance] -= 1
                if not stances[stance]:
                    del stances[stance]
                changed = True
        if changed:
            ids = " ".join(active)
    if position < hi:
        parts.append(html_escape(body[position:hi]))
    parts.append("</span>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text went through escape


def segments_touching(bounds: list[int], start: int, end: int) -> tuple[int, int]:
    """The first and last segment that ``body[start:end]`` touches."""
    top = len(bounds) - 2
    first = min(max(0, bisect_right(bounds, start) - 1), top)
    last = min(max(first, bisect_right(bounds, max(start, end - 1)) - 1), top)
    return first, last


def render_body(body: str, annotations: Iterable) -> SafeString:
    """The inner HTML of ``#article-body``: escaped text, ``<mark>`` runs and the segment
    spans, nothing else."""
    return render_segments(body, annotations, segment_bounds(body))


def _focusable(opens: list[int], described: dict[int, str]) -> str:
    """The attributes of a highlight's first run: focusable, and described by the claim and
    stance of the highlights that start there (``aria-describedby`` → elements of the page
    that name them: an attribute, so the text stays exactly the body; no ``aria-label``, a
    ``<mark>`` may not be named)."""
    if not opens:
        return ""
    names = " ".join(dict.fromkeys(" ".join(described[pk] for pk in opens).split()))
    return f' tabindex="0" aria-describedby="{names}"'
