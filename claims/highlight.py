"""An article's body with its highlights drawn in: the HTML inside ``#article-body``.

The element's text must be exactly ``body`` (docs/architecture.md, "The offsets contract"),
because the browser measures selections in it. So the HTML is built here, in Python, from
escaped slices of the body and ``<mark>`` tags only: no template whitespace can slip in.

Overlapping highlights become runs: the text is cut at every start and end, and each run
carries the ids of every annotation covering it, with a depth class so overlap reads darker.
One sort of the 2·n boundaries and one sweep: O(n log n) in the number of annotations (plus
the size of the output, which lists each covering id once per run).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_DEPTH_CLASS = 4


@dataclass(frozen=True, slots=True)
class Run:
    start: int
    end: int
    ids: tuple[int, ...]
    stances: frozenset[str]
    opens: tuple[int, ...]  # annotations whose first run this is


def runs(body: str, annotations: Iterable) -> list[Run]:
    """Cut ``body`` at every boundary of ``annotations`` (objects with id, start, end, stance).

    Annotations outside the text or orphaned are not drawn (an orphan's offsets mean nothing
    in the current text).
    """
    length = len(body)
    events: list[tuple[int, int, int, str]] = []  # (offset, 0=end/1=start, id, stance)
    for a in annotations:
        if getattr(a, "orphaned", False) or not (0 <= a.start < a.end <= length):
            continue
        events.append((a.start, 1, a.id, a.stance))
        events.append((a.end, 0, a.id, a.stance))
    events.sort()

    result: list[Run] = []
    active: dict[int, str] = {}  # insertion-ordered: ids in the order their highlight starts
    position = 0
    i = 0
    opens: list[int] = []
    while i < len(events):
        offset = events[i][0]
        if offset > position:
            result.append(
                Run(position, offset, tuple(active), frozenset(active.values()), tuple(opens))
            )
            opens = []
            position = offset
        while i < len(events) and events[i][0] == offset:
            _, kind, pk, stance = events[i]
            if kind:
                active[pk] = stance
                opens.append(pk)
            else:
                active.pop(pk, None)
            i += 1
    if position < length:
        result.append(Run(position, length, (), frozenset(), ()))
    return result


def render_body(body: str, annotations: Iterable) -> SafeString:
    """The inner HTML of ``#article-body``: escaped text and ``<mark>`` runs, nothing else.

    A highlight's first run is focusable and described by ``aria-description`` (the claims
    and stances of every highlight covering it): an attribute, so the text stays exactly
    ``body``. Not ``aria-label``: a ``<mark>`` may not be named (ARIA, the Nu checker)."""
    annotations = list(annotations)
    names = {a.id: _name(a) for a in annotations}
    parts: list[str] = []
    for run in runs(body, annotations):
        text = escape(body[run.start : run.end])
        if not run.ids:
            parts.append(text)
            continue
        # Empty anchors add no text, so the body's textContent stays exactly ``body``; links to
        # #annotation-<pk> (from the claim page) land on the highlight's first word.
        parts.extend(f'<span class="hl-anchor" id="annotation-{pk}"></span>' for pk in run.opens)
        depth = min(len(run.ids), MAX_DEPTH_CLASS)
        stance = next(iter(run.stances)) if len(run.stances) == 1 else "mixed"
        focus = ""
        if run.opens:
            label = escape("Highlight: " + "; ".join(names[pk] for pk in run.ids))
            focus = f' tabindex="0" aria-description="{label}"'
        ids = " ".join(str(pk) for pk in run.ids)
        parts.append(
            f'<mark class="hl d{depth} hl-{stance}" data-annotations="{ids}"{focus}>{text}</mark>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above went through escape()


def _name(annotation) -> str:
    """ "<claim> (<stance>)", or the stance alone when the claim is not loaded (never a
    query per highlight)."""
    stance = str(annotation.stance)
    descriptor = getattr(type(annotation), "claim", None)
    if descriptor is not None and not descriptor.is_cached(annotation):
        return stance
    claim = getattr(annotation, "claim", None)
    statement = getattr(claim, "statement", "") if claim is not None else ""
    return f"{statement} ({stance})" if statement else stance
