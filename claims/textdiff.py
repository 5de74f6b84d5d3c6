"""Comparing an article's text before and after a correction. Pure: no database.

``fold`` hides typography; ``OffsetMap`` is a real diff of two texts (paragraphs, then words),
used by claims.anchoring to carry offsets from the old text to the new one.
"""

from __future__ import annotations

import bisect
import re
from difflib import SequenceMatcher

# Beyond this many occurrences a needle is a word, not a claim (see claims.anchoring).
MAX_CANDIDATES = 2000
# Blocks of changed lines bigger than this are not diffed word by word (quadratic worst case).
MAX_TOKEN_DIFF = 60_000

# Length-preserving: one character for one, so offsets into folded text are offsets into text.
_FOLDED = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006", " "),
    **dict.fromkeys("\u2008\u2009\u200a\u3000\t", " "),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
}
# re.sub touches only the few characters to fold; str.translate with a dict is ~50x slower.
_TO_FOLD = re.compile("[" + "".join(_FOLDED) + "]")


def fold(text: str) -> str:
    """Typography folded away: what two texts are compared as."""
    return _TO_FOLD.sub(lambda match: _FOLDED[match.group()], text)


class OffsetMap:
    """The stretches of text a diff of ``old`` → ``new`` found unchanged, as
    (old_start, new_start, length), to carry an offset from one text to the other.

    Built once per correction on the folded texts: lines first (fast on long articles), then
    each block of changed lines token by token. Nothing is trimmed first: trimming a common
    head or tail slides across repeated words and vouches for the wrong copy.
    """

    # A line keeps its line breaks, and a word or sign the spaces after it: a blank line or a
    # space is not an element of its own, so no element is so common that difflib's
    # "popular element" heuristic makes it misalign a paragraph.
    _LINES = re.compile(r"[^\n]*\n+|[^\n]+")
    _TOKENS = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")

    def __init__(self, old: str, new: str):
        self.old, self.new = fold(old), fold(new)
        self.segments: list[tuple[int, int, int]] = []
        self._diff_lines(self.old, self.new)
        self.segments.sort()
        self._old_starts = [s[0] for s in self.segments]
        self._by_new = sorted((n, o, length) for o, n, length in self.segments)
        self._new_starts = [s[0] for s in self._by_new]
        # The old ranges between carried stretches (empty where text was only inserted).
        self.cuts, previous = [], 0
        for old_start, _, length in self.segments:
            self.cuts.append((previous, old_start))
            previous = old_start + length
        self.cuts.append((previous, len(self.old)))
        self._around_cuts: dict[int, tuple] = {}

    def _diff_lines(self, old: str, new: str) -> None:
        old_lines, new_lines = self._LINES.findall(old), self._LINES.findall(new)
        old_at, new_at = _positions(old_lines), _positions(new_lines)
        # Lines are compared without their line breaks: "\n\n" → "\n" between paragraphs
        # must not make every paragraph a changed one.
        old_keys = [line.rstrip("\n") for line in old_lines]
        new_keys = [line.rstrip("\n") for line in new_lines]
        matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    # The words, and as many line breaks as both have.
                    common = min(len(old_lines[i]), len(new_lines[j]))
                    self._add(old_at[i], new_at[j], common)
            elif tag == "replace":
                o1, o2, n1, n2 = old_at[i1], old_at[i2], new_at[j1], new_at[j2]
                if max(o2 - o1, n2 - n1) <= MAX_TOKEN_DIFF:
                    self._diff_tokens(old[o1:o2], new[n1:n2], o1, n1)
                elif i2 - i1 == j2 - j1:
                    # Many paragraphs, each edited (a typo in each): word by word, pairwise.
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                        old_line, new_line = old_lines[i], new_lines[j]
                        if max(len(old_line), len(new_line)) <= MAX_TOKEN_DIFF:
                            self._diff_tokens(old_line, new_line, old_at[i], new_at[j])

    def _diff_tokens(self, old: str, new: str, old_base: int, new_base: int) -> None:
        old_tokens, new_tokens = self._TOKENS.findall(old), self._TOKENS.findall(new)
        old_at, new_at = _positions(old_tokens), _positions(new_tokens)
        # Exact up to a few thousand tokens; beyond, difflib's heuristic keeps it fast.
        exact = len(old_tokens) + len(new_tokens) < 4000
        # Tokens are compared with their trailing whitespace as one space ("that " and
        # "that\n" are the same word); only the characters both have are carried.
        matcher = SequenceMatcher(
            None, _spaced(old_tokens), _spaced(new_tokens), autojunk=not exact
        )
        for i, j, n in matcher.get_matching_blocks():
            if n and old_tokens[i : i + n] == new_tokens[j : j + n]:
                self._add(old_base + old_at[i], new_base + new_at[j], old_at[i + n] - old_at[i])
                continue
            for k in range(n):
                old_token, new_token = old_tokens[i + k], new_tokens[j + k]
                same = len(old_token) if old_token == new_token else len(old_token.rstrip())
                self._add(old_base + old_at[i + k], new_base + new_at[j + k], same)

    def _add(self, old_start: int, new_start: int, length: int) -> None:
        # Adjacent equal blocks (line equal, then token equal) join into one stretch.
        if self.segments:
            o, n, length_before = self.segments[-1]
            if o + length_before == old_start and n + length_before == new_start:
                self.segments[-1] = (o, n, length_before + length)
                return
        if length:
            self.segments.append((old_start, new_start, length))

    def _segment(self, starts, segments, position: int):
        index = bisect.bisect_right(starts, position) - 1
        return segments[index] if index >= 0 else None

    def carried_over(self, start: int, end: int) -> int | None:
        """Where the old span [start, end) went, if the diff kept it verbatim; else None."""
        segment = self._segment(self._old_starts, self.segments, start)
        if segment is None:
            return None
        old_start, new_start, length = segment
        if end <= old_start + length:
            return new_start + (start - old_start)
        return None

    def carried_from(self, start: int, end: int) -> int | None:
        """Where the new span [start, end) came from, if carried verbatim; else None."""
        segment = self._segment(self._new_starts, self._by_new, start)
        if segment is None:
            return None
        new_start, old_start, length = segment
        if end <= new_start + length:
            return old_start + (start - new_start)
        return None

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """Where the old span [start, end) went, as the new text between the images of the
        nearest carried characters before and after it: what replaced it (empty if it was
        only deleted), with any characters carried from inside it."""
        index = bisect.bisect_right(self._old_starts, start - 1) - 1
        low = 0
        if index >= 0:
            old_start, new_start, length = self.segments[index]
            low = new_start + min(length, start - old_start)
        index = bisect.bisect_right(self._old_starts, end) - 1
        if index >= 0:
            old_start, new_start, length = self.segments[index]
            if old_start + length > end:
                return low, new_start + end - old_start
        if index + 1 < len(self.segments):
            return low, self.segments[index + 1][1]
        return low, len(self.new)

    def replaced(self, start: int, end: int) -> tuple[str, str]:
        """The old and the new text between the carried stretches around the new span
        [start, end) (which the diff did not carry): what the correction changed there."""
        index = bisect.bisect_right(self._new_starts, start) - 1
        new_low = old_low = 0
        if index >= 0:
            new_at, old_at, length = self._by_new[index]
            new_low, old_low = new_at + length, old_at + length
        new_high, old_high = len(self.new), len(self.old)
        if index + 1 < len(self._by_new):
            new_high, old_high, _ = self._by_new[index + 1]
        return self.old[old_low : max(old_low, old_high)], self.new[new_low : max(end, new_high)]

    def broken_occurrences(self, needle: str) -> list[int]:
        """Where ``needle`` occurs in the old text without being carried whole by the diff:
        the occurrences that overlap a cut. Searches only the text around the cuts."""
        size = len(needle)
        reach = 64
        while reach < size:
            reach *= 2
        if reach not in self._around_cuts:
            self._around_cuts[reach] = self._text_around_cuts(reach)
        text, starts, offsets = self._around_cuts[reach]
        if text is None or "\0" in needle:
            found = occurrences(self.old, needle, MAX_CANDIDATES) or []
        else:
            found = []
            for index in occurrences(text, needle, MAX_CANDIDATES) or []:
                region = bisect.bisect_right(starts, index) - 1
                found.append(offsets[region] + index - starts[region])
        return [o for o in found if self.carried_over(o, o + size) is None]

    def _text_around_cuts(self, reach: int):
        """The old text within ``reach`` of any cut, as one string (regions joined by NUL),
        with where each region starts in it and in the old text; None when that is most of
        the text anyway."""
        regions: list[list[int]] = []
        for low, high in self.cuts:
            if low == high and low in (0, len(self.old)):
                continue  # nothing changed at the very start or end
            begin, stop = max(0, low - reach), min(len(self.old), high + reach)
            if regions and begin <= regions[-1][1]:
                regions[-1][1] = max(regions[-1][1], stop)
            else:
                regions.append([begin, stop])
        if sum(stop - begin for begin, stop in regions) > len(self.old) // 2:
            return None, [], []
        parts, starts, offsets, position = [], [], [], 0
        for begin, stop in regions:
            starts.append(position)
            offsets.append(begin)
            parts.append(self.old[begin:stop])
            position += stop - begin + 1
        return "\0".join(parts), starts, offsets

    def touches_carried(self, start: int, end: int) -> bool:
        """Whether any character of the new span [start, end) was carried from the old text."""
        index = bisect.bisect_right(self._new_starts, end - 1) - 1
        if index < 0:
            return False
        new_start, _, length = self._by_new[index]
        return new_start + length > start

    def after(self, position: int, reach: int = 1) -> int | None:
        """Where old offset ``position`` falls in the new text, judged from the nearest old
        character before it (within ``reach``) that the diff carried: the left edge of a span
        whose left neighbours survived. The caller checks that they did."""
        if position == 0:
            return 0
        for back in range(1, min(reach, position) + 1):
            mapped = self.carried_over(position - back, position - back + 1)
            if mapped is not None:
                return mapped + back
        return None

    def before(self, position: int, reach: int = 1) -> int | None:
        """The same from the nearest carried character at or after ``position``: the right
        edge of a span. (A word and the space after it are one token of the diff, so an
        edited last word leaves the space after it uncarried.)"""
        for ahead in range(min(reach, len(self.old) - position)):
            mapped = self.carried_over(position + ahead, position + ahead + 1)
            if mapped is not None:
                return mapped - ahead
        return len(self.new) if position == len(self.old) else None


def _spaced(tokens: list[str]) -> list[str]:
    """Each token with its trailing whitespace, if any, as one space."""
    return [token.rstrip() + " " if token[-1:].isspace() else token for token in tokens]


def _positions(parts: list[str]) -> list[int]:
    positions = [0]
    for part in parts:
        positions.append(positions[-1] + len(part))
    return positions


def occurrences(text: str, needle: str, limit: int) -> list[int] | None:
    """Where ``needle`` occurs (overlaps included); None beyond ``limit`` occurrences."""
    found, index = [], text.find(needle)
    while index != -1:
        if len(found) >= limit:
            return None
        found.append(index)
        index = text.find(needle, index + 1)
    return found
