"""Re-anchoring a highlight after a correction of its article's text. Pure: no database.

docs/architecture.md, "Re-anchoring": each annotation is re-anchored by its quote and
context; one that cannot be found again is marked orphaned — never deleted, never silently
moved onto other words. The rules:

1. **Position.** ``new[start:end] == exact`` *and* the stored prefix and suffix are still
   there, character for character: kept. The context is checked too because a short or
   repeated quote ("Trump", "said") can sit at the same offset after an edit while the
   sentence around it is another one; "kept" must mean the same words in the same place.
2. **Quote and context.** Every occurrence of ``exact`` in the new text is a candidate,
   scored by how much its surrounding text resembles the stored prefix and suffix (0..1),
   plus a bonus when the diff of old→new text vouches for it: the old span lies inside a
   stretch of text the diff found unchanged and lands exactly on this candidate (the words
   were carried over verbatim, only shifted by an edit elsewhere). The best candidate wins
   only if its context reaches ``MIN_CONTEXT`` and it leads the runner-up by ``MARGIN`` — two
   equally plausible places mean orphaned, not a coin toss. The quote is evidence too: when
   it occurred once in the old text and occurs once in the new one, a long quote needs less
   agreement from the words around it (a 47-character sentence fragment is itself context;
   "Trump" is not), down to none from ``LONG_QUOTE`` characters on.
3. **No fuzzy matching of the quote itself.** If ``exact`` no longer occurs, the words the
   editor highlighted are gone: orphaned. An editor re-attaches it deliberately.

An annotation that was already orphaned has offsets into an older text, so neither rule 1 nor
the diff bonus applies to it; it comes back only through rule 2's context, unique and clear.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

# How much text on either side of a highlight is kept as its context (W3C prefix/suffix).
CONTEXT_LENGTH = 32
MIN_CONTEXT = 0.5
LONG_QUOTE = 64
MARGIN = 0.15
DIFF_BONUS = 0.25
# Beyond this many occurrences of a quote the context is all that tells them apart, and
# scoring them all would cost more than it is worth: such a quote is a word, not a claim.
MAX_CANDIDATES = 5000
# Blocks of changed lines bigger than this are not diffed word by word (quadratic worst case).
MAX_TOKEN_DIFF = 60_000

Outcome = Literal["kept", "moved", "orphaned"]


@dataclass(frozen=True)
class Anchor:
    """A highlight's W3C selectors: TextPositionSelector + TextQuoteSelector.

    The one value type for where a highlight is: built from a text (``at``) or from the
    stored fields (``of``), written back to them (``apply_to``), and exported as W3C Web
    Annotation selectors (``selectors``).
    """

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""

    @classmethod
    def at(cls, body: str, start: int, end: int, length: int = CONTEXT_LENGTH) -> Anchor:
        prefix, suffix = context_around(body, start, end, length)
        return cls(start, end, body[start:end], prefix, suffix)

    @classmethod
    def of(cls, annotation) -> Anchor:
        a = annotation
        return cls(a.start, a.end, a.exact, a.prefix, a.suffix)

    def apply_to(self, annotation) -> None:
        annotation.start, annotation.end = self.start, self.end
        annotation.exact, annotation.prefix, annotation.suffix = (
            self.exact,
            self.prefix,
            self.suffix,
        )

    def selectors(self) -> list[dict]:
        """W3C TextPositionSelector and TextQuoteSelector (offsets in code points)."""
        return [
            {
                "type": "TextQuoteSelector",
                "exact": self.exact,
                "prefix": self.prefix,
                "suffix": self.suffix,
            },
            {"type": "TextPositionSelector", "start": self.start, "end": self.end},
        ]


@dataclass(frozen=True)
class Reanchored:
    outcome: Outcome
    anchor: Anchor | None = None  # the new selectors when kept or moved
    reason: str = ""  # why, when orphaned


def context_around(body: str, start: int, end: int, length: int = CONTEXT_LENGTH):
    return body[max(0, start - length) : start], body[end : end + length]


def _anchor_at(body: str, start: int, end: int, length: int) -> Anchor:
    return Anchor.at(body, start, end, length)


class OffsetMap:
    """The stretches of text a diff of ``old`` → ``new`` found unchanged, as
    (old_start, new_start, length), to carry an old offset over to the new text.

    Built once per correction. Common head and tail are trimmed first (a correction is
    usually a few local edits), the rest is diffed line by line, and only the changed blocks
    of lines word by word, so a 300 KB article stays fast.
    """

    _TOKENS = re.compile(r"\w+|\s+|[^\w\s]")

    def __init__(self, old: str, new: str):
        self.segments: list[tuple[int, int, int]] = []
        head = _common_prefix_length(old, new)
        tail = _common_suffix_length(old[head:], new[head:])
        if head:
            self.segments.append((0, 0, head))
        self._diff(old[head : len(old) - tail], new[head : len(new) - tail], head, head)
        if tail:
            self.segments.append((len(old) - tail, len(new) - tail, tail))
        self.segments.sort()
        self._starts = [s[0] for s in self.segments]

    def _diff(self, old: str, new: str, old_base: int, new_base: int) -> None:
        if not old or not new:
            return
        old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
        old_at, new_at = _positions(old_lines), _positions(new_lines)
        matcher = SequenceMatcher(None, old_lines, new_lines)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            o1, o2, n1, n2 = old_at[i1], old_at[i2], new_at[j1], new_at[j2]
            if tag == "equal":
                self.segments.append((old_base + o1, new_base + n1, o2 - o1))
            elif tag == "replace" and max(o2 - o1, n2 - n1) <= MAX_TOKEN_DIFF:
                self._diff_tokens(old[o1:o2], new[n1:n2], old_base + o1, new_base + n1)

    def _diff_tokens(self, old: str, new: str, old_base: int, new_base: int) -> None:
        old_tokens, new_tokens = self._TOKENS.findall(old), self._TOKENS.findall(new)
        old_at, new_at = _positions(old_tokens), _positions(new_tokens)
        matcher = SequenceMatcher(None, old_tokens, new_tokens)
        for i, j, n in matcher.get_matching_blocks():
            if n:
                length = old_at[i + n] - old_at[i]
                self.segments.append((old_base + old_at[i], new_base + new_at[j], length))

    def carried_over(self, start: int, end: int) -> int | None:
        """Where the old span [start, end) went, if the diff kept it verbatim; else None."""
        index = bisect.bisect_right(self._starts, start) - 1
        if index < 0:
            return None
        old_start, new_start, length = self.segments[index]
        if end <= old_start + length:
            return new_start + (start - old_start)
        return None


def _positions(parts: list[str]) -> list[int]:
    positions = [0]
    for part in parts:
        positions.append(positions[-1] + len(part))
    return positions


def _common_prefix_length(a: str, b: str) -> int:
    # Binary search on slice equality: C-speed comparisons instead of a Python loop.
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix_length(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            low = mid
        else:
            high = mid - 1
    return low


def _similarity(stored: str, found: str) -> float:
    if stored == found:
        return 1.0
    return SequenceMatcher(None, stored, found, autojunk=False).ratio()


def context_score(anchor: Anchor, body: str, start: int) -> float:
    """How much the text around ``start`` in ``body`` resembles the anchor's context, 0..1.

    Each side weighs as much as it holds: an empty stored prefix (a quote at the very start)
    says little, so it must not count as much as 32 characters of real context.
    """
    end = start + len(anchor.exact)
    prefix_weight, suffix_weight = len(anchor.prefix), len(anchor.suffix)
    if not prefix_weight and not suffix_weight:
        return 1.0
    found_prefix = body[max(0, start - prefix_weight) : start]
    found_suffix = body[end : end + suffix_weight]
    prefix = _similarity(anchor.prefix, found_prefix) if prefix_weight else 0.0
    suffix = _similarity(anchor.suffix, found_suffix) if suffix_weight else 0.0
    return (prefix * prefix_weight + suffix * suffix_weight) / (prefix_weight + suffix_weight)


def _occurs_once(body: str | None, exact: str) -> bool:
    if body is None:
        return False
    first = body.find(exact)
    return first != -1 and body.find(exact, first + 1) == -1


def _occurrences(body: str, exact: str):
    index = body.find(exact)
    while index != -1:
        yield index
        index = body.find(exact, index + 1)


def reanchor(
    anchor: Anchor,
    new_body: str,
    *,
    offsets: OffsetMap | None = None,
    old_body: str | None = None,
    was_orphaned: bool = False,
    context_length: int = CONTEXT_LENGTH,
) -> Reanchored:
    """Find ``anchor`` (selectors into the old text) again in ``new_body``.

    ``offsets`` maps the old text to the new one (build it once per correction); without it
    only the quote and its context count. ``old_body`` (the text before the correction) tells
    whether the quote was unique there.
    """
    exact = anchor.exact
    if not exact:
        return Reanchored("orphaned", reason="The highlight has no quoted words.")
    start, end = anchor.start, anchor.end

    if not was_orphaned and new_body[start:end] == exact:
        before = (
            new_body[start - len(anchor.prefix) : start] if start >= len(anchor.prefix) else None
        )
        after = new_body[end : end + len(anchor.suffix)]
        if before == anchor.prefix and after == anchor.suffix:
            return Reanchored("kept", _anchor_at(new_body, start, end, context_length))

    vouched = None if was_orphaned or offsets is None else offsets.carried_over(start, end)
    scored = []
    for count, candidate in enumerate(_occurrences(new_body, exact)):
        if count >= MAX_CANDIDATES:
            return Reanchored(
                "orphaned", reason="The quoted words occur too often to tell which is meant."
            )
        context = context_score(anchor, new_body, candidate)
        bonus = DIFF_BONUS if candidate == vouched else 0.0
        scored.append((context + bonus, context, candidate))
    if not scored:
        return Reanchored("orphaned", reason="The quoted words no longer occur in the text.")

    scored.sort(reverse=True)
    score, context, best = scored[0]
    minimum = MIN_CONTEXT
    if len(scored) == 1 and _occurs_once(old_body, exact):
        minimum *= max(0.0, 1 - len(exact) / LONG_QUOTE)
    if context < minimum:
        return Reanchored(
            "orphaned", reason="The quoted words occur, but not among the same words as before."
        )
    if len(scored) > 1 and score - scored[1][0] < MARGIN:
        return Reanchored(
            "orphaned",
            reason="The quoted words occur in several places that fit equally well.",
        )
    outcome: Outcome = "kept" if (best == start and not was_orphaned) else "moved"
    return Reanchored(outcome, _anchor_at(new_body, best, best + len(exact), context_length))
