"""The sitemap is an index of pages of at most 1,000 addresses (public/sitemaps.py), each
cheap to draw: a fixed number of queries whatever the number of fact checks."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from public import sitemaps
from tests import factories
from tests.claims.helpers import publish

pytestmark = pytest.mark.django_db
LOC = re.compile(r"<loc>http://testserver([^<]+)</loc>")


def _get(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode(), len(queries)


def test_pages_of_at_most_1000_addresses():
    assert sitemaps.LIMIT == 1000 and sitemaps.FactCheckSitemap.limit == 1000


def test_the_index_lists_every_page_and_every_fact_check_is_on_one(client, monkeypatch):
    monkeypatch.setattr(sitemaps.FactCheckSitemap, "limit", 3)
    slugs = {
        publish(claim=factories.ClaimFactory(statement=f"Fact check {n}")).claim.slug
        for n in range(7)
    }
    index, _ = _get(client, "/sitemap.xml")
    assert "<sitemapindex" in index
    pages = LOC.findall(index)
    assert pages == [
        "/sitemap-home.xml",
        "/sitemap-claims.xml",
        "/sitemap-claims.xml?p=2",
        "/sitemap-claims.xml?p=3",
        "/sitemap-claims.xml?p=4",
        "/sitemap-claims.xml?p=5",
    ]
    found = []
    for page in pages[1:]:
        xml, _ = _get(client, page)
        addresses = LOC.findall(xml)
        assert 1 <= len(addresses) <= 3
        found += [address.strip("/") for address in addresses]
    # Each fact check once per language: English unprefixed, Ukrainian under /uk/.
    assert sorted(found) == sorted(
        [f"claims/{slug}" for slug in slugs] + [f"uk/claims/{slug}" for slug in slugs]
    )
    assert client.get("/sitemap-claims.xml?p=6").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_index_and_a_page_cost_the_same_queries_for_1_and_40_fact_checks(client, settings):
    publish()
    small = [_get(client, path)[1] for path in ("/sitemap.xml", "/sitemap-claims.xml")]
    for _ in range(39):
        publish()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    large = [_get(client, path)[1] for path in ("/sitemap.xml", "/sitemap-claims.xml")]
    assert small == large
    xml, _ = _get(client, "/sitemap-claims.xml")
    assert len(LOC.findall(xml)) == 80  # 40 fact checks in two languages


@pytest.mark.parametrize("section", ["home", "claims"])
def test_a_page_says_what_djangos_sitemap_view_says(client, rf, section):
    from xml.etree import ElementTree

    from django.contrib.sitemaps.views import sitemap

    for n in range(3):
        publish(claim=factories.ClaimFactory(statement=f"Fact check <{n}> & co"))
    ours = client.get(f"/sitemap-{section}.xml")
    theirs = sitemap(rf.get(f"/sitemap-{section}.xml"), sitemaps.SITEMAPS, section=section)
    theirs.render()

    def entries(content: bytes):
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        root = ElementTree.fromstring(content)
        return [
            [(child.tag, (child.text or "").strip()) for child in url]
            for url in root.findall("s:url", ns)
        ]

    assert entries(ours.content) == entries(theirs.content) != []
    assert ours["Content-Type"] == theirs["Content-Type"]
    assert ours["X-Robots-Tag"] == theirs["X-Robots-Tag"]
    if section == "claims":
        assert ours.get("Last-Modified") == theirs.get("Last-Modified")
    else:
        # Django's says no date for pages without one; ours gives the site's newest publish,
        # so that If-Modified-Since gets a 304 (conditional GET on every public resource).
        assert theirs.get("Last-Modified") is None and ours["Last-Modified"]


def _entries(content: bytes):
    from xml.etree import ElementTree

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.fromstring(content)
    return [
        [(child.tag, (child.text or "").strip(), sorted(child.attrib.items())) for child in url]
        for url in root.findall("s:url", ns)
    ]


def test_every_page_of_an_odd_size_says_what_djangos_view_says(client, rf, monkeypatch, settings):
    """Pages of 3 addresses (a fact check's two languages split across two pages): each
    page, its alternates (hreflang, x-default) and its Last-Modified as Django's view has
    them."""
    from django.contrib.sitemaps.views import sitemap

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    monkeypatch.setattr(sitemaps.FactCheckSitemap, "limit", 3)
    for n in range(4):
        publish(claim=factories.ClaimFactory(statement=f"Fact check {n}"))
    for page in (1, 2, 3):
        ours = client.get(f"/sitemap-claims.xml?p={page}")
        theirs = sitemap(rf.get(f"/sitemap-claims.xml?p={page}"), sitemaps.SITEMAPS, "claims")
        theirs.render()
        found = _entries(ours.content)
        assert found == _entries(theirs.content)
        assert len(found) == (3 if page < 3 else 2)
        links = [attrs for url in found for tag, _, attrs in url if tag.endswith("link")]
        assert {dict(a)["hreflang"] for a in links} == {"en", "uk", "x-default"}
        assert ours["Last-Modified"] == theirs["Last-Modified"]


def test_a_full_page_is_drawn_from_one_query(client, settings, django_assert_num_queries):
    """One query for the page's slugs and dates: no query, reverse() or template per
    address, and no count of its own (the published state, read before for the ETag and
    Last-Modified, counted the fact checks); then that state again after (kept only if it
    did not move while the page was drawn)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for _ in range(30):
        publish()
    with django_assert_num_queries(1 + 1 + 1):
        response = client.get("/sitemap-claims.xml")
    assert len(LOC.findall(response.content.decode())) == 60
