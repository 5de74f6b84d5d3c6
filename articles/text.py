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
