"""The sentence a quote sits in, for showing an appearance of a claim in its context."""

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (or … ) followed by whitespace, or at a line break.
_END = re.compile(r"[.!?…]+[\"'»”’)]*(?=\s)|\n")


@dataclass(frozen=True)
class QuoteInSentence:
    before: str
    quote: str
    after: str
    clipped_before: bool = False
    clipped_after: bool = False


def sentence_around(body: str, start: int, end: int, limit: int = 300) -> QuoteInSentence:
    """The quote ``body[start:end]`` with the rest of its sentence(s), at most about ``limit``
    characters; longer sentences are clipped around the quote, which is never cut."""
    window_start = max(0, start - limit)
    left = window_start
    for match in _END.finditer(body, window_start, start):
        left = match.end()
    clipped_before = left == window_start and window_start > 0
    match = _END.search(body, end, min(len(body), end + limit))
    right = match.end() if match else min(len(body), end + limit)
    clipped_after = match is None and right < len(body)

    before, after = body[left:start].lstrip(), body[end:right].rstrip()
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
    return QuoteInSentence(before, body[start:end], after, clipped_before, clipped_after)
