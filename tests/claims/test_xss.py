"""Every user-written field renders inert on desk, review and public pages.

Each payload goes into every field a person can write (claim, claimant, outlet, article
title, body and URL, the quoted words, the annotation's note, the verdict's summary, the
evidence's title, publisher and note); then every page that shows them is parsed and must
carry no script but ours, no event handler and no script-bearing link.
"""

import json
import re
import unicodedata
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from claims.desk_names import DESK
from claims.desk_names import SCRIPT_ELEMENT as DESK_ELEMENT
from claims.models import Annotation, Claim
from claims.services.verdicts import (
    verdict_approve,
    verdict_save,
    verdict_submit,
)
from factcheck.errors import Refused
from factcheck.sanitize import render_markdown
from tests import factories
from tests.claims.helpers import parse

pytestmark = pytest.mark.django_db

HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    '\'><iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "</script><script>alert(1)</script>",
    "</textarea></title><script>alert(1)</script>",
    '<a href="javascript:alert(1)">click</a>',
    "<scr<script>ipt>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]
JS_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "\x01javascript:alert(1)",
    "javascript\x00:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript&colon;alert(1)",
    "jav&#x09;ascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
]
MARKDOWN_PAYLOADS = [f"[click me]({u})" for u in JS_URLS if "\n" not in u and "\x00" not in u] + [
    "![image](javascript:alert(1))",
    "[ref][1]\n\n[1]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[x](<javascript:alert(1)>)",
]
# Forms refuse NUL and PostgreSQL cannot store it; it still goes through the URL checks.
CORPUS = [p for p in HTML_PAYLOADS + JS_URLS + MARKDOWN_PAYLOADS if "\x00" not in p]

BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def _as_browser_reads(url: str) -> str:
    """What a browser would take the scheme to be: no control characters or whitespace."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", unescape(url))).lower()


def _ours(src: str) -> bool:
    """A script of our own origin: a static file, or the JavaScript catalogue."""
    return src.startswith("/static/") or src in {
        reverse("javascript_catalog", args=[code]) for code, _ in settings.LANGUAGES
    }


def assert_inert(html: str, *, where: str, jsonld: int = 0) -> None:
    page = parse(html)
    scripts = [attrs for attrs, _ in page.scripts]
    # Our own files, and the translations the desk's scripts read (/jsi18n/, factcheck.views).
    ours = [a for a in scripts if _ours(a.get("src") or "")]
    data = [a for a in scripts if a.get("type") == "application/ld+json"]
    # The desk's names for its script (claims.desk_names): JSON, never run, exactly as written.
    names = [t for a, t in page.scripts if a == {"id": DESK_ELEMENT, "type": "application/json"}]
    assert all(json.loads(unescape(text)) == DESK for text in names), where
    assert len(names) <= 1, where
    assert len(ours) + len(data) + len(names) == len(scripts), (where, scripts)
    assert all(text.strip() == "" for attrs, text in page.scripts if attrs.get("src")), where
    assert len(data) == jsonld, (where, "JSON-LD blocks")
    assert not page.handlers, (where, page.handlers)
    for tag, attr, value in page.urls:
        assert not _as_browser_reads(value).startswith(BAD_SCHEMES), (where, tag, attr, value)
    forbidden = {"iframe", "object", "embed", "base"}
    assert not [t for t, _ in page.tags if t in forbidden], where
    for tag, attrs in page.tags:
        if tag == "meta" and attrs.get("http-equiv"):
            pytest.fail(f"{where}: a <meta http-equiv> was injected")
        if tag in {"math", "style"} or (tag == "svg" and not _drawn_by_the_site(attrs)):
            pytest.fail(f"{where}: a <{tag}> element was injected")
    assert "<script>alert(1)</script>" not in html, where


def _drawn_by_the_site(attrs) -> bool:
    """The site's own SVG (the spread timeline, its legend, the review sparklines): a class
    of its own and no handler (handlers are refused above)."""
    return (attrs.get("class") or "") in {"spread-chart", "spread-key", "spread-spark"}


@pytest.fixture
def world(db):
    """One claim, article, annotation and approved verdict per payload, written through the
    services as the desk writes them."""
    editor = factories.EditorFactory(first_name="<b onmouseover=alert(1)>Ed</b>")
    reviewer = factories.ReviewerFactory()
    items = []
    for n, payload in enumerate(CORPUS):
        outlet = factories.OutletFactory(name=f"{payload} #{n}")
        article = factories.ArticleFactory(
            outlet=outlet,
            title=payload,
            url=payload if not payload.startswith("<") else "javascript:alert(1)",
            body=f"Report {n}. Officials said {payload} on Thursday.\nMore text follows.",
        )
        claim = Claim.objects.create(statement=f"{payload} claim {n}", claimant=payload)
        note = f"{payload}\n\n{MARKDOWN_PAYLOADS[n % len(MARKDOWN_PAYLOADS)]}"
        factories.AnnotationFactory(
            article=article,
            claim=claim,
            author=editor,
            quote=payload.strip() or payload,
            note=note,
            note_html=render_markdown(note),
        )
        verdict = verdict_save(
            claim=claim,
            user=editor,
            rating="false",
            summary=f"{payload}\n\n{MARKDOWN_PAYLOADS[n % len(MARKDOWN_PAYLOADS)]}",
            evidence=[
                {
                    "url": 'https://example.org/a"onmouseover="alert(1)',
                    "title": payload,
                    "publisher": payload,
                    "note": payload,
                }
            ],
            version=None,
            correction_note="",
        )
        verdict = verdict_submit(verdict=verdict, user=editor, version=verdict.version)
        verdict = verdict_approve(verdict=verdict, user=reviewer, version=verdict.version)
        items.append({"payload": payload, "claim": claim, "article": article, "verdict": verdict})
    return {"editor": editor, "reviewer": reviewer, "items": items}


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_public_pages_are_inert(world):
    anonymous = _client()
    assert_inert(_get(anonymous, reverse("home")), where="home")
    for item in world["items"]:
        where = f"home?q= {item['payload']!r}"
        assert_inert(_get(anonymous, reverse("home"), q=item["payload"]), where=where)
        html = _get(anonymous, item["claim"].get_absolute_url())
        assert_inert(html, where=f"claim page {item['payload']!r}", jsonld=1)
        (data,) = [
            json.loads(text)
            for attrs, text in parse(html).scripts
            if attrs.get("type") == "application/ld+json"
        ]
        assert data["claimReviewed"] == item["claim"].statement
        assert "url" not in data["itemReviewed"]["firstAppearance"]  # never a javascript: URL


def test_desk_and_review_pages_are_inert(world):
    editor, reviewer = _client(world["editor"]), _client(world["reviewer"])
    assert_inert(_get(editor, reverse("desk")), where="desk")
    assert_inert(_get(editor, reverse("claim_list")), where="claim list")
    for status in ("all", "approved"):
        assert_inert(_get(reviewer, reverse("review"), status=status), where="review")
    for item in world["items"]:
        html = _get(reviewer, reverse("review"), status="all", q=item["payload"])
        assert_inert(html, where=f"review?q={item['payload']!r}")
        html = _get(editor, reverse("claim_detail", args=[item["claim"].pk]))
        assert_inert(html, where=f"claim desk page {item['payload']!r}")
        html = _get(editor, reverse("verdict_edit", args=[item["claim"].pk]))
        assert_inert(html, where=f"verdict page {item['payload']!r}")
        html = _get(editor, reverse("article_detail", args=[item["article"].pk]))
        assert_inert(html, where=f"article {item['payload']!r}")


def test_feed_escapes_titles_and_keeps_summaries_sanitised(world):
    from xml.etree import ElementTree

    xml = _get(_client(), reverse("claims_feed"))
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ElementTree.fromstring(xml).findall(f"{atom}entry")
    assert len(entries) == min(len(CORPUS), 30)
    for entry in entries:
        # Titles are Atom text: readers never run them as HTML.
        assert entry.find(f"{atom}title").get("type") in (None, "text")
        summary = entry.find(f"{atom}summary")
        assert summary.get("type") == "html"
        assert_inert(summary.text, where="feed entry")


def test_csv_is_formula_safe_for_every_payload(world):
    import csv
    import io

    response = _client(world["reviewer"]).get(reverse("review"), {"status": "all", "format": "csv"})
    for row in csv.reader(io.StringIO(b"".join(response.streaming_content).decode())):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize("url", JS_URLS)
def test_evidence_urls_must_be_http(editor, url):
    claim = factories.ClaimFactory()
    with pytest.raises(Refused):
        verdict_save(
            claim=claim,
            user=editor,
            rating="false",
            summary="Summary.",
            evidence=[{"url": url, "title": "t"}],
            version=None,
        )
    assert not claim.verdicts.exists()


def test_csp_header_with_nonce_on_desk_pages(world):
    for user, url in [
        (world["editor"], reverse("desk")),
        (world["reviewer"], reverse("review")),
        (world["editor"], reverse("article_detail", args=[world["items"][0]["article"].pk])),
    ]:
        response = _client(user).get(url)
        policy = response["Content-Security-Policy"]
        nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy)
        assert nonce, (url, policy)
        assert "unsafe-inline" not in policy and "style-src 'self'" in policy
        scripts = [a for a, _ in parse(response.content.decode()).scripts if a.get("src")]
        # Our own files pass as 'self'; htmx's tag carries the request's nonce.
        assert all(_ours(a["src"]) for a in scripts), url
        assert any(a.get("nonce") == nonce.group(1) for a in scripts), url
    # Public pages, kept by shared caches, load no script and need no nonce.
    public = _client(None).get(world["items"][0]["claim"].get_absolute_url())
    policy = public["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "nonce" not in policy
    assert not [a for a, _ in parse(public.content.decode()).scripts if a.get("src")]
    assert Annotation.objects.count() == len(CORPUS)
