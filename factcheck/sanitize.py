"""The one place where user-written HTML is made safe.

Markdown is rendered with raw HTML disabled and then cleaned by nh3 (ammonia), which keeps a
small set of tags and only http, https and mailto links. Templates mark safe only the
``*_html`` fields this module produces.
"""

import re
import unicodedata
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def validate_markdown_length(value: str) -> None:
    """The limit on every Markdown source (summaries, notes, review comments): rendering
    costs time and memory that grow faster than the text."""
    limit = settings.MARKDOWN_MAX_CHARS
    if len(value or "") > limit:
        raise ValidationError(
            f"Too long: keep it under {limit:,} characters (it has {len(value):,}).",
            code="max_length",
        )


# The longest Markdown accepted, for services that check lengths themselves.
MAX_MARKDOWN = settings.MARKDOWN_MAX_CHARS


def render_markdown(source: str) -> str:
    """Markdown source to safe HTML; headings are demoted so they never outrank the page's."""
    html = _markdown.render(source or "")
    html = re.sub(r"<(/?)h[12]>", r"<\1h3>", html)
    return clean_html(html)


_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")


def is_http_url(url: str) -> bool:
    """True only for an absolute http(s) URL with a host.

    Browsers ignore control characters and whitespace inside a scheme ("java\\tscript:"), so
    the check runs on the URL as a browser would read it, and a URL carrying any of them is
    refused outright rather than repaired.
    """
    if not url or _CONTROL.search(url):
        return False
    url = unicodedata.normalize("NFKC", url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
