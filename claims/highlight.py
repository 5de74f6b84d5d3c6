"""An article's body with its highlights drawn in: the HTML inside ``#article-body``.

The element's text must be exactly ``body`` (docs/architecture.md, "The offsets contract"),
because the browser measures selections in it. So the HTML is built here, in Python, from
escaped slices of the body and ``<mark>`` tags only: no template whitespace can slip in.

Overlapping highlights become runs: the text is cut at every start and end, and each run
carries the ids of every annotation covering it, with a depth class so overlap reads darker.

A hard-wrapped file's soft line breaks (``articles.text.soft_breaks``) are each drawn inside
``<span class="soft-break">``, which site.css sets to ``white-space: normal``: the newline
reads as a space while the body keeps its ``white-space: pre-wrap`` for every other line
break, and the element's text is still exactly ``body``.
One sort of the 2·n boundaries and one sweep: O(n log n) in the number of annotations (plus
the size of the output, which lists each covering id once per run).
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import escape as html_escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from articles.text import soft_breaks
from claims.desk_names import ANCHOR_PREFIX

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


# The sweep's events: (offset, kind, real start, id, stance), sorted. At one offset the ends
# come first, then the starts, then a segment cut (whose id is the segment that begins there).
END, START, CUT = 0, 1, 2
Event = tuple[int, int, int, int, str]


def _drawn(annotations: Iterable, length: int, lo: int, hi: int) -> Iterator[tuple[int, int, Any]]:
    """``(start, end, annotation)`` for each annotation drawn in ``body[lo:hi]``, clipped to it.

    Annotations outside the text or orphaned are not drawn (an orphan's offsets mean nothing
    in the current text)."""
    for a in annotations:
        if getattr(a, "orphaned", False) or not (0 <= a.start < a.end <= length):
            continue
        start, end = max(a.start, lo), min(a.end, hi)
        if start < end:
            yield start, end, a


def runs(
    body: str, annotations: Iterable, lo: int = 0, hi: int | None = None, cuts=()
) -> list[Run]:
    """Cut ``body[lo:hi]`` at every boundary of ``annotations`` (objects with id, start, end,
    stance) and at ``cuts``.

    Annotations outside the text or orphaned are not drawn. An annotation that begins before
    ``lo`` is drawn from ``lo`` on but does not *open* there, so a window renders exactly as
    the same part of the whole body.
    """
    hi = len(body) if hi is None else hi
    events: list[Event] = [(c, CUT, c, 0, "") for c in cuts if lo < c < hi]
    for start, end, a in _drawn(annotations, len(body), lo, hi):
        events.append((start, START, a.start, a.id, a.stance))
        events.append((end, END, a.start, a.id, a.stance))
    events.sort()

    result: list[Run] = []
    active: dict[int, str] = {}  # insertion-ordered: ids in the order their highlight starts
    opens: list[int] = []
    position = lo
    for offset, kind, real_start, pk, stance in events:
        if offset > position:
            result.append(
                Run(position, offset, tuple(active), frozenset(active.values()), tuple(opens))
            )
            opens = []
            position = offset
        if kind == START:
            active[pk] = stance
            if real_start == offset:
                opens.append(pk)
        elif kind == END:
            active.pop(pk, None)
    if position < hi:
        result.append(Run(position, hi, tuple(active), frozenset(active.values()), tuple(opens)))
    return result


_SEGMENT = '</span><span class="seg" id="seg-{}">'
_SEGMENT_OOB = '</span><span class="seg" id="seg-{}" data-hx-swap-oob="true">'


def render_segments(
    body: str,
    annotations: Iterable,
    bounds: list[int],
    first: int = 0,
    last: int | None = None,
    *,
    oob: bool = False,
    soft: list[int] | None = None,
) -> SafeString:
    """Segments ``first``..``last`` (indexes into ``bounds``) with their highlights drawn in,
    each one ``<span class="seg" id="seg-N">`` (``data-hx-swap-oob`` when ``oob``, to replace
    the same segment on the page), and the soft line breaks ``soft`` (``soft_breaks(body)``
    when not given) drawn as spaces.

    The same sweep as ``runs()``, writing HTML as it goes: a thousand overlapping highlights
    make thousands of runs, and this is the article page's hot loop (bench/article_page.py).
    """
    last = len(bounds) - 2 if last is None else last
    if last < first:
        return mark_safe("")
    lo, hi = bounds[first], bounds[last + 1]
    segment = _SEGMENT_OOB if oob else _SEGMENT
    events, described = _segment_events(annotations, bounds, lo, hi, len(body))
    soft = soft_breaks(body) if soft is None else soft
    parts = [segment.format(first).removeprefix("</span>")]
    _sweep(parts, body, events, lo, hi, segment, described, soft)
    parts.append("</span>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text went through escape


def _segment_events(
    annotations: Iterable, bounds: list[int], lo: int, hi: int, length: int
) -> tuple[list[Event], dict[int, str]]:
    """The sorted events of ``body[lo:hi]`` with the segment cuts inside it, and for each
    highlight drawn there what its first run points at (``aria-describedby``): its claim's
    name in the side panel and a hidden name of its stance — an attribute, so the text stays
    exactly the body; no ``aria-label``, a ``<mark>`` may not be named."""
    events: list[Event] = [
        (cut, CUT, cut, index, "") for index, cut in enumerate(bounds) if lo < cut < hi
    ]
    described: dict[int, str] = {}
    for start, end, a in _drawn(annotations, length, lo, hi):
        events.append((start, START, a.start, a.id, a.stance))
        events.append((end, END, a.start, a.id, a.stance))
        described[a.id] = f"claim-name-{a.claim_id} stance-name-{a.stance}"
    events.sort()
    return events, described


def _escape(text: str) -> str:
    """``html.escape(text)``, without its five replacements when there is nothing to replace
    (most runs: no markup characters, typographic quotes or none)."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html_escape(text)
    return text


SOFT_BREAK = '<span class="soft-break">\n</span>'


def _text(body: str, start: int, end: int, soft: list[int]) -> str:
    """``body[start:end]`` escaped, each soft line break in it inside ``SOFT_BREAK``."""
    text = body[start:end]
    if "\n" not in text:
        return _escape(text)
    i, j = bisect_left(soft, start), bisect_left(soft, end)
    if i == j:
        return _escape(text)
    pieces, position = [], start
    for newline in soft[i:j]:
        pieces.append(_escape(body[position:newline]))
        pieces.append(SOFT_BREAK)
        position = newline + 1
    pieces.append(_escape(body[position:end]))
    return "".join(pieces)


def _sweep(parts, body, events, lo, hi, segment, described, soft) -> None:
    """Walk the events, appending each run of ``body[lo:hi]`` to ``parts``: escaped text
    (soft line breaks drawn as spaces), inside a ``<mark>`` when highlights cover it, and the
    segment cuts.

    One loop over local state, with no call per event: a thousand highlights make thousands
    of runs, and this is what they cost (bench/article_page.py)."""
    active: dict[str, str] = {}  # id → stance, in the order the highlights start
    opens: list[int] = []  # the highlights whose first run is the next one
    tag = ""  # the <mark> opening tag for the active highlights; "" once they change
    tags = _MarkTags()
    position = lo
    for offset, kind, real_start, pk, stance in events:
        if offset > position:
            text = _text(body, position, offset, soft)
            if active:
                tag = tag or tags.tag(active)
                if opens:
                    text, opens = _first_run(tag, text, opens, described), []
                else:
                    text = f"{tag}>{text}</mark>"
            parts.append(text)
            position = offset
        if kind == START:
            active[str(pk)] = stance
            tag = ""
            if real_start == offset:
                opens.append(pk)
        elif kind == END:
            active.pop(str(pk), None)
            tag = ""
        else:
            parts.append(segment.format(pk))
    if position < hi:
        parts.append(_text(body, position, hi, soft))


class _MarkTags:
    """``<mark class="hl dN hl-STANCE" data-annotations="ID ID"`` (left open) for a set of
    active highlights: the depth class (overlap reads darker), their stance or ``mixed``, and
    their ids. The start of the tag is built once per depth and stances."""

    __slots__ = ("starts",)

    def __init__(self):
        self.starts: dict[tuple[int, frozenset[str]], str] = {}

    def tag(self, active: dict[str, str]) -> str:
        key = (len(active), frozenset(active.values()))
        start = self.starts.get(key)
        if start is None:
            depth, stances = min(key[0], MAX_DEPTH_CLASS), key[1]
            stance = next(iter(stances)) if len(stances) == 1 else "mixed"
            start = self.starts[key] = f'<mark class="hl d{depth} hl-{stance}" data-annotations="'
        return f'{start}{" ".join(active)}"'


def _first_run(tag: str, text: str, opens: list[int], described: dict[int, str]) -> str:
    """The first run of the highlights ``opens``: an empty ``#annotation-N`` anchor for each
    (links and the panel jump there), and a mark that can be focused and is described by
    their claims and stances."""
    if len(opens) == 1:  # the usual case, in one step
        pk = opens[0]
        return (
            f'<span id="{ANCHOR_PREFIX}{pk}"></span>{tag} tabindex="0" '
            f'aria-describedby="{described[pk]}">{text}</mark>'
        )
    anchors = "".join([f'<span id="{ANCHOR_PREFIX}{pk}"></span>' for pk in opens])
    names = " ".join(dict.fromkeys(" ".join(described[pk] for pk in opens).split()))
    return f'{anchors}{tag} tabindex="0" aria-describedby="{names}">{text}</mark>'


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
