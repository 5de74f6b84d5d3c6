"""The canonical form of an article's text: what offsets count in (docs/architecture.md,
"The offsets contract"), the one way of shortening text for display, and which of its line
breaks are only the wrapping of a hard-wrapped file (``soft_breaks``)."""

import hashlib
import heapq
import re
import unicodedata
from bisect import bisect_left
from collections import deque
from collections.abc import Iterator

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext


def normalize_text(text: str) -> str:
    """BOM stripped, newlines normalised to \\n, NFC. Idempotent."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…" when cut.

    The one way quotes and statements are shortened for display (lists, side panels, admin,
    history); a template filter (``|truncatechars``) costs too much on pages with a thousand
    highlights.
    """
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


_UKRAINIAN_LETTERS = frozenset("іїєґІЇЄҐ")
_RUSSIAN_LETTERS = frozenset("ыэъёЫЭЪЁ")


def language_name(code: str) -> str:
    """A BCP 47 tag as a reader says it, in the reader's language ("uk" → "Ukrainian", or
    "українська" to a Ukrainian desk, from Django's own catalogues); a tag Django does not
    know, as it is."""
    code = (code or "").strip()
    info = LANG_INFO.get(code.lower()) or LANG_INFO.get(code.split("-")[0].lower())
    return gettext(info["name"]) if info and "name" in info else code


def quote_language(quote: str, article_language: str = "") -> str:
    """The language to mark a quote with (``lang``): its article's, unless the quote is in
    another script — a Russian or Ukrainian sentence quoted in an English article (WCAG
    3.1.2). Cyrillic with neither language's own letters is taken as Russian unless the
    article is Ukrainian; "" when nothing is known."""
    letters = [ch for ch in quote if ch.isalpha()]
    cyrillic = [ch for ch in letters if "\u0400" <= ch <= "\u04ff"]
    if not letters or len(cyrillic) <= len(letters) / 2:
        return "" if article_language in ("ru", "uk") and letters else article_language
    if any(ch in _UKRAINIAN_LETTERS for ch in cyrillic):
        return "uk"
    if any(ch in _RUSSIAN_LETTERS for ch in cyrillic):
        return "ru"
    return article_language if article_language in ("ru", "uk") else "ru"


# Hard-wrapped text ---------------------------------------------------------------------------

WRAP_WIDTH_MAX = 120  # a block with a longer line holds a paragraph per line: not wrapped
FULL_LINE_MIN = 40  # a shorter line ended for a reason (a heading, a byline, a list item)
FULL_LINE_SHARE = 0.6  # …and so did one shorter than this share of its block's longest line
# A line that starts like a list item or indented starts a line of its own.
_STARTS_ITEM = re.compile(r"\s|[-*+•·‣▪–—]\s|\(?\d{1,3}[.)]\s")
# The end of a sentence: its points, then any closing quotes or bracket (claims.sentences
# also cuts context sentences at it).
SENTENCE_END = r"[.!?…]+[\"'»”’)]*"
_ENDS_SENTENCE = re.compile(SENTENCE_END + r"\s*\Z")  # a line that ends a sentence


def soft_breaks(text: str, *, fragment: bool = False) -> list[int]:
    """The offsets of the *soft* line breaks of ``text``, in order: the newlines of a
    hard-wrapped file (single newlines in the middle of sentences, paragraphs parted by blank
    lines), which read as spaces. Every other newline is the writer's and stays a line break.

    The text is read in *blocks*: runs of non-blank lines (a blank line is empty or spaces
    only). A newline is soft when all of these hold:

    - it parts two lines of one block (a paragraph break, a blank line, is never soft);
    - the block is hard-wrapped: no line of it is longer than ``WRAP_WIDTH_MAX`` code points
      (a file with a paragraph per line, the CNBC seed, keeps every newline);
    - some line of the block, other than its last, stops mid-sentence (a block whose every
      line ends a sentence holds a short paragraph per line);
    - the lines on both sides of it are *full* — at least ``FULL_LINE_MIN`` code points and
      ``FULL_LINE_SHARE`` of the block's longest line — or the one after it is the block's
      last line and ends a sentence (a paragraph's short last line: "Harris."). A short line
      that ended for a reason stays a line: a heading, a byline, a date, a photo credit, a
      menu entry, so a header block of short lines keeps its breaks, and so do a title line
      before a short "Putin" or a date, and a paragraph before its photo credit;
    - the line after it does not start like a list item ("- ", "• ", "1. ", "2) ") or with
      a space or tab (indented).

    With ``fragment`` (a quote cut out of its article: its first line's beginning and its
    last line's end are not there) the first and the last line count as full.

    One pass over the lines: the article page calls it for every body it draws.
    """
    if "\n" not in text:
        return []
    found: list[int] = []
    block: list[tuple[int, str]] = []  # the block's lines: (offset of the newline after, line)
    first = fragment  # the next block starts at the fragment's cut-off first line
    offset = 0
    for line in text.split("\n"):
        offset += len(line)
        if line and not line.isspace():
            block.append((offset, line))
        else:
            _block_breaks(block, found, first_full=first)
            block, first = [], False
        offset += 1
    _block_breaks(block, found, first_full=first, last_full=fragment)
    return found


def _block_breaks(
    block: list[tuple[int, str]], found: list[int], *, first_full: bool, last_full: bool = False
) -> None:
    """Append the soft breaks of one block (``soft_breaks``) to ``found``."""
    if len(block) < 2:
        return
    lines = [line.rstrip() for _, line in block]
    width = max(map(len, lines))
    if width > WRAP_WIDTH_MAX or all(_ENDS_SENTENCE.search(line) for line in lines[:-1]):
        return
    least = max(FULL_LINE_MIN, FULL_LINE_SHARE * width)
    full = [len(line) >= least for line in lines]
    full[0] = full[0] or first_full
    full[-1] = full[-1] or last_full or bool(_ENDS_SENTENCE.search(lines[-1]))
    for k in range(len(block) - 1):
        if full[k] and full[k + 1] and not _STARTS_ITEM.match(block[k + 1][1]):
            found.append(block[k][0])


def unwrap(text: str, lo: int = 0, hi: int | None = None, soft: list[int] | None = None) -> str:
    """``text[lo:hi]`` with its soft line breaks (``soft``, sorted offsets into ``text``;
    ``soft_breaks(text)`` when not given) as spaces: how a hard-wrapped paragraph reads where
    the text is shown with its line breaks (``white-space: pre-line``)."""
    hi = len(text) if hi is None else hi
    soft = soft_breaks(text) if soft is None else soft
    i, j = bisect_left(soft, lo), bisect_left(soft, hi)
    if i == j:
        return text[lo:hi]
    chars = list(text[lo:hi])
    for position in soft[i:j]:
        chars[position - lo] = " "
    return "".join(chars)


def unwrap_quote(quote: str) -> str:
    """A quote shown without its article (a published fact check): its soft line breaks as
    spaces, read as a fragment (``soft_breaks``)."""
    return unwrap(quote, soft=soft_breaks(quote, fragment=True))


# Word shingles -------------------------------------------------------------------------------

SHINGLE_WORDS = 4
_WORD = re.compile(r"\w+")


def _shingle_runs(text: str, size: int) -> Iterator[tuple[str, ...]]:
    """The text's runs of ``size`` case-folded words, read as a stream (a text shorter than
    ``size`` words is one run)."""
    run: deque[str] = deque(maxlen=size)
    emitted = False
    for match in _WORD.finditer(text):
        run.append(match.group().casefold())
        if len(run) == size:
            emitted = True
            yield tuple(run)
    if run and not emitted:
        yield tuple(run)


def shingle_hashes(text: str, size: int = SHINGLE_WORDS) -> Iterator[int]:
    """The text's runs of ``size`` words (case-folded), each as a signed 64-bit hash that is
    the same in every process (what sketches store): what near-duplicate copies are measured
    by. A text shorter than ``size`` words is one shingle."""
    for run in _shingle_runs(text, size):
        yield _hash64(" ".join(run))


def word_shingles(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """The text's shingles as a set to compare with another text's in the same process:
    Python's own hash of each run, several times faster than ``shingle_hashes`` and never
    stored (it differs between processes)."""
    return {hash(run) for run in _shingle_runs(text, size)}


def shingle_sketch(text: str, k: int) -> list[int]:
    """The ``k`` smallest distinct shingle hashes (a bottom-k sketch), in bounded memory."""
    heap: list[int] = []  # negated: the largest kept is on top
    kept: set[int] = set()
    for value in shingle_hashes(text):
        if value in kept:
            continue
        if len(heap) < k:
            heapq.heappush(heap, -value)
            kept.add(value)
        elif value < -heap[0]:
            kept.discard(-heapq.heappushpop(heap, -value))
            kept.add(value)
    return sorted(kept)


def _hash64(run: str) -> int:
    digest = hashlib.blake2b(run.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
