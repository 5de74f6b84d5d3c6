"""The canonical form of an article's text: what offsets count in (docs/architecture.md,
"The offsets contract"), the one way of shortening text for display, and which of its line
breaks are only the wrapping of a hard-wrapped file (``soft_breaks``)."""

import hashlib
import heapq
import re
import unicodedata
from bisect import bisect_left
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
# A text is read in pieces of about this many characters (cut at a space), so that what a
# 5 MB file costs in memory stays that of one piece plus the shingles kept.
_PIECE_CHARS = 256 * 1024


def _word_keys(text: str) -> Iterator[list[int]]:
    """The words of the case-folded text, each as a 64-bit number that is the same in every
    process (blake2b, once per distinct word of a piece), a piece of the text at a time."""
    keys: dict[str, int] = {}
    start = 0
    while start < len(text):
        end = text.find(" ", start + _PIECE_CHARS) if len(text) - start > _PIECE_CHARS else -1
        end = len(text) if end == -1 else end
        words = _WORD.findall(text[start:end].casefold())
        for word in set(words).difference(keys):
            keys[word] = _hash64(word)
        yield list(map(keys.__getitem__, words))
        start = end
        if len(keys) > 200_000:  # a vocabulary this large is not worth keeping
            keys.clear()


def word_shingles(text: str, size: int = SHINGLE_WORDS) -> Iterator[set[int]]:
    """The text's runs of ``size`` case-folded words, each as a signed 64-bit hash that is
    the same in every process (what sketches store, what copies are measured by), as a set
    per piece of the text. A text shorter than ``size`` words is one shingle.

    A run's hash is CPython's hash of the tuple of its words' numbers: of ints, it is the
    same in every process (only str and bytes hashes are salted) and it is computed in C,
    several times faster than a digest per run. It is pinned by
    ``tests/articles/test_copies.py::test_shingle_hashes_are_the_same_in_every_process``; a
    Python whose tuple hash differed would have to recompute the stored sketches
    (migration ``articles 0011_fast_shingles``)."""
    tail: list[int] = []  # the last size - 1 words of the piece before
    seen_any = False
    for keys in _word_keys(text):
        keys = tail + keys
        if len(keys) >= size:
            seen_any = True
            yield set(map(hash, zip(*(keys[i:] for i in range(size)), strict=False)))
        tail = keys[len(keys) - size + 1 :] if len(keys) >= size else keys
    if tail and not seen_any:
        yield {hash(tuple(tail))}


def shingle_set(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """All the text's shingles (``word_shingles``) as one set, to compare two texts."""
    return set().union(*word_shingles(text, size))


def shingle_sketch(text: str, k: int) -> list[int]:
    """The ``k`` smallest distinct shingle hashes (a bottom-k sketch), sorted, in memory
    bounded by a piece of the text."""
    kept: list[int] = []
    for piece in word_shingles(text):
        kept = heapq.nsmallest(k, piece.union(kept))
    return kept


def _hash64(word: str) -> int:
    digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
