"""The canonical form of an article's text: what offsets count in (docs/architecture.md,
"The offsets contract"), and the one way of shortening text for display."""

import hashlib
import unicodedata


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
