"""Small builders for published fact checks and HTML inspection, shared by the claims tests."""

import json
from datetime import timedelta
from html.parser import HTMLParser

from django.utils import timezone

from claims.models import Status
from tests import factories


def publish(claim=None, *, at=None, **fields):
    """An approved verdict (and its claim): what the public sees."""
    at = at or timezone.now()
    extra = {"claim": claim} if claim is not None else {}
    return factories.VerdictFactory(
        status=Status.APPROVED,
        approved_at=at,
        updated_at=at,
        created_at=at - timedelta(hours=1),
        reviewer=factories.ReviewerFactory(),
        **extra,
        **fields,
    )


class PageParser(HTMLParser):
    """Collects what matters for safety: scripts, event handlers, link targets."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts = []  # (attrs, text)
        self.handlers = []  # (tag, attribute)
        self.urls = []  # (tag, attribute, value)
        self.tags = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        for name, value in attrs.items():
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}:
                self.urls.append((tag, name, value or ""))
        if tag == "script":
            self._script = [attrs, ""]

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(tuple(self._script))
            self._script = None


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def jsonld(response) -> list[dict]:
    page = parse(response.content.decode())
    return [
        json.loads(text)
        for attrs, text in page.scripts
        if attrs.get("type") == "application/ld+json"
    ]
