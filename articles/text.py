"""The canonical form of an article's text: what offsets count in (DESIGN.md, offsets)."""

import hashlib
import unicodedata


def normalize_text(text: str) -> str:
    """BOM stripped, newlines normalised to \\n, NFC. Idempotent."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
