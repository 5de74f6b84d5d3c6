"""Re-anchoring a highlight after a correction of its article's text. Pure: no database.

docs/architecture.md, "Re-anchoring": a highlight stays where its words are, moves to the
one place that is unambiguously the same words, is re-anchored *with changes* when a small
edit touched its own words, or is orphaned (``"orphaned"`` when its words are gone,
``"ambiguous"`` when several places fit). It is never moved onto other words.

How the evidence is gathered, once per correction (``Reanchorer``):

- **Folding.** Both texts are compared after a length-preserving fold (curly → straight
  quotes, NBSP and other spaces → space, dashes → hyphen), so typography alone never loses a
  highlight and offsets stay valid in the real texts.
- **A real diff** (``OffsetMap`` in claims.textdiff): paragraphs first, then the changed
  blocks word by word; no trimming of a common head or tail (which slides across repeated
  words). An old span the diff carried over verbatim has one image in the new text. The diff
  is evidence, never proof: between identical copies its pairing is arbitrary, hence the
  twin and rival checks below.
- **Sides.** A side of the context (the stored 32 characters of prefix or suffix) is
  *intact* at a place when the same characters are there; a shorter stored side ran into the
  start or end of the text, and is intact only at that edge still.

Decisions for a highlight whose quote (folded) still occurs:

1. **Twins.** When the quote with both sides intact occurs more than once in the old or the new
   text, the diff's choice between copies is trusted only if the old copies map one to one onto
   the new ones; otherwise ``ambiguous``. A paragraph pasted twice is never silently resolved.
2. **Carried with its own context.** The diff carried the quote and at least one side is
   intact there: it stays (reproduction 1 of issue 8: a look-alike line inserted after it
   has the other side, not this one), unless a *rival* makes it a coin toss — then
   ``ambiguous``: another place sharing its intact side that the correction created or
   completed; with only one side intact, that side with the quote occurring (before or after)
   elsewhere without a one-to-one pairing, or another place whose context is as close
   (``CLOSE_CONTEXT``).
3. **Carried, context edited.** Neither side intact: accepted only for a quote that is unique
   in both texts, when the surrounding text still resembles the stored context
   (``MIN_CONTEXT``, less for a long quote) and, for a short one, a word next to it is
   still the stored one. Otherwise orphaned, or ``ambiguous`` when several places fit about
   as well.
4. **Moved passage.** The diff did not carry the quote, but it occurs exactly once with both
   sides intact, in text the correction inserted (a paragraph moved): it moves there.
   Words carried from elsewhere in the old text are other words, even when they look alike.

Issue 22 (second pass): a side is also *alike* (``near_sides``: similar, whitespace runs as
one space, its nearest characters about the same), so typos and spaces beside a quote keep
it; a quote carried whole, unique in both texts and ``ONE_SIDE`` long, is kept whatever
happened around it; a quote carried in part (a repeated sign paired elsewhere) counts as
carried when its words are there whole; a passage moved is found by its words alone (unique,
two words or more) or with the words cut out around it (``_moved_with_neighbours``).

Otherwise, for a highlight that was live, **fuzzy re-anchoring**: the words where the diff put
the old span's edges (fitted to the context on each side), when each side of the context is
still alike (or, for a long quote, its edge was carried), the new words are a *slight* edit of
the quote (``slight``: an absolute bound — at most ``MAX_EDIT`` letters typed and deleted, in
runs of at most ``MAX_WORDS`` words, no line, sentence, clause or moved words gained or lost,
no character carried from other words), and resemble it (``MIN_FUZZY``; a short quote: one
letter changed), with a margin over any other place: the highlight takes the new words
(outcome ``"reanchored"`` with the score). Else it is orphaned. A highlight that was already
orphaned has stale offsets: only rule 4 (unique, both sides intact) brings it back.

Whatever placed it, a live result whose edge sits in a run of a repeated word into which
the correction put a word ("congratulated Trump" → "congratualted Trump Trump") is ambiguous
(``stuttered``), unless the exact words stand anchored by the quote's other words, or a sign
of the quote's edge goes with one copy only (``_pinned``); so is a one-line quote in a run of
identical lines that gained or lost a copy (``_in_a_run_of_copies``).

Issue 22 (fourth round): the fuzzy step does not take a span whose first (or last) line,
edited there, stands unchanged with its context elsewhere (``_edge_line_elsewhere``), nor a
word put in that is one of the words just beyond its edges (``_echoes``); a line break next
to a word put in is a line put in (``_break_by_a_word``); a word replaced in a short quote
passes when most of its words stand (``MIN_KEPT``, ``_words_stand``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache, partial
from typing import Literal

from claims.textdiff import MAX_CANDIDATES, OffsetMap, fold, occurrences

__all__ = ["Anchor", "OffsetMap", "Reanchored", "Reanchorer", "fold", "reanchor"]

# How much text on either side of a highlight is kept as its context (W3C prefix/suffix).
CONTEXT_LENGTH = 32
MIN_CONTEXT = 0.5  # rule 3: how much the context must still resemble the stored one
MARGIN = 0.15  # how much the winner must lead any other place (rules 3 and fuzzy)
CLOSE_CONTEXT = 0.75  # another place whose context is this close is a look-alike
LONG_QUOTE = 64  # rule 3: from this length on a unique quote needs half the context
MIN_FUZZY = 0.8  # fuzzy: how much the new words must resemble the old quote (folded)
MIN_KEPT = 0.5  # fuzzy: below MIN_FUZZY, half the letters kept and most words standing
MAX_SCORED = 50  # rule 3 and the fuzzy margin score at most this many rival places
NEAR_SIDE = 0.75  # a side of the context this alike (typos, spaces) still vouches for a place
ONE_SIDE = 24  # fuzzy: from this length on one side of the context still alike is enough
NEAREST = 10  # a side's characters nearest the quote must be about the same too
SLACK = 8  # how much further a side's text is looked for when typos changed its length
MIN_SIDE = 8  # a stored side shorter than this does not tell a place (fuzzy margin)
NEIGHBOURS = 48  # rule 4: how far the words moved with a quote are looked at on each side
MIN_NEIGHBOURS = 12  # rule 4: how many of them a quote needs to be recognised by
MAX_WORDS = 3  # fuzzy: at most this many words typed or deleted in a row
SLIDE_REACH = 2000  # how far after (or before) the found words their side is looked for
MAX_EDIT = 16  # fuzzy: at most this many letters typed, and deleted, inside the quote
SHORT = 4  # fuzzy: a quote of fewer letters is a word that any changed letter makes another
LONG_WORD = 6  # a repeated word this long may have two typos in a copy, if this alike:
LONG_WORD_ALIKE = 0.7

Outcome = Literal["kept", "moved", "reanchored", "orphaned", "ambiguous"]

LEFT, RIGHT = 1, 2
BOTH = LEFT | RIGHT

GONE = "The quoted words no longer occur in the text."
ELSEWHERE = "The quoted words occur, but not among the same words as before."
SEVERAL = "The quoted words occur in several places that fit equally well."
TOO_OFTEN = "The quoted words occur too often to tell which is meant."
EMPTY = "The highlight has no quoted words."


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
    anchor: Anchor | None = None  # the new selectors unless orphaned/ambiguous
    reason: str = ""  # why, when orphaned or ambiguous
    score: float | None = None  # how alike old and new quote are, when re-anchored with changes


def context_around(body: str, start: int, end: int, length: int = CONTEXT_LENGTH):
    return body[max(0, start - length) : start], body[end : end + length]


def _anchor_at(body: str, start: int, end: int, length: int) -> Anchor:
    return Anchor.at(body, start, end, length)


def _similarity(stored: str, found: str) -> float:
    """difflib's ratio (2 × matching characters / both lengths), with the common head and tail
    counted directly: a long quote with one edit costs a diff of the edit, not of the quote."""
    if stored == found:
        return 1.0
    total = len(stored) + len(found)
    head = _common_prefix_length(stored, found)
    stored, found = stored[head:], found[head:]
    tail = _common_suffix_length(stored, found)
    stored, found = stored[: len(stored) - tail], found[: len(found) - tail]
    middle = SequenceMatcher(None, stored, found, autojunk=False).get_matching_blocks()
    return 2 * (head + tail + sum(block.size for block in middle)) / total


def _common_prefix_length(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _common_suffix_length(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[-1 - i] == b[-1 - i]:
        i += 1
    return i


_SPACES = re.compile(r"\s+")
_BREAKS = re.compile(r"\s*\n\s*")
_WORD_OR_BREAK = re.compile(r"\n|[^\s]+")
_CLAUSE_END = re.compile(r"[.!?;:,]")
_TOKEN = re.compile(r"\n|[^\s]+")  # a word, or a line break
_NOT_ALNUM = re.compile(r"[\W_]+")
_WORD = re.compile(r"\S+")


def squeeze(text: str) -> str:
    """Every run of whitespace as one space: what whitespace-only changes do not change."""
    return _SPACES.sub(" ", text)


def _words(text: str) -> list[str]:
    """The words of ``text``, with a line break as a word of its own ("\n")."""
    return _WORD_OR_BREAK.findall(_BREAKS.sub("\n", text))


def slight(old: str, new: str, moved=None) -> bool:
    """Whether ``new`` differs from ``old`` (both folded) by a slight edit: at most
    ``MAX_EDIT`` letters typed and as many deleted (whitespace not counted, nor a line break
    made a space), and no line, sentence or clause gained or lost: no changed run of words
    holding a line break, of more than ``MAX_WORDS`` words, or of two words or more holding a
    sentence's or clause's end; nor (``moved``, a test of a run of words and whether it was
    deleted) words moved in from elsewhere in the old text or moved out to elsewhere."""
    a, b = _words(old), _words(new)
    if a == b:
        return True
    if _break_by_a_word(a, b):
        return False
    typed = deleted = 0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        gone = [w for w in a[i1:i2] if w != "\n"]
        added = [w for w in b[j1:j2] if w != "\n"]
        letters = SequenceMatcher(None, "".join(gone), "".join(added), autojunk=False)
        same = sum(block.size for block in letters.get_matching_blocks())
        deleted += sum(map(len, gone)) - same
        typed += sum(map(len, added)) - same
        if _misspelt(gone, added, same):
            continue  # typos: the same words, misspelt
        if _gains_a_passage(a, b, (i1, i2, j1, j2), gone, added, moved):
            return False
        if typed > MAX_EDIT or deleted > MAX_EDIT:
            return False
    return True


def _break_by_a_word(a: list[str], b: list[str]) -> bool:
    """Whether the new words ``b`` have a line break where the old ones ``a`` had none,
    next to a word put in (not an old word misspelt): "link\nСсылка скопирована" →
    "link Ссылка Trump\nскопирована" is a line put in, whichever word the break went with.
    A line break made of a space between the same words is whitespace only."""
    if "\n" not in b or _break_pairs(b) <= _break_pairs(a):
        return False  # each line break between the same two words as before
    old = [w for w in a if w != "\n"]
    new = [w for w in b if w != "\n"]
    kept = _kept_words(old, new)
    breaks_before = _break_gaps(a)  # old word indices a line break stands before
    for gap in _break_gaps(b):
        low, high = gap - 1, gap  # the nearest kept words on either side of the break
        while low >= 0 and low not in kept:
            low -= 1
        while high < len(new) and high not in kept:
            high += 1
        if high - low == 1:
            continue  # between two kept words: a space made a line break
        old_low = kept[low] if low >= 0 else -1
        old_high = kept[high] if high < len(new) else len(old)
        if not any(old_low < i <= old_high for i in breaks_before):
            return True
    return False


def _kept_words(old: list[str], new: list[str]) -> dict[int, int]:
    """New word index → old word index, for the words the same or misspelt."""
    kept = {}
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            kept.update(zip(range(j1, j2), range(i1, i2), strict=True))
            continue
        if i2 - i1 != j2 - j1:
            continue
        letters = SequenceMatcher(None, "".join(old[i1:i2]), "".join(new[j1:j2]), autojunk=False)
        same = sum(block.size for block in letters.get_matching_blocks())
        if _misspelt(old[i1:i2], new[j1:j2], same):
            kept.update(zip(range(j1, j2), range(i1, i2), strict=True))
    return kept


def _break_pairs(words: list[str]) -> set[tuple[str, str]]:
    """The words on either side of each line break (None at an end)."""
    pairs, previous = set(), None
    for i, word in enumerate(words):
        if word == "\n":
            after = next((w for w in words[i + 1 :] if w != "\n"), None)
            pairs.add((previous, after))
        else:
            previous = word
    return pairs


def _break_gaps(words: list[str]) -> list[int]:
    """For each line break among ``words``, the index (line breaks aside) of the word after
    it."""
    gaps, count = [], 0
    for word in words:
        if word == "\n":
            gaps.append(count)
        else:
            count += 1
    return gaps


def _misspelt(gone: list[str], added: list[str], same: int) -> bool:
    """Whether a changed run of words (line breaks aside) is the same words misspelt: more
    than half their letters the same, and as many words, or a space typed or dropped with
    two letters at most besides ("Caliber.Az" → "Caliber. REGIONAz" is a word put in)."""
    if not gone or not added:
        return False
    longest = max(sum(map(len, gone)), sum(map(len, added)))
    if len(gone) != len(added) and longest - same > 2:
        return False
    return 2 * same >= longest


_EDGE_REACH = 120  # how much text on either side of an edge is read for repeated words


@lru_cache(maxsize=8192)
def _word_key(word: str) -> str:
    """A word as a repetition is judged: its letters and digits, case aside ("U.S." is
    "US")."""
    return (_NOT_ALNUM.sub("", word) or word).casefold()


def _two_typos(a: str, b: str) -> bool:
    """Whether two long words are ``LONG_WORD_ALIKE``, their common head and tail (what two
    typos leave, at least ``LONG_WORD - 4`` letters) looked at first, as that is cheap."""
    if _common_prefix_length(a, b) + _common_suffix_length(a, b) < min(len(a), len(b)) - 4:
        return False
    return _similarity(a, b) >= LONG_WORD_ALIKE


def _short_alike(a: str, b: str) -> bool:
    """Whether two word keys are one word of one or two letters and the same with two typos
    (a letter doubled and one changed; one letter of it kept: "in" and "aan"). Read so only
    where the correction is known to have put a word in (``stuttered``)."""
    short, long = sorted((a, b), key=len)
    if not short or len(short) >= SHORT - 1 or len(long) != len(short) + 1 or " " in long:
        return False
    # Two typos that make a word one letter longer double a letter, and the doubled pair
    # stays unless one edit alone would do ("in" → "iin" → "ain" is one letter put in):
    # "aan", not "the" beside "to".
    if not any(x == y for x, y in zip(long, long[1:], strict=False)):
        return False
    return _two_edits(short, long)


def _two_edits(short: str, long: str) -> bool:
    """Whether two typos (a letter changed, dropped or doubled) make ``short`` ``long``
    (``long`` as long or one letter longer), a letter of it kept."""
    if not set(short) & set(long):
        return False
    if len(short) == len(long):
        return True  # at most two letters, each changed
    # One letter more: dropping one of ``long``'s letters leaves one letter changed at most.
    return any(
        sum(x != y for x, y in zip(long[:i] + long[i + 1 :], short, strict=True)) <= 1
        for i in range(len(long))
    )


@lru_cache(maxsize=16384)
def _same_word(a: str, b: str) -> bool:
    """Whether two word keys (or runs of them) are the same give or take a typo: one letter
    changed, dropped or doubled, or swapped with the next ("wial", "hs", "Nvosti", "hat",
    "end" for "and", "Secretary af"), or two in a word of ``LONG_WORD`` letters still
    ``LONG_WORD_ALIKE`` ("metohas"); "directly" is not "indirectly". Loose on purpose
    ("it" and "is" are alike): ``stuttered`` judges only runs where the correction put a
    word in."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if not short or len(long) > len(short) + 1:
        return False
    if len(short) >= LONG_WORD and _two_typos(a, b):
        return True  # two typos in a long word ("metohas" for "methods")
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(differ) == 1 or (
            len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]]
        )
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _edge_keys(inside: list[str], outside: list[str], right: bool) -> tuple[list[str], int]:
    """The keys of the words nearest an edge, in text order, and where the edge falls among
    them: the span's last (or first) ``2 * MAX_WORDS`` words and as many beyond it."""
    reach = 2 * MAX_WORDS
    if right:
        near = [_word_key(w) for w in inside[-reach:]]
        return near + [_word_key(w) for w in outside[:reach]], len(near)
    beyond = [_word_key(w) for w in outside[-reach:]]
    return beyond + [_word_key(w) for w in inside[:reach]], len(beyond)


def _doubled(keys: list[str], at: int, n: int, same=_same_word) -> bool:
    """Whether the ``n`` words from ``at`` are followed by the same ``n`` words again, on one
    line."""
    region = keys[at : at + 2 * n]
    if at < 0 or len(region) < 2 * n or "\n" in region:
        return False
    return same(" ".join(region[:n]), " ".join(region[n:]))


# How copies are read: one to MAX_WORDS words give or take a typo each; then, where the
# correction is known to have put a word in, one short word with two typos ("in aan").
_READINGS = [(n, _same_word) for n in range(1, MAX_WORDS + 1)] + [(1, _short_alike)]


def stuttered(inside, outside, old, right: bool, exact=False, typed=None) -> bool:
    """Whether an edge of a span is not unique: words next to each other are the same words
    twice, give or take a typo, with the edge among them or at them (one to ``MAX_WORDS``
    words each time: "Trump Trump", "the run-up | the run-up", "spokesman | Dmitry
    spokesman Dmitry"), where the correction put a word in and the words were not these.
    ``inside``, ``outside``: the span's words and the words beyond the edge (``right``:
    after it, else before it), a line break a word of its own; ``old``: the same two for
    the old quote (or a function giving them); ``typed``: a test of how many of the doubled
    words (of ``inside``, of ``outside``) whether the correction put one of them in (None:
    any may be). Then either copy may be the quote's own ("congratulated Trump" →
    "congratualted Trump Trump", "RIA Novosti" → "RIA Nvosti Novosti"). Except the quote's
    ``exact`` words anchored by others of its words (the span holds more than the doubled
    words): whichever copy is its own, the highlight holds the quote's words, and the
    tighter reading, the exact words, stands. A quote made only of the repeated words is a
    coin toss."""
    keys, edge = _edge_keys(inside, outside, right)
    then = None
    for n, same in _READINGS if typed is not None else _READINGS[:MAX_WORDS]:
        # Where two copies may start so that the edge is among them or at their start
        # (inward): never both beyond the edge.
        starts = range(edge - 2 * n, edge) if right else range(edge - 2 * n + 1, edge + 1)
        for at in starts:
            if not _doubled(keys, at, n, same):
                continue
            own = min(2 * n, edge - at) if right else min(2 * n, at + 2 * n - edge)
            if exact and len(inside) > own:
                continue  # the exact words, anchored by others of the quote's words
            if then is None:
                old = old() if callable(old) else old
                then = _edge_keys(*old, right)
                if _pinned(inside, outside, old[0], right):
                    return False
            before = at - edge + then[1]
            if before >= 0 and then[0][before : before + 2 * n] == keys[at : at + 2 * n]:
                continue  # the same words as before
            if typed is None or typed([own, 2 * n - own]):
                return True
    return False


def _run_of_lines(text: str, at: int) -> tuple[str, int]:
    """The line holding offset ``at``, and how many identical lines stand next to each
    other there (itself included; blank lines between them aside)."""
    low = text.rfind("\n", 0, at) + 1
    high = text.find("\n", at)
    high = len(text) if high == -1 else high
    line, count = text[low:high], 1
    if not line.strip():
        return line, count
    edge = low
    while edge > 0:  # copies before it
        end = edge
        while end > 0 and text[end - 1] == "\n":
            end -= 1
        begin = end - len(line)
        if end == edge or begin < 0 or text[begin:end] != line:
            break
        if begin > 0 and text[begin - 1] != "\n":
            break
        edge, count = begin, count + 1
    edge = high
    while edge < len(text):  # copies after it
        begin = edge
        while begin < len(text) and text[begin] == "\n":
            begin += 1
        end = begin + len(line)
        if begin == edge or text[begin:end] != line or end < len(text) and text[end] != "\n":
            break
        edge, count = end, count + 1
    return line, count


def _pinned(inside: list[str], outside: list[str], was: list[str], right: bool) -> bool:
    """Whether the span's edge word ends (``right``; else opens) with a sign that the old
    quote's edge word (of ``was``) has there too, and no nearby copy of that word has it:
    read either way, the quote's sign goes with this copy ("for a \"reset\"" → "for a
    \"reset reset\"", "of course," → "of course course,")."""
    if not inside or not was:
        return False
    word, then = (inside[-1], was[-1]) if right else (inside[0], was[0])
    sign = word[-1] if right else word[0]
    if sign.isalnum() or (then[-1] if right else then[0]) != sign:
        return False
    near = inside[-2 * MAX_WORDS :] + outside[: 2 * MAX_WORDS]
    if not right:
        near = outside[-2 * MAX_WORDS :] + inside[: 2 * MAX_WORDS]
    key = _word_key(word)
    signed = [w for w in near if _word_key(w) == key and (w[-1] if right else w[0]) == sign]
    return len(signed) == 1


def _tokens(text: str, low: int, high: int, clipped: tuple) -> list[tuple[str, int, int]]:
    """The words of [low, high) (a line break a word of its own) as (word, start, end), but
    a word cut by the window's start or end where it is ``clipped`` (a pair of booleans)."""
    low, high = max(0, low), min(len(text), high)
    found = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, low, high)]
    if found and clipped[1] and found[-1][2] == high < len(text) and not text[high].isspace():
        found.pop()
    if found and clipped[0] and found[0][1] == low > 0 and not text[low - 1].isspace():
        found.pop(0)
    return found


def _edge_tokens(text: str, start: int, end: int, right: bool) -> tuple[list, list]:
    """The words of the span [start, end) near its right (or left) edge, and those beyond
    it, within ``_EDGE_REACH`` characters."""
    if right:
        low = max(start, end - _EDGE_REACH)
        inside = _tokens(text, low, end, (low > start, False))
        return inside, _tokens(text, end, end + _EDGE_REACH, (False, True))
    high = min(end, start + _EDGE_REACH)
    inside = _tokens(text, start, high, (False, high < end))
    return inside, _tokens(text, start - _EDGE_REACH, start, (True, False))


def _edge_words(text: str, start: int, end: int, right: bool) -> tuple[list, list]:
    return tuple([t[0] for t in tokens] for tokens in _edge_tokens(text, start, end, right))


def _beyond(text: str, at: int, right: bool) -> str:
    """The text within ``_EDGE_REACH`` after (``right``) or before offset ``at``, whole
    words only."""
    if right:
        window = text[at : at + _EDGE_REACH]
        cut = at + _EDGE_REACH < len(text)
        return window[: max(window.rfind(" "), window.rfind("\n"))] if cut else window
    window = text[max(0, at - _EDGE_REACH) : at]
    if at > _EDGE_REACH:
        window = window[max(window.find(" "), window.find("\n")) + 1 :]
    return window


def _bare(text: str) -> str:
    return "".join(text.lower().split())


def _one_letter(old: str, new: str) -> bool:
    """Whether at most one letter was typed and one deleted (case and whitespace aside)."""
    old, new = _bare(old), _bare(new)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return len(old) - same <= 1 and len(new) - same <= 1


def _words_stand(old: str, new: str) -> bool:
    """Whether more of the quote's words stand unchanged in the new words than were changed
    or deleted, and the first or last of them stands: a word replaced in a short quote
    ("Trump than with" → "said than with"), not the quote rewritten."""
    a = [_word_key(w) for w in old.split()]
    b = [_word_key(w) for w in new.split()]
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    stand = sum(block.size for block in blocks)
    ends = any(
        block.size
        and (
            block.a == 0
            and block.b == 0
            or block.a + block.size == len(a)
            and block.b + block.size == len(b)
        )
        for block in blocks
    )
    return ends and stand > len(a) - stand


def _kept(old: str, new: str) -> float:
    """The share of the old words' letters still in the new words, in order (case and
    whitespace aside)."""
    old, new = _bare(old), _bare(new)
    if not old:
        return 0.0
    if old == new:
        return 1.0
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(old)


def _gains_a_passage(a, b, opcode, gone, added, moved) -> bool:
    """Whether a changed run of words is a line (holds a line break, or is the whole of a
    line), a sentence or a clause (two words or more with a sentence's or clause's end), or
    words moved in from elsewhere (``moved``)."""
    i1, i2, j1, j2 = opcode
    for run, words, low, high in ((gone, a, i1, i2), (added, b, j1, j2)):
        if not run:
            continue
        if "\n" in words[low:high]:
            return True
        if (low == 0 or words[low - 1] == "\n") and (high == len(words) or words[high] == "\n"):
            return True
        if len(run) > MAX_WORDS or (len(run) > 1 and _CLAUSE_END.search(" ".join(run))):
            return True
    if moved is None:
        return False
    return bool(added and moved(" ".join(added), False) or gone and moved(" ".join(gone), True))


def _echo(text: str, exact: str, span, gap) -> bool:
    """Whether the text put in beside the quote's exact words only doubles words already
    there ("congratulated Trump" + " Trump"; "There" + " is There" before " is only"): read
    either way the highlight holds the same words, so the exact words stand."""
    (start, end), (low, high) = span, gap
    put = [_word_key(w) for w in text[low:high].split()]
    if text[start:end] != exact or not put or len(put) > 2 * MAX_WORDS:
        return False
    size = len(put)
    left = [_word_key(w) for w in _beyond(text, low, False).split()[-size:]]
    right = [_word_key(w) for w in _beyond(text, high, True).split()[:size]]
    for j in range(len(left) + 1):
        block = left[len(left) - j :] + right[: size - j]
        if len(block) == size and left[len(left) - j :] + put + right[: size - j] == 2 * block:
            return True
    return False


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")


def _at_break(text: str, at: int, opening: bool = False) -> bool:
    """Whether offset ``at`` is at a line's edge or just after a sentence's end, spaces
    (not line breaks) aside; ``opening``: and, after a sentence's end, no small letter
    follows (" what happens" does not open a sentence)."""
    before, after = at, at
    while before > 0 and text[before - 1] == " ":
        before -= 1
    while after < len(text) and text[after] == " ":
        after += 1
    if before == 0 or after == len(text) or "\n" in (text[before - 1], text[after]):
        return True
    if opening and text[after].islower():
        return False
    return bool(_SENTENCE_END.search(text[max(0, before - 4) : before]))


def _bullet(text: str, at: int, slid: str) -> bool:
    """Whether ``slid`` is signs only (a bullet, a dash) and ``at`` opens a line (spaces
    aside): text put in there that opens with the quote's own bullet may be a line of its
    own either way ("  • “We will see…” he added.\n• The elites…")."""
    if any(ch.isalnum() for ch in slid):
        return False
    line = text[max(0, at - 80) : at].rsplit("\n", 1)
    return len(line) == 2 and not line[1].strip() or at == 0


def _stub(exact: str, missing: int) -> bool:
    """Whether a quote across a line break has, on a side whose context is missing, fewer
    than ``MIN_NEIGHBOURS`` characters of a line ("…Federation.\n\nThe"): those words alone
    do not tell which line they began."""
    lines = exact.strip().split("\n")
    if len(lines) < 2:
        return False
    return bool(
        missing & RIGHT
        and len(lines[-1].strip()) < MIN_NEIGHBOURS
        or missing & LEFT
        and len(lines[0].strip()) < MIN_NEIGHBOURS
    )


def side_similarity(stored: str, found: str) -> float:
    """How alike a stored side of the context and the text found there are (folded):
    whitespace runs count as one space."""
    stored, found = squeeze(stored), squeeze(found)
    return _similarity(stored, found)


def context_score(anchor: Anchor, body: str, start: int, end: int | None = None) -> float:
    """How much the text around ``start`` in ``body`` resembles the anchor's context, 0..1.

    Each side weighs as much as it holds: an empty stored prefix (a quote at the very start)
    says little, so it must not count as much as 32 characters of real context.
    """
    end = start + len(anchor.exact) if end is None else end
    prefix_weight, suffix_weight = len(anchor.prefix), len(anchor.suffix)
    if not prefix_weight and not suffix_weight:
        return 1.0
    found_prefix = fold(body[max(0, start - prefix_weight) : start])
    found_suffix = fold(body[end : end + suffix_weight])
    prefix = _similarity(fold(anchor.prefix), found_prefix) if prefix_weight else 0.0
    suffix = _similarity(fold(anchor.suffix), found_suffix) if suffix_weight else 0.0
    return (prefix * prefix_weight + suffix * suffix_weight) / (prefix_weight + suffix_weight)


class _Quote:
    """One highlight's folded selectors, and where they fit in a (folded) text.

    A stored side shorter than the context length ran into the edge of the text; with
    ``edges`` it is intact only there still (a quote at the start of the text is not the same
    as the same words after a line that merely ends alike). An orphan's selectors are older
    than the text they are compared with, so for it the words alone count.
    """

    def __init__(self, anchor: Anchor, context_length: int = CONTEXT_LENGTH, edges=True):
        self.exact = fold(anchor.exact)
        self.prefix, self.suffix = fold(anchor.prefix), fold(anchor.suffix)
        self.at_start = len(anchor.prefix) < context_length and (edges or not anchor.prefix)
        self.at_end = len(anchor.suffix) < context_length and (edges or not anchor.suffix)

    def sides(self, text: str, start: int, end: int | None = None) -> int:
        """Which sides of the context are intact around [start, end) in ``text``."""
        end = start + len(self.exact) if end is None else end
        sides = 0
        lp, ls = len(self.prefix), len(self.suffix)
        if (not self.at_start or start == lp) and text[max(0, start - lp) : start] == self.prefix:
            sides |= LEFT
        if (not self.at_end or end + ls == len(text)) and text[end : end + ls] == self.suffix:
            sides |= RIGHT
        return sides

    def near_sides(self, text: str, start: int, end: int | None = None) -> int:
        """Which sides of the context still resemble the stored ones (``NEAR_SIDE``) around
        [start, end): a typo or a changed run of spaces beside the quote keeps its side."""
        end = start + len(self.exact) if end is None else end
        sides = 0
        lp, ls = len(self.prefix), len(self.suffix)
        if self.at_start:
            found = text[:start] if start <= lp + SLACK else None
        else:
            found = squeeze(text[max(0, start - lp - SLACK) : start])
            found = found[max(0, len(found) - len(squeeze(self.prefix))) :]
        if found is not None and self._alike(self.prefix, found, left=True):
            sides |= LEFT
        if self.at_end:
            found = text[end:] if len(text) - end <= ls + SLACK else None
        else:
            found = squeeze(text[end : end + ls + SLACK])[: len(squeeze(self.suffix))]
        if found is not None and self._alike(self.suffix, found, left=False):
            sides |= RIGHT
        return sides

    @staticmethod
    def _alike(stored: str, found: str, *, left: bool) -> bool:
        """A side still alike: as a whole (``NEAR_SIDE``), and in its characters nearest
        the quote (a typo or two there, not other words)."""
        stored = squeeze(stored)
        nearest = slice(-NEAREST, None) if left else slice(NEAREST)
        if _similarity(stored[nearest], found[nearest]) < 0.5:
            return False
        # The word next to the quote the same, give or take a typo ("On" is not "7.").
        word = -1 if left else 0
        stored_words, found_words = stored.split(), found.split()
        if bool(stored_words) != bool(found_words):
            return False
        if stored_words and _similarity(stored_words[word], found_words[word]) < 0.5:
            return False
        return side_similarity(stored, found) >= NEAR_SIDE


class Reanchorer:
    """Re-anchors the highlights of one correction: ``old`` → ``new``. Build once, then call
    ``reanchor`` per highlight; the diff and the folded texts are shared."""

    def __init__(
        self,
        old: str | None,
        new: str,
        *,
        offsets: OffsetMap | None = None,
        context_length: int = CONTEXT_LENGTH,
    ):
        if offsets is None and old is not None:
            offsets = OffsetMap(old, new)
        self.offsets = offsets
        self.new = new
        self.new_f = offsets.new if offsets is not None else fold(new)
        self.old_f = offsets.old if offsets is not None else None
        self.context_length = context_length

    def reanchor(self, anchor: Anchor, *, was_orphaned: bool = False) -> Reanchored:
        if not anchor.exact.strip():
            return Reanchored("orphaned", reason=EMPTY)
        quote = _Quote(anchor, self.context_length, edges=not was_orphaned)
        found = self._find(anchor, quote, was_orphaned)
        if found.anchor is not None and self.offsets is not None:
            start, end = found.anchor.start, found.anchor.end
            current = not was_orphaned and self._current(anchor, quote)
            if self._slides(anchor, quote, (start, end), current):
                return Reanchored("ambiguous", reason=SEVERAL)
            if current and self._stutter(anchor, quote, start, end):
                return Reanchored("ambiguous", reason=SEVERAL)  # which copy is its own: ask
            if current and self._in_a_run_of_copies(anchor, start):
                return Reanchored("ambiguous", reason=SEVERAL)  # which copy of its line
        return found

    def _find(self, anchor: Anchor, quote: _Quote, was_orphaned: bool) -> Reanchored:
        candidates = occurrences(self.new_f, quote.exact, MAX_CANDIDATES)
        if candidates is None:
            return Reanchored("orphaned", reason=TOO_OFTEN)
        sides = {c: quote.sides(self.new_f, c) for c in candidates}
        carried = None
        if not was_orphaned and self._current(anchor, quote):
            carried = self.offsets.carried_over(anchor.start, anchor.end)
            if carried is None:
                carried = self._carried_in_part(anchor, quote)

        decision = self._decide(anchor, quote, candidates, sides, carried, was_orphaned)
        if isinstance(decision, Reanchored):
            return decision
        if decision is not None:
            return self._placed(anchor, decision, len(anchor.exact), was_orphaned)
        if not was_orphaned and self._current(anchor, quote):
            fuzzy = self._fuzzy(anchor, quote, candidates)
            if fuzzy is not None:
                return fuzzy
        return Reanchored("orphaned", reason=ELSEWHERE if candidates else GONE)

    # -- the exact quote -----------------------------------------------------------------

    def _current(self, anchor: Anchor, quote: _Quote) -> bool:
        """Whether the offsets point at the quote in the old text (a diff can carry them)."""
        return (
            self.offsets is not None
            and self.old_f is not None
            and self.old_f[anchor.start : anchor.end] == quote.exact
        )

    def _carried_in_part(self, anchor: Anchor, quote: _Quote) -> int | None:
        """Where the diff carried the quote's first (or last) character, when the quote's
        words are there whole, with a side of its context: the diff paired a repeated sign
        (". ") inside it with another one."""
        size = len(quote.exact)
        first = self.offsets.carried_over(anchor.start, anchor.start + 1)
        last = self.offsets.carried_over(anchor.end - 1, anchor.end)
        for start in (first, None if last is None else last + 1 - size):
            if start is None or start < 0 or not self.new_f.startswith(quote.exact, start):
                continue
            if not self._same_edges(anchor, start, start + size):
                continue  # "Republican" inside "Republicans": not the same words
            if self._foreign(anchor, start, start + size):
                continue  # some of its characters carried from other words
            if quote.sides(self.new_f, start) or quote.near_sides(self.new_f, start):
                return start  # with a side of its context
        return None

    def _same_edges(self, anchor: Anchor, start: int, end: int) -> bool:
        """Whether the span starts and ends inside a word exactly where the quote did."""
        old, new = self.old_f, self.new_f

        def inside(text, i):
            return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()

        return inside(old, anchor.start) == inside(new, start) and inside(
            old, anchor.end
        ) == inside(new, end)

    def _decide(self, anchor, quote, candidates, sides, carried, was_orphaned):
        """A new start, a Reanchored verdict (ambiguous), or None (not found as it was)."""
        perfect = [c for c in candidates if sides[c] == BOTH]

        # 1. Twins: copies with the same words and the same context on both sides.
        # (Twins that all lost their context fall through: rule 2's rivals catch them.)
        if perfect and self._twins(quote, perfect, was_orphaned):
            if carried in perfect and self._one_to_one(quote, perfect):
                return carried
            return Reanchored("ambiguous", reason=SEVERAL)

        if carried is not None:
            return self._carried(anchor, quote, candidates, sides, carried)

        # 4. A passage moved intact, to text the correction inserted.
        if len(perfect) == 1:
            found = perfect[0]
            if self._rivals(anchor, quote, candidates, sides, found):
                return Reanchored("ambiguous", reason=SEVERAL)
            if self.offsets is None or was_orphaned:
                return found
            if not self.offsets.touches_carried(found, found + len(quote.exact)):
                return found
        return self._moved(anchor, quote, candidates, was_orphaned)

    def _carried(self, anchor, quote, candidates, sides, carried):
        """Rules 2 and 3, for a quote the diff carried: a new start, or a verdict."""
        # 2. Carried by the diff with at least one side of its own context, intact or still
        # alike (a typo, a changed run of spaces beside the quote).
        own = sides[carried]
        if own != BOTH:
            near = quote.near_sides(self.new_f, carried)
            # A short quote with no side intact needs both still alike: one side alike and
            # the other rewritten is a sentence rewritten around the same word or two.
            own |= near if own or near == BOTH or len(quote.exact) >= ONE_SIDE else 0
        if own and self._stub_elsewhere(anchor, quote, BOTH & ~own):
            return Reanchored("orphaned", reason=ELSEWHERE)  # which line its stub began
        if own:
            view = sides if own == sides[carried] else {**sides, carried: own}
            if self._rivals(anchor, quote, candidates, view, carried):
                return Reanchored("ambiguous", reason=SEVERAL)
            return carried
        # 3. Carried, the context around it edited: only a quote unique before and after,
        # or the diff could have paired it with a look-alike.
        if len(candidates) == 1 and occurrences(self.old_f, quote.exact, 1) is not None:
            if len(quote.exact) >= ONE_SIDE:
                return carried  # the same words, long enough to be their own context
            return self._by_context(anchor, carried)
        return self._not_found(anchor, candidates)

    def _in_a_run_of_copies(self, anchor: Anchor, start: int) -> bool:
        """Whether the one-line quote's line stands, at ``start`` in the new text, among
        identical lines next to each other, and there are not as many of them as there were
        around it in the old text: a copy of a repeated line ("Follow us on Instagram") was
        put in or taken out, and which copy the diff paired with the quote's own is
        arbitrary — the copies' contexts are each other."""
        if "\n" in self.old_f[anchor.start : anchor.end]:
            return False
        old = _run_of_lines(self.old_f, anchor.start)
        new = _run_of_lines(self.new_f, start)
        return new[0] == old[0] and new[1] > 1 and new[1] != old[1]

    def _moved(self, anchor, quote, candidates, was_orphaned):
        """Rule 4 for a passage moved without both sides of its context: the new place is
        text the correction inserted, and either the quote occurs once in each text with a
        side of its context intact there, or is long enough (``LONG_QUOTE``) to be its own
        context; or the quote with the words the correction cut out around it (a sentence or
        a line moved) occurs once in each text (``_moved_with_neighbours``)."""
        if was_orphaned or self.offsets is None or not candidates or self._stayed(anchor):
            return None
        found = None
        if len(candidates) == 1:
            found = candidates[0]
            inserted = self._mostly_inserted(found, found + len(quote.exact))
            unique = occurrences(self.old_f, quote.exact, 1) is not None
            side = quote.sides(self.new_f, found)
            if not (inserted and unique) or _stub(quote.exact, BOTH & ~side):
                found = None
            elif len(quote.exact) >= LONG_QUOTE or side:
                pass
            elif len(quote.exact) < MIN_NEIGHBOURS or len(quote.exact.split()) < 2:
                found = None  # else a line or a sentence moved, and now its words alone
        if found is None:
            found = self._moved_with_neighbours(anchor, quote)
        if found is None or self._rewritten(anchor, found, len(quote.exact)):
            return None
        return found

    def _stub_elsewhere(self, anchor: Anchor, quote: _Quote, missing: int) -> bool:
        """Whether a stub of a line at the quote's side without its context (``_stub``) lost
        the rest of its line: none of the next (or previous) ``SLACK`` characters of the old
        line were carried. "…Federation.\n\nThe" where "The" now opens another paragraph
        and its own " Kremlin spokesman …" went elsewhere: which line the stub began is a
        guess. (Text put in after the stub leaves the rest of its line carried.)"""
        if not _stub(quote.exact, missing):
            return False
        old = self.old_f
        rests = []
        if missing & RIGHT:
            line_end = old.find("\n", anchor.end)
            rests.append(range(anchor.end, min(anchor.end + SLACK, line_end % (len(old) + 1))))
        if missing & LEFT:
            line_start = old.rfind("\n", 0, anchor.start) + 1
            rests.append(range(max(line_start, anchor.start - SLACK), anchor.start))
        for rest in rests:
            solid = [i for i in rest if not old[i].isspace()]
            if solid and all(self.offsets.carried_over(i, i + 1) is None for i in solid):
                return True
        return False

    def _mostly_inserted(self, start: int, end: int) -> bool:
        """Whether most of the new span's (non-space) characters were put in by the
        correction: a diff of two paragraphs swapped pairs a few words of one with the
        other's, which does not make the moved words carried."""
        text, carried, solid = self.new_f, 0, 0
        for i in range(start, end):
            if not text[i].isspace():
                solid += 1
                carried += self.offsets.carried_from(i, i + 1) is not None
        return 2 * carried < solid

    def _stayed(self, anchor: Anchor) -> bool:
        """Whether the diff carried most of the quote's (non-space) characters: its words
        are still where they were, edited; a copy of them elsewhere is another copy."""
        old, carried, solid = self.old_f, 0, 0
        for i in range(anchor.start, anchor.end):
            if not old[i].isspace():
                solid += 1
                carried += self.offsets.carried_over(i, i + 1) is not None
        return 2 * carried > solid

    def _rewritten(self, anchor: Anchor, found: int, length: int) -> bool:
        """Whether [found, found + length) lies in the text that took the old quote's place
        (its sentence rewritten, some words typed again): a rewrite, not a move."""
        low, high = self.offsets.bounds(anchor.start, anchor.end)
        return low <= found and found + length <= high

    def _moved_with_neighbours(self, anchor, quote):
        old, new, offsets = self.old_f, self.new_f, self.offsets
        low, high = anchor.start, anchor.end
        while (
            low > max(0, anchor.start - NEIGHBOURS) and offsets.carried_over(low - 1, low) is None
        ):
            low -= 1
        while (
            high < min(len(old), anchor.end + NEIGHBOURS)
            and offsets.carried_over(high, high + 1) is None
        ):
            high += 1
        for reach in (NEIGHBOURS, NEIGHBOURS // 3):
            left = old[max(low, anchor.start - reach) : anchor.start]
            right = old[anchor.end : min(high, anchor.end + reach)]
            if len(left) + len(right) < MIN_NEIGHBOURS:
                return None
            bare = (LEFT if len(left) < MIN_NEIGHBOURS else 0) | (
                RIGHT if len(right) < MIN_NEIGHBOURS else 0
            )
            if _stub(quote.exact, bare):
                continue  # "…Federation.\n\nThe" and nothing after it: which paragraph?
            window = left + quote.exact + right
            found = occurrences(new, window, 1)
            if found and len(found) == 1 and occurrences(old, window, 1) is not None:
                at = found[0]
                if not offsets.touches_carried(at, at + len(window)):
                    return at + len(left)
        return None

    def _window(self, quote, start) -> tuple[int, int]:
        return start - len(quote.prefix), start + len(quote.exact) + len(quote.suffix)

    def _twins(self, quote, perfect, was_orphaned) -> bool:
        """Whether the quote with both sides of its context occurs more than once in the new
        text, or did in the old one."""
        if len(perfect) > 1:
            return True
        if self.offsets is None or was_orphaned:
            return False
        # Old copies the diff carried whole are among ``perfect``; look for the others only
        # where the text changed, which is much less than all of it.
        window = quote.prefix + quote.exact + quote.suffix
        lost = [
            o + len(quote.prefix)
            for o in self.offsets.broken_occurrences(window)
            if quote.sides(self.old_f, o + len(quote.prefix)) == BOTH
        ]
        whole = self.offsets.carried_from(*self._window(quote, perfect[0])) is not None
        return len(lost) + whole > 1

    def _one_to_one(self, quote, perfect) -> bool:
        """Whether every copy in the new text is an old copy carried whole, and no old copy
        was lost: then the diff's pairing of copies is not a guess."""
        if self.offsets is None:
            return False
        window = quote.prefix + quote.exact + quote.suffix
        if any(
            quote.sides(self.old_f, o + len(quote.prefix)) == BOTH
            for o in self.offsets.broken_occurrences(window)
        ):
            return False
        return all(self.offsets.carried_from(*self._window(quote, p)) is not None for p in perfect)

    def _rivals(self, anchor, quote, candidates, sides, chosen) -> bool:
        """Whether another place shares an intact side with ``chosen`` (or has both), fits
        about as well, and did not have that context in the old text already: a copy the
        correction made (a paragraph pasted twice), which only a coin toss could tell apart."""
        chosen_score = None
        for c in candidates:
            if c == chosen or not (sides[c] & sides[chosen] or sides[c] == BOTH):
                continue
            origin = None
            if self.offsets is not None:
                origin = self.offsets.carried_from(c, c + len(quote.exact))
            if origin is not None and quote.sides(self.old_f, origin) == sides[c]:
                continue  # it looked like this before the correction too
            if chosen_score is None:
                chosen_score = context_score(anchor, self.new, chosen)
            if context_score(anchor, self.new, c) > chosen_score - MARGIN:
                return True
        if sides[chosen] == BOTH:
            return False  # rule 1 has made sure a place with both sides is the only one
        return self._one_sided_twins(anchor, quote, candidates, sides, chosen)

    def _one_sided_twins(self, anchor, quote, candidates, sides, chosen) -> bool:
        """For a place with one intact side: whether that side with the quote occurs, or
        occurred, elsewhere without the diff pairing old and new copies one to one (twin
        lines, one of them edited: the diff may pair ours with the other); or whether another
        place has nearly the same context (a run of repeated words)."""
        side = sides[chosen]
        window = quote.prefix + quote.exact if side == LEFT else quote.exact + quote.suffix
        shift = len(quote.prefix) if side == LEFT else 0
        same_side = [c for c in candidates if sides[c] & side]
        lost = []
        if self.offsets is not None:
            lost = [
                o + shift
                for o in self.offsets.broken_occurrences(window)
                if quote.sides(self.old_f, o + shift) & side
            ]
        if lost and not (len(lost) == 1 and lost[0] == anchor.start and len(same_side) == 1):
            return True
        if len(same_side) > 1:
            for c in same_side:
                span = (c - shift, c - shift + len(window))
                if self.offsets is None or self.offsets.carried_from(*span) is None:
                    return True
        chosen_score = context_score(anchor, self.new, chosen)
        return any(
            c != chosen
            and context_score(anchor, self.new, c) >= max(CLOSE_CONTEXT, chosen_score - MARGIN)
            for c in candidates[:MAX_SCORED]
        )

    def _by_context(self, anchor, carried):
        """Rule 3 for a quote unique in both texts. A long quote is itself context: it needs
        less agreement from the words around it (down to half of ``MIN_CONTEXT``)."""
        minimum = MIN_CONTEXT * (1 - min(len(anchor.exact), LONG_QUOTE) / (2 * LONG_QUOTE))
        if context_score(anchor, self.new, carried) < minimum:
            return Reanchored("orphaned", reason=ELSEWHERE)
        if not self._a_neighbour_alike(anchor, carried, carried + len(anchor.exact)):
            return Reanchored("orphaned", reason=ELSEWHERE)  # its sentence typed anew
        return carried

    def _a_neighbour_alike(self, anchor: Anchor, start: int, end: int) -> bool:
        """Whether the word just before or just after [start, end) is the one stored there,
        give or take a typo: words kept whose neighbours both changed are a sentence typed
        anew around the same word or two ("Sergei Savostyanov / TASS" → "TASS / Savostyanov
        Updated at 14:05")."""
        text, reach = self.new_f, len(anchor.prefix) + SLACK
        pairs = (
            (fold(anchor.prefix).split()[-1:], text[max(0, start - reach) : start].split()[-1:]),
            (fold(anchor.suffix).split()[:1], text[end : end + reach].split()[:1]),
        )
        return any(
            stored == found or stored and found and _similarity(stored[0], found[0]) >= 0.5
            for stored, found in pairs
        )

    def _not_found(self, anchor, candidates):
        """Ambiguous when several places fit about as well (``MIN_CONTEXT``); else None (the
        caller tries a fuzzy match, then orphans)."""
        if len(candidates) > MAX_SCORED:
            return Reanchored("orphaned", reason=TOO_OFTEN)
        scores = sorted((context_score(anchor, self.new, c) for c in candidates), reverse=True)
        if len(scores) > 1 and scores[1] >= MIN_CONTEXT and scores[0] - scores[1] < MARGIN:
            return Reanchored("ambiguous", reason=SEVERAL)
        return Reanchored("orphaned", reason=ELSEWHERE)

    def _placed(self, anchor, start, length, was_orphaned) -> Reanchored:
        new = _anchor_at(self.new, start, start + length, self.context_length)
        if new.exact != anchor.exact:  # typography only: the folded words are the same
            # The share of characters unchanged (same length: folding is one for one).
            same = sum(a == b for a, b in zip(anchor.exact, new.exact, strict=True))
            return Reanchored("reanchored", new, score=round(same / len(new.exact), 3))
        same = start == anchor.start and not was_orphaned
        return Reanchored("kept" if same else "moved", new)

    # -- small edits inside the quote ----------------------------------------------------

    def _fuzzy(self, anchor: Anchor, quote: _Quote, candidates) -> Reanchored | None:
        """The words where the diff put the old span, if they are the quote slightly edited
        (``slight``, ``MIN_FUZZY``) and the context on both sides still resembles the stored
        one; with a ``MARGIN`` over any other place."""
        span = self._image(anchor, quote)
        if span is None:
            return None
        start, end, certain = span
        found = self.new_f[start:end]
        long = len(quote.exact) >= ONE_SIDE
        near = quote.near_sides(self.new_f, start, end)
        # Each edge vouched for by its side of the context; a long quote's edge may be by
        # the diff instead (its first or last character carried).
        if not found.strip() or not (near == BOTH or (near and long and near | certain == BOTH)):
            return None
        if self._not_these_words(anchor, quote, candidates, (start, end)):
            return None
        # How alike, or how much of the quote is still there (what was typed is bounded by
        # ``slight``), case and whitespace aside.
        score = max(_kept(quote.exact, found), _similarity(_bare(quote.exact), _bare(found)))
        # One letter changed always passes, even in a word of two; a word replaced in a
        # short quote passes when most of its words stand (``_words_stand``).
        if (
            score < MIN_FUZZY
            and not _one_letter(quote.exact, found)
            and not (score >= MIN_KEPT and _words_stand(quote.exact, found))
        ):
            return None
        if self._echoes(quote, start, end):
            return None
        # Words and context together, against any other place scored the same way (an
        # average: the margin is halved with it).
        total = (score + context_score(anchor, self.new, start, end)) / 2
        same = certain == BOTH and squeeze(found) == squeeze(quote.exact)  # spaces only
        rival = not same and self._best_other(anchor, quote, candidates, start, end)
        if rival and rival > total - MARGIN / 2:
            return None
        new = _anchor_at(self.new, start, end, self.context_length)
        if fold(new.exact) == quote.exact:  # the same words (only the context changed)
            return self._placed(anchor, start, end - start, False)
        return Reanchored("reanchored", new, score=round(_similarity(anchor.exact, new.exact), 3))

    def _echoes(self, quote: _Quote, start: int, end: int) -> bool:
        """Whether a word put into the quote at [start, end) (inserted among its words) is
        one of the words just beyond its edges: which copy is the quote's own is then the
        diff's guess ("a change" → "a fears change" after "Moscow fears")."""
        a = [_word_key(w) for w in quote.exact.split()]
        b = [_word_key(w) for w in self.new_f[start:end].split()]
        opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        put = [w for tag, _, _, j1, j2 in opcodes if tag == "insert" for w in b[j1:j2]]
        if not put:
            return False
        near = _beyond(self.new_f, start, False).split()[-MAX_WORDS:]
        near += _beyond(self.new_f, end, True).split()[:MAX_WORDS]
        return bool(set(put) & {_word_key(w) for w in near})

    def _stutter(self, anchor: Anchor, quote: _Quote, start: int, end: int) -> bool:
        """Whether an edge of the words found at [start, end) is not unique (``stuttered``):
        a word at it typed twice (or misspelt beside its twin), so that the edge could as
        well be a word further in or out. The diff's pairing of two copies of a word is
        arbitrary."""
        exact = self.new_f[start:end] == quote.exact
        for right in (False, True):
            inside, outside = _edge_tokens(self.new_f, start, end, right)
            before = partial(_edge_words, self.old_f, anchor.start, anchor.end, right)
            typed = partial(self._typed, inside, outside, right)
            words = ([t[0] for t in inside], [t[0] for t in outside])
            if stuttered(*words, before, right, exact, typed):
                return True
        return False

    def _typed(self, inside, outside, right: bool, counts) -> bool:
        """Whether the correction put a word in among the last (or first) ``counts[0]``
        words of the span and the first (or last) ``counts[1]`` beyond its edge: between
        the nearest words the diff carried on either side of them there are more words than
        there were, or one of them was not carried and is alike none of the old words it
        replaced (a word typed, not a typo made in place: "It is not" → "It ia ot")."""
        words = inside + outside if right else outside + inside
        low = len(inside) - counts[0] if right else len(outside) - counts[1]
        high = low + counts[0] + counts[1]
        carried = self.offsets.carried_from
        while low > 0 and carried(*words[low - 1][1:]) is None:
            low -= 1
        while high < len(words) and carried(*words[high][1:]) is None:
            high += 1
        if low == 0 or high == len(words):
            return True  # no carried word near: cannot tell, so the safe side
        old_low = carried(*words[low - 1][1:]) + len(words[low - 1][0])
        old_high = carried(*words[high][1:])
        if old_high < old_low:
            return True
        old = [(m.group(), m.start()) for m in _WORD.finditer(self.old_f, old_low, old_high)]
        if high - low > len(old):
            return True
        put = [word for word, first, last in words[low:high] if carried(first, last) is None]
        return self._replaced_by_others(old, [_word_key(w) for w in put if w != "\n"])

    def _replaced_by_others(self, old: list, put: list[str]) -> bool:
        """Whether words the diff did not carry (their keys, ``put``) are other words than
        the old ones (``old``: (word, offset)) they replaced. With as many old words the
        diff did not carry, each new word must be its old one misspelt ("that Putin and" →
        "Putin Putin aand": "that" became a second "Putin"); else alike any old word."""
        lost = [_word_key(w) for w, o in old if self.offsets.carried_over(o, o + len(w)) is None]
        if len(put) == len(lost):
            return not all(_same_word(a, b) for a, b in zip(lost, put, strict=True))
        every = [_word_key(w) for w, _ in old]
        return any(not any(_same_word(word, w) for w in every) for word in put)

    def _not_these_words(self, anchor: Anchor, quote: _Quote, candidates, span) -> bool:
        """Whether the words at ``span`` are not the quote slightly edited: a short word made
        another; more than a slight edit (``slight``); words carried from elsewhere taken in,
        or the quote's own carried words left outside; or its exact words with a side of
        their context elsewhere (they beat edited words)."""
        start, end = span
        found = self.new_f[start:end]
        if len(_bare(quote.exact)) < SHORT and _bare(found) != _bare(quote.exact):
            return True  # "by" → "yb", "aid" → "said": another word as likely as a typo
        if not slight(quote.exact, found, self._moved_words(anchor, start, end)):
            return True
        if self._foreign(anchor, start, end) or self._left_behind(anchor, start, end):
            return True  # it would take in words carried from elsewhere (a twin line)
        if self._edge_line_elsewhere(quote, start, end):
            return True  # its first (or last) line stands unchanged elsewhere
        return any(
            quote.sides(self.new_f, c) and not start <= c < end for c in candidates[:MAX_SCORED]
        )

    def _edge_line_elsewhere(self, quote: _Quote, start: int, end: int) -> bool:
        """Whether the quote's first line with its stored prefix (or its last line with its
        suffix) is not at the found words' edge, edited, but stands unchanged elsewhere as
        often as it did in the old text (its own copy among them): the diff paired a line
        that only looks like its own (two paragraphs swapped, one ending "…election.", the
        other "…elections."), so the found words are a look-alike. (Fewer copies than
        before: its own was edited where it is, beside twins.)"""
        lines = quote.exact.split("\n")
        if len(lines) < 2:
            return False  # a one-line quote with a side elsewhere: ``_not_these_words``
        text = self.new_f
        pieces = (
            (quote.prefix + lines[0], start - len(quote.prefix)),
            (lines[-1] + quote.suffix, end - len(lines[-1])),
        )
        for piece, here in pieces:
            if not piece.strip() or text.startswith(piece, max(0, here)):
                continue
            now = occurrences(text, piece, MAX_SCORED)
            before = occurrences(self.old_f, piece, MAX_SCORED)
            if now and before and len(now) >= len(before):
                return True  # as many copies as before, its own among them, elsewhere
        return False

    def _moved_words(self, anchor: Anchor, start: int, end: int):
        """A test of words typed into the quote (or deleted from it): whether they stood as
        words elsewhere in the old text, where the correction cut them out (or stand in text
        the correction inserted elsewhere): moved, not typed (or deleted)."""
        old, new = self.old_f, self.new_f

        def words_at(text, o, end):
            return (o == 0 or text[o - 1].isspace()) and (end == len(text) or text[end].isspace())

        def test(words: str, deleted: bool) -> bool:
            if deleted:
                found = occurrences(new, words, MAX_SCORED) or []
                return any(
                    words_at(new, o, o + len(words))
                    and not start <= o < end  # in the new words themselves
                    and not self.offsets.touches_carried(o, o + len(words))
                    for o in found
                )
            for o in self.offsets.broken_occurrences(words):
                if anchor.start <= o < anchor.end or not words_at(old, o, o + len(words)):
                    continue  # its own words, edited; or part of other words
                if all(
                    self.offsets.carried_over(i, i + 1) is None
                    for i in range(o, o + len(words))
                    if old[i].isalnum()  # a sign (". ") may be paired with another one
                ):
                    return True  # cut out whole there
            return False

        return test

    def _image(self, anchor: Anchor, quote: _Quote) -> tuple[int, int, int] | None:
        """Where the diff put the old span: its first and last characters where they were
        carried (those edges are certain: LEFT, RIGHT); else judged from the quote's or the
        context's nearest carried characters, then moved a few characters to where the words
        are most alike the quote's."""
        offsets = self.offsets
        start = offsets.carried_over(anchor.start, anchor.start + 1)
        starts = None if start is None else [start]
        if start is None:
            start = self._inward(anchor, first=True)
        if start is None:
            start = offsets.after(anchor.start, max(1, len(quote.prefix)))
        end = offsets.carried_over(anchor.end - 1, anchor.end)
        ends = None if end is None else [end + 1]
        if end is not None:
            end += 1
        else:
            end = self._inward(anchor, first=False)
        if end is None:
            end = offsets.before(anchor.end, max(1, len(quote.suffix)))
        if start is None or end is None or not 0 <= start < end <= len(self.new_f):
            return None
        certain = (LEFT if starts else 0) | (RIGHT if ends else 0)
        if certain == BOTH:
            return start, end, certain
        span = self._fitted(anchor, quote, (start, end), starts, ends)
        return None if span is None else (*span, certain)

    def _fitted(self, anchor, quote, tentative, starts, ends) -> tuple[int, int] | None:
        """The edges that fit best (``_fit``) among those near the tentative ones, judged
        from the quote's own and from the context's carried characters."""
        start, end = tentative
        offsets = self.offsets
        if not starts:
            starts = self._edges(anchor, start, True)
            outside = offsets.after(anchor.start, max(1, len(quote.prefix)))
            starts += self._edges(anchor, outside, True) if outside is not None else []
        if not ends:
            ends = self._edges(anchor, end, False)
            outside = offsets.before(anchor.end, max(1, len(quote.suffix)))
            ends += self._edges(anchor, outside, False) if outside is not None else []
        fits = [
            (self._fit(quote, s, e), -abs(s - start) - abs(e - end), s, e)
            for s in set(starts)
            for e in set(ends)
            if s < e and self._same_edges(anchor, s, e)
        ]
        if not fits:
            return None
        _, _, start, end = max(fits)
        while start < end and self.new_f[start].isspace() and not quote.exact[0].isspace():
            start += 1
        while end > start and self.new_f[end - 1].isspace() and not quote.exact[-1].isspace():
            end -= 1
        return start, end

    def _fit(self, quote: _Quote, start: int, end: int) -> float:
        """How well [start, end) fits the quote: its words, and the text on each side."""
        text = self.new_f
        before = squeeze(text[max(0, start - len(quote.prefix)) : start])
        after = squeeze(text[end : end + len(quote.suffix)])
        return (
            2 * _similarity(quote.exact, text[start:end])
            + side_similarity(quote.prefix, before)
            + side_similarity(quote.suffix, after)
        )

    def _inward(self, anchor: Anchor, *, first: bool) -> int | None:
        """An edge judged from the quote's own nearest carried character (within
        ``MAX_EDIT``): the edited words at the edge are assumed as long as they were."""
        for step in range(1, MAX_EDIT + 1):
            i = anchor.start + step if first else anchor.end - 1 - step
            if not anchor.start <= i < anchor.end:
                return None
            mapped = self.offsets.carried_over(i, i + 1)
            if mapped is not None:
                return mapped - step if first else mapped + step + 1
        return None

    def _edges(self, anchor: Anchor, at: int, first: bool) -> list[int]:
        """Where an edge of the span found at ``at`` might rather be: within ``SLACK``, at a
        word's edge, and never past a character carried from outside the old quote."""
        text, found = self.new_f, [at]
        for i in range(max(0, at - SLACK), min(len(text), at + SLACK) + 1):
            inside = text[i : i + 1] if first else text[i - 1 : i]
            outside = text[i - 1 : i] if first else text[i : i + 1]
            if i == at or not inside or inside.isspace() or outside.strip():
                continue
            taken = (i, at) if first else (at, i)  # what moving the edge there takes in
            if taken[0] >= taken[1] or not self._foreign(anchor, *taken):
                found.append(i)
        return found

    def _left_behind(self, anchor: Anchor, start: int, end: int) -> bool:
        """Whether a (non-space) character of the old quote that the diff carried lies
        outside [start, end): the quote's own words are elsewhere (after a copy of its
        paragraph, after a sentence ending like it), so these are not its words."""
        old = self.old_f
        for i in range(anchor.start, anchor.end):
            if old[i].isspace():
                continue
            mapped = self.offsets.carried_over(i, i + 1)
            if mapped is not None and not start <= mapped < end:
                return True
        return False

    # -- slides ---------------------------------------------------------------------------

    def _slides(self, anchor: Anchor, quote: _Quote, span, current: bool) -> bool:
        """Whether text put in next to the found words could as well be inside them: it
        begins (or ends) with the quote's own first (or last) words, so a diff may pair them
        either way ("Vladimir Putin" + "Putin could still congratulate Trump" inserted before
        "Putin and"). The reading that keeps the quote whole wins only when the text put in
        is then a whole line or sentence and, in the other reading, is not."""
        text, (start, end) = self.new_f, span
        sides = (quote.prefix, quote.suffix)
        if current and self._carried_with_context(anchor, start):
            return False  # nothing was put in beside it, nor near
        if current:
            # As much of the old text around it as twice the context: two paragraphs may
            # open with the same 32 characters.
            old, reach = self.old_f, 2 * self.context_length
            prefix = old[max(0, anchor.start - reach) : anchor.start]
            sides = (prefix, old[anchor.end : anchor.end + reach])
            if self._look_alike(quote, span, sides):
                return True
        for left in (True, False):
            gap = self._gap(sides, start, end, left)
            if gap is None:
                continue
            low, high = gap
            shift = self._shift(text, (start, end), gap, left)
            if not shift or _echo(text, quote.exact, (start, end), gap):
                continue
            other = (low + shift, high + shift) if left else (low - shift, high - shift)
            if left and _bullet(text, low, text[start : start + shift]):
                return True  # a line's bullet ("• "): no word tells the readings apart
            if not (self._unit(low, high) and not self._unit(*other)):
                return True
        return False

    def _look_alike(self, quote: _Quote, span, sides) -> bool:
        """Whether a stored side is there but twice as much of the old text on that side is
        not, and is found elsewhere: the place only opens (or ends) like the quote's own —
        two paragraphs opening with the same 32 characters, one moved."""
        text, (start, end) = self.new_f, span
        prefix, suffix = sides
        left = (
            len(prefix) > len(quote.prefix)
            and text.endswith(quote.prefix, 0, start)
            and not text.endswith(prefix, 0, start)
            and prefix in text
        )
        return left or (
            len(suffix) > len(quote.suffix)
            and text.startswith(quote.suffix, end)
            and not text.startswith(suffix, end)
            and suffix in text
        )

    def _carried_with_context(self, anchor: Anchor, start: int) -> bool:
        """Whether the diff carried the quote to ``start`` together with twice the context
        on each side, in one piece."""
        reach = 2 * self.context_length
        low = max(0, anchor.start - reach)
        high = min(len(self.old_f), anchor.end + reach)
        return self.offsets.carried_over(low, high) == start - (anchor.start - low)

    def _gap(self, sides, start: int, end: int, left: bool) -> tuple[int, int] | None:
        """The text between the found words and where the stored side resumes after it (or
        ends before it), within ``SLIDE_REACH``; None when that side is there or not found."""
        text = self.new_f
        if left:
            side = sides[0]
            at = text.rfind(side, max(0, start - SLIDE_REACH), start) if side else -1
            return (at + len(side), start) if at != -1 and at + len(side) < start else None
        side = sides[1]
        at = text.find(side, end, end + SLIDE_REACH) if side else -1
        return (end, at) if at > end else None

    @staticmethod
    def _shift(text: str, span, gap, left: bool) -> int:
        """How far the gap could slide into the found words: the length of their common
        first (or last) characters, cut back to a word's edge; 0 when none."""
        (start, end), (low, high) = span, gap
        limit = min(end - start, high - low)
        shift = 0
        if left:
            while shift < limit and text[start + shift] == text[low + shift]:
                shift += 1
            while shift and shift < end - start and not text[start + shift].isspace():
                shift -= 1
            return shift
        while shift < limit and text[end - 1 - shift] == text[high - 1 - shift]:
            shift += 1
        while shift and shift < end - start and not text[end - 1 - shift].isspace():
            shift -= 1
        return shift

    def _unit(self, low: int, high: int) -> bool:
        """Whether [low, high) is whole lines or sentences: each end at a line's edge or just
        after a sentence's end (spaces aside)."""
        text = self.new_f
        return bool(text[low:high].strip()) and _at_break(text, low, True) and _at_break(text, high)

    def _foreign(self, anchor: Anchor, low: int, high: int) -> bool:
        """Whether a character of the new text in [low, high) was carried from outside the
        old quote (other words, which an edge must not take in)."""
        for i in range(low, high):
            origin = self.offsets.carried_from(i, i + 1)
            if origin is not None and not anchor.start <= origin < anchor.end:
                return True
        return False

    def _best_other(self, anchor, quote, candidates, chosen, chosen_end) -> float:
        """The best score of any other place for this highlight: the exact quote with its
        context, or the words between another copy of the prefix and the suffix. (The old
        quote inside the new words, "and" in "ands", is the same place, not another.)"""
        best = 0.0
        if len(candidates) > MAX_SCORED:
            return 1.0
        for c in candidates:
            if chosen - SLACK <= c and c + len(quote.exact) <= chosen_end + SLACK:
                continue  # the same place ("is" in "thhis iis"), not another
            best = max(best, (1 + context_score(anchor, self.new, c)) / 2)
        if min(len(quote.prefix), len(quote.suffix)) < MIN_SIDE:
            return best  # a side this short is found everywhere: it tells no place
        reach = 2 * len(quote.exact) + 16
        lefts = occurrences(self.new_f, quote.prefix, MAX_SCORED)
        if lefts is None:
            return 1.0
        for left in lefts:
            begin = left + len(quote.prefix)
            if abs(begin - chosen) <= SLACK:
                continue  # the same place, a space more or less
            right = self.new_f.find(quote.suffix, begin, begin + reach + len(quote.suffix))
            if right > begin:
                best = max(best, (1 + _similarity(quote.exact, self.new_f[begin:right])) / 2)
        return best


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

    ``offsets`` maps the old text to the new one (build it once per correction, or use a
    ``Reanchorer``); without it only a unique quote with both sides of its context counts.
    """
    if offsets is None and old_body is not None:
        offsets = OffsetMap(old_body, new_body)
    return Reanchorer(None, new_body, offsets=offsets, context_length=context_length).reanchor(
        anchor, was_orphaned=was_orphaned
    )
