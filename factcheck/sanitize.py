"""The one place where user-written HTML is made safe.

Markdown is rendered with raw HTML disabled and then cleaned by nh3 (ammonia), which keeps a
small set of tags and only http, https and mailto links. Templates mark safe only the
``*_html`` fields this module produces.
"""

import re
import unicodedata
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
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
            _("Too long: keep it under {limit} characters (it has {length}).").format(
                limit=number_format(limit, force_grouping=True),
                length=number_format(len(value), force_grouping=True),
            ),
            code="max_length",
        )


# The longest Markdown accepted, for services that check lengths themselves.
MAX_MARKDOWN = settings.MARKDOWN_MAX_CHARS


def render_markdown(source: str) -> str:
    """Markdown source to safe HTML; headings are demoted so they never outrank the page's."""
    html = _markdown.render(source or "")
    html = re.sub(r"<(/?)h[12]>", r"<\1h3>", html)
    return clean_html(html)


class _Text(HTMLParser):
    """Safe HTML (``render_markdown``'s) as the text a reader sees: paragraphs apart, list
    items on their lines with their bullet or number, soft line breaks as spaces."""

    BLOCKS = {"p", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[int | None] = []  # the next number of each open list; None: bullets
        self.pre = 0

    def handle_starttag(self, tag, attrs):
        if tag == "ol":
            start = dict(attrs).get("start") or "1"
            self.lists.append(int(start) if start.isdigit() else 1)
        elif tag == "ul":
            self.lists.append(None)
        elif tag == "li":
            number = self.lists[-1] if self.lists else None
            indent = "  " * max(0, len(self.lists) - 1)
            self.parts.append(f"\n{indent}{'• ' if number is None else f'{number}. '}")
            if number is not None:
                self.lists[-1] = number + 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag):
        if tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self.pre:
            self.parts.append(data)
        elif data.strip() or "\n" not in data:  # not the line break between two blocks
            self.parts.append(re.sub(r"\s+", " ", data))


def markdown_text(source: str) -> str:
    """Markdown as readable plain text, without its markup (``**``, ``[text](url)``): what a
    reader of the rendered HTML sees, for diffs and excerpts. Plain text, to be escaped."""
    parser = _Text()
    parser.feed(render_markdown(source))
    parser.close()
    lines = [line.rstrip() for line in "".join(parser.parts).split("\n")]
    text = "\n".join(line if line.strip() else "" for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


class _Mentions(HTMLParser):
    """Rewrites the text of safe HTML (``render_markdown``'s), never its tags: tags go out
    exactly as they came in; text outside links and code gets ``@name`` wrapped."""

    SKIP = {"a", "code", "pre"}

    def __init__(self, pattern: re.Pattern, names: set[str]):
        super().__init__(convert_charrefs=False)
        self.pattern, self.names = pattern, names
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in self.SKIP:
            self.skipping += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)

    def handle_data(self, data):
        self.out.append(data if self.skipping else self.pattern.sub(self._wrap, data))

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def _wrap(self, match: re.Match) -> str:
        if match.group(1).casefold() not in self.names:
            return match.group(0)
        return f'<span class="mention">{escape(match.group(0))}</span>'


def mark_mentions(html: str, pattern: re.Pattern, names) -> str:
    """``html`` (from ``render_markdown``) with each match of ``pattern`` whose first group is
    one of ``names`` (case-insensitive) wrapped in ``<span class="mention">``: in text only,
    not inside links or code. The one tag this module adds after cleaning."""
    names = {name.casefold() for name in names}
    if not names:
        return html
    parser = _Mentions(pattern, names)
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


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
