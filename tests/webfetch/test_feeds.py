"""Outlets' feeds: polled with a conditional GET, new entries imported through the one
import path, nothing twice, failures backed off and shown on the desk."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Outlet
from tests.webfetch.conftest import bench_page
from tests.webfetch.server import Route
from webfetch.models import Feed
from webfetch.services import feed_add, feed_poll, feeds_poll_due

pytestmark = pytest.mark.django_db


def rss(*links, missing=0) -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>{link}</link></item>" for n, link in enumerate(links)
    )
    items += "<item><title>No link here</title><description>x</description></item>" * missing
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News</title>'
        f"<link>https://example.org/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def site(web):
    """A site with two articles and an RSS feed that answers conditional requests."""
    a = web.route("/a", html=bench_page("en-harbour-bridge"))
    b = web.route("/b", html=bench_page("ru-metro-line"))
    body = rss(a, b, missing=1)

    def feed(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Route(304, b"", {"ETag": '"v1"'})
        return Route(
            200,
            body,
            {
                "Content-Type": "application/rss+xml",
                "ETag": '"v1"',
                "Last-Modified": "Wed, 01 Apr 2026 10:00:00 GMT",
            },
        )

    web.routes["/feed.xml"] = feed
    return web


@pytest.fixture
def feed(site, editor):
    outlet = Outlet.objects.create(name="The Coastal Herald", domain="coastalherald.example")
    return feed_add(outlet=outlet, url=site.url("/feed.xml"), user=editor)


def test_a_poll_imports_the_entries_and_a_second_imports_nothing(site, feed):
    first = feed_poll(feed=feed)
    assert (first.imported, first.without_link, first.error) == (2, 1, "")
    assert Article.objects.count() == 2
    assert first.batch.via == "feed"
    feed.refresh_from_db()
    assert feed.etag == '"v1"' and feed.last_modified.startswith("Wed, 01 Apr 2026")
    assert feed.articles_found == 2 and feed.failures == 0
    assert feed.last_error == "1 entry without a link skipped"
    second = feed_poll(feed=feed)
    assert second.not_modified and second.imported == 0
    assert site.requests[-1][1]["if-none-match"] == '"v1"'
    assert site.requests[-1][1]["if-modified-since"].startswith("Wed, 01 Apr 2026")
    assert Article.objects.count() == 2


def test_a_server_ignoring_conditional_get_still_gets_nothing_twice(site, feed):
    feed_poll(feed=feed)
    Feed.objects.filter(pk=feed.pk).update(etag="", last_modified="")
    feed.refresh_from_db()
    requests_before = len(site.requests)
    again = feed_poll(feed=feed)
    assert (again.imported, again.known) == (0, 2)
    # Entries already imported are not even fetched again: only the feed was asked for.
    assert [path for path, _ in site.requests[requests_before:]] == ["/feed.xml"]
    assert Article.objects.count() == 2


def test_a_json_feed(web, editor):
    a = web.route("/a", html=bench_page("uk-energy-tariffs"))
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "x",
        "items": [{"id": "1", "url": a}, {"id": "2"}],
    }
    web.route(
        "/feed.json",
        body=json.dumps(doc).encode(),
        headers={"Content-Type": "application/feed+json"},
    )
    outlet = Outlet.objects.create(name="Poltava", domain="poltava-news.example")
    result = feed_poll(feed=feed_add(outlet=outlet, url=web.url("/feed.json"), user=editor))
    assert (result.imported, result.without_link) == (1, 1)


def test_a_feed_that_is_not_xml_fails_clearly_and_backs_off(web, editor, settings):
    settings.FEED_POLL_MINUTES = 30
    web.route(
        "/feed", body=b"this is not a feed at all", headers={"Content-Type": "application/xml"}
    )
    outlet = Outlet.objects.create(name="X", domain="x.example")
    feed = feed_add(outlet=outlet, url=web.url("/feed"), user=editor)
    result = feed_poll(feed=feed)
    assert result.error.startswith("not a feed: the document is not RSS or Atom XML")
    feed.refresh_from_db()
    assert feed.failures == 1 and feed.last_success_at is None
    assert feed.next_poll_at - feed.last_polled_at == timedelta(hours=1)
    feed_poll(feed=feed)
    feed.refresh_from_db()
    assert feed.next_poll_at - feed.last_polled_at == timedelta(hours=2)
    assert not Article.objects.exists()


def test_a_page_served_as_a_feed_is_refused(web, editor):
    web.route("/feed", html="<html><body>hello</body></html>")
    outlet = Outlet.objects.create(name="X", domain="x.example")
    result = feed_poll(feed=feed_add(outlet=outlet, url=web.url("/feed"), user=editor))
    assert result.error == "expected a feed, but the server sent text/html"


def test_only_due_feeds_are_polled(site, feed):
    Feed.objects.filter(pk=feed.pk).update(next_poll_at=timezone.now() + timedelta(minutes=5))
    assert feeds_poll_due() == []
    Feed.objects.filter(pk=feed.pk).update(next_poll_at=timezone.now() - timedelta(minutes=1))
    assert [r.feed.pk for r in feeds_poll_due()] == [feed.pk]


def test_the_desk_shows_each_feeds_health(site, feed, editor_client):
    feed_poll(feed=feed)
    broken = Feed.objects.create(
        outlet=feed.outlet,
        url="https://broken.example/rss",
        failures=3,
        last_error="the server answered 500 Internal Server Error",
    )
    page = editor_client.get("/desk/feeds/").content.decode()
    assert feed.url in page and broken.url in page
    assert (
        "the server answered 500 Internal Server Error" in page and "(3 failures in a row)" in page
    )
    assert '<td class="num" data-label="Articles found">2</td>' in page


def test_editors_add_feeds_on_the_desk_and_reviewers_cannot(editor_client, client, reviewer):
    outlet = Outlet.objects.create(name="X", domain="x.example")
    response = editor_client.post(
        "/desk/feeds/", {"outlet": outlet.pk, "url": "https://x.example/rss"}
    )
    assert response.status_code == 302
    assert Feed.objects.get().added_by is not None
    again = editor_client.post(
        "/desk/feeds/", {"outlet": outlet.pk, "url": "https://x.example/rss"}
    )
    assert again.status_code == 422 and "already followed" in again.content.decode()
    client.force_login(reviewer)
    assert (
        client.post("/desk/feeds/", {"outlet": outlet.pk, "url": "https://x.example/2"}).status_code
        == 403
    )
    assert Feed.objects.count() == 1
