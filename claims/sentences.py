"""The sentence a quote sits in, for showing an appearance of a claim in its context."""

import re
from bisect import bisect_left
from dataclasses import asdict, dataclass

from articles.text import SENTENCE_END, soft_breaks, unwrap

# A sentence ends at . ! ? (or … ) followed by whitespace, or at a line break; but a point
# after an abbreviation ends nothing (see _is_abbreviation), and neither does a soft line
# break, the wrapping of a hard-wrapped file (articles.text.soft_breaks).
_END = re.compile(SENTENCE_END + r"(?=\s)|\n")
# The word a point follows: letters, and points between letters ("U.S", "e.g", "т.е").
_WORD_BEFORE = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]+\.)*[^\W\d_]+\Z")
# Common abbreviations written with a point (compared lower-cased, without the last point).
# ("No." is left out: "no" ends too many sentences; an abbreviation taken for a sentence end
# cuts the context short, a sentence end taken for an abbreviation only lengthens it.)
ABBREVIATIONS = frozenset(
    # titles and ranks
    ["mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "col", "lt", "sgt", "capt"]
    + ["gov", "sen", "rep", "pres", "rev", "hon"]
    # companies, references
    + ["inc", "ltd", "co", "corp", "dept", "univ", "vol", "pp", "fig", "approx", "vs", "etc"]
    # months
    + ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
    # Russian and Ukrainian: год(а), имени, улица, смотри, страница, тысяч, миллионов…
    + ["г", "гг", "им", "ул", "см", "стр", "тыс", "млн", "млрд"]
)
_LOOK_BACK = 24  # characters before a point searched for its word


@dataclass(frozen=True)
class QuoteInSentence:
    before: str
    quote: str
    after: str
    clipped_before: bool = False
    clipped_after: bool = False


def _is_abbreviation(body: str, point: int) -> bool:
    """Whether the point at ``body[point]`` closes an abbreviation rather than a sentence:
    a single capital letter ("U.S.", "J. Smith", "В. Путин"), letters separated by points
    ("e.g.", "U.S.A."), or a common abbreviation ("Mr.", "Jan.", "т.е.")."""
    found = _WORD_BEFORE.search(body, max(0, point - _LOOK_BACK), point)
    if found is None:
        return False
    word = found.group()
    letters = word.replace(".", "")
    if len(letters) == 1:
        return word.isupper()
    if "." in word and all(len(part) == 1 for part in word.split(".")):
        return True
    return word.casefold() in ABBREVIATIONS


def _is_soft(soft: list[int], position: int) -> bool:
    i = bisect_left(soft, position)
    return i < len(soft) and soft[i] == position


def _ends(body: str, start: int, stop: int, soft: list[int]):
    """The sentence ends in ``body[start:stop]``, in order."""
    for match in _END.finditer(body, start, stop):
        if match.group() == "." and _is_abbreviation(body, match.start()):
            continue
        if match.group() == "\n" and _is_soft(soft, match.start()):
            continue
        yield match


def sentence_around(
    body: str, start: int, end: int, limit: int = 300, soft: list[int] | None = None
) -> QuoteInSentence:
    """The quote ``body[start:end]`` with the rest of its sentence(s), at most about ``limit``
    characters; longer sentences are clipped around the quote, which is never cut.

    The parts are for display: a soft line break (``soft``, the body's
    ``articles.text.soft_breaks``, found when not given) neither ends the sentence nor shows
    as a line break — it is a space in them."""
    soft = soft_breaks(body) if soft is None else soft
    window_start = max(0, start - limit)
    left = window_start
    for match in _ends(body, window_start, start, soft):
        left = match.end()
    clipped_before = left == window_start and window_start > 0
    match = next(_ends(body, end, min(len(body), end + limit), soft), None)
    right = match.end() if match else min(len(body), end + limit)
    clipped_after = match is None and right < len(body)

    before = unwrap(body, left, start, soft).lstrip()
    after = unwrap(body, end, right, soft).rstrip()
    budget = max(0, limit - (end - start))
    if len(before) + len(after) > budget:
        # Share what is left between the sides, giving one side's unused room to the other.
        half = budget // 2
        keep_before = min(len(before), max(half, budget - len(after)))
        keep_after = min(len(after), budget - keep_before)
        if keep_before < len(before):
            before, clipped_before = before[len(before) - keep_before :], True
        if keep_after < len(after):
            after, clipped_after = after[:keep_after], True
    quote = unwrap(body, start, end, soft)
    return QuoteInSentence(before, quote, after, clipped_before, clipped_after)


def sentence_spans(body: str, soft: list[int] | None = None) -> list[tuple[int, int]]:
    """Every sentence of ``body`` as ``(start, end)`` offsets, whitespace trimmed, cut as
    ``sentence_around`` cuts them (the claim radar reads a body sentence by sentence)."""
    soft = soft_breaks(body) if soft is None else soft
    spans, left = [], 0
    for match in [*_ends(body, 0, len(body), soft), None]:
        right = match.end() if match else len(body)
        start, end = left, right
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
        left = right
    return spans


def sentence_bounds(
    body: str, position: int, soft: list[int], limit: int = 5000
) -> tuple[int, int]:
    """The ``(start, end)`` of the sentence holding ``body[position]``, as ``sentence_spans``
    cuts it, looking at most ``limit`` code points either way (for a reader that jumps to a
    word it found instead of cutting the whole text)."""
    left = -1
    for reach in (500, limit):  # most sentences end within the first, shorter look back
        window = max(0, position - reach)
        for match in _ends(body, window, position, soft):
            left = match.end()
        if left >= 0 or window == 0 or reach == limit:
            left = max(left, window)
            break
    match = next(_ends(body, position, min(len(body), position + limit), soft), None)
    right = match.end() if match else min(len(body), position + limit)
    while left < right and body[left].isspace():
        left += 1
    while right > left and body[right - 1].isspace():
        right -= 1
    return left, right


# A blank line (empty or spaces only): soft line breaks are decided block by block between them.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def context_of(body: str, start: int, end: int, soft: list[int] | None = None) -> dict:
    """What ``Annotation.context`` stores: the quote in its sentence (``sentence_around``) as
    JSON, written with the highlight and refreshed by a correction, so the pages that list a
    claim's appearances never read an article's body.

    Without ``soft`` (one highlight saved), the soft line breaks are found in the blocks the
    quote is in only: a blank line ends every sentence and ``soft_breaks`` decides block by
    block, so the answer is the same as the whole body's, without reading all of it."""
    if soft is None:
        low = 0
        for low_match in _BLANK_LINE.finditer(body, 0, start):
            low = low_match.end()
        high_match = _BLANK_LINE.search(body, end)
        high = high_match.start() if high_match else len(body)
        soft = [low + offset for offset in soft_breaks(body[low:high])]
    return asdict(sentence_around(body, start, end, soft=soft))


def stored_context(context: dict) -> QuoteInSentence:
    return QuoteInSentence(**context)
