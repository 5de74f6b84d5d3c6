"""The server's copy of anonymous public pages (docs/architecture.md, "Public pages and the
cache"): kept under the published state, so a publish changes what the public reads at
once; never given to, or taken from, a signed-in user or a visitor with a session or
messages; safe for shared caches (no nonce, weak ETags, no Vary: Cookie)."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from claims.services import claims, publishing
from public.views import pages
from tests import factories
from tests.claims.helpers import confirmed_merge, publish, republish

pytestmark = pytest.mark.django_db
NONCE = re.compile(r' nonce="([^"]*)"')
PAGES = ("home", "claim", "feed", "sitemap")


def _url(name, claim):
    return {
        "home": reverse("home"),
        "claim": claim.get_absolute_url(),
        "feed": reverse("claims_feed"),
        "sitemap": "/sitemap-claims.xml",  # the index's page of fact checks
    }[name]


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", PAGES)
def test_a_publish_changes_the_kept_page_at_once(client, name, django_assert_num_queries):
    verdict = publish(claim=factories.ClaimFactory(statement="Putin congratulated Trump"))
    claim, url = verdict.claim, _url(name, verdict.claim)
    response = client.get(url)
    first, etag = _text(response), response["ETag"]
    with django_assert_num_queries(1):  # the published state; the page is the kept one
        assert _text(client.get(url)) == first
    # An edit on the desk changes nothing public...
    editor, reviewer = factories.EditorFactory(), factories.ReviewerFactory()
    claims.claim_update(
        claim=claim, user=editor, statement="Putin sent Trump his congratulations", claimant=""
    )
    assert _text(client.get(url)) == first
    # ...until a reviewer publishes it: the very next request reads the new revision.
    publishing.fact_check_publish(claim=claim, user=reviewer, revision_number=1)
    response = client.get(url)
    after = _text(response)
    assert response["ETag"] != etag
    if name != "sitemap":  # the sitemap shows the date of the revision, not its words
        assert after != first and "Putin sent Trump his congratulations" in after
    with django_assert_num_queries(1):
        assert _text(client.get(url)) == after


def test_a_new_fact_check_shows_at_once_on_the_kept_home_page(client):
    publish(claim=factories.ClaimFactory(statement="First fact check"))
    assert "First fact check" in _text(client.get(reverse("home")))
    assert "First fact check" in _text(client.get(reverse("home")))  # kept
    claim = factories.ClaimFactory(statement="Second fact check")
    slug_url = claim.get_absolute_url()
    assert client.get(slug_url).status_code == 404  # nothing published: nothing kept
    publish(claim=claim)
    assert "Second fact check" in _text(client.get(reverse("home")))
    assert "Second fact check" in _text(client.get(slug_url))


def test_a_merge_that_removes_a_fact_check_changes_the_kept_pages(client):
    source = publish(claim=factories.ClaimFactory(statement="Source claim")).claim
    target = publish(claim=factories.ClaimFactory(statement="Target claim")).claim
    for url in (reverse("home"), reverse("claims_feed"), "/sitemap-claims.xml"):
        assert source.slug in _text(client.get(url))
        client.get(url)
    confirmed_merge(source=source, target=target, user=factories.ReviewerFactory())
    for url in (reverse("home"), reverse("claims_feed"), "/sitemap-claims.xml"):
        assert source.slug not in _text(client.get(url)), url
    assert client.get(source.get_absolute_url()).status_code == 301


def test_a_page_drawn_while_the_state_moved_is_not_kept(client, monkeypatch):
    """A fact check published while the home page is drawn, then deleted: the published
    state is back where it was, and the page drawn in between must not answer for it."""
    publish(claim=factories.ClaimFactory(statement="Kept fact check"))
    search = pages.search_fact_checks
    published = []

    def publish_meanwhile(*args, **kwargs):
        if not published:
            published.append(publish(claim=factories.ClaimFactory(statement="Fleeting")).claim)
        return search(*args, **kwargs)

    monkeypatch.setattr(pages, "search_fact_checks", publish_meanwhile)
    assert "Fleeting" in _text(client.get(reverse("home")))
    published[0].delete()
    html = _text(client.get(reverse("home")))
    assert "Kept fact check" in html and "Fleeting" not in html


@pytest.mark.parametrize("name", PAGES)
def test_signed_in_users_never_share_the_kept_page(client, name, reviewer):
    claim = publish().claim
    url = _url(name, claim)
    signed_in = _signed_in(reviewer)
    # Signed in first, then anonymous, then signed in again: each gets their own page.
    mine = signed_in.get(url)
    theirs = [client.get(url), client.get(url)]
    again = signed_in.get(url)
    for response in (mine, again):
        assert "private" in response["Cache-Control"] and not response.has_header("ETag")
    for response in theirs:
        assert "public" in response["Cache-Control"]
        assert reviewer.username not in response.content.decode()
    if name in ("home", "claim"):
        for response in (mine, again):
            html = response.content.decode()
            assert reviewer.username in html and "Sign out" in html and "X-CSRFToken" in html
        for response in theirs:
            assert "Sign out" not in response.content.decode()


def test_a_visitor_with_a_session_gets_a_drawn_page(client, django_assert_num_queries):
    claim = publish().claim
    url = claim.get_absolute_url()
    client.get(url)
    client.get(url)  # kept
    stale = Client()
    stale.cookies["sessionid"] = "no-such-session"
    # the session, and the page drawn (not kept): the state, the revision, the state again
    with django_assert_num_queries(4 - 1):
        assert stale.get(url).status_code == 200


def test_a_message_for_one_visitor_is_never_kept_for_others(client):
    claim = publish().claim
    url = claim.get_absolute_url()
    storage = CookieStorage(RequestFactory().get("/"))
    with_message = Client()
    with_message.cookies["messages"] = storage._encode(
        [Message(constants.INFO, "You have been signed out.")]
    )
    assert "You have been signed out." in with_message.get(url).content.decode()
    assert "You have been signed out." not in client.get(url).content.decode()
    assert "You have been signed out." not in client.get(url).content.decode()


@pytest.mark.parametrize("name", PAGES + ("page",))
def test_public_pages_are_safe_for_shared_caches(client, name):
    """One copy serves every visitor: no CSP nonce in the page or its policy, a weak ETag
    (the published state, not the bytes), no ``Vary: Cookie``; browsers revalidate every
    time, shared caches keep it a minute and serve it stale while they fetch the new one."""
    claim = publish().claim
    url = reverse("page_about") if name == "page" else _url(name, claim)  # made by a migration
    drawn = client.get(url)
    kept = client.get(url)
    for response in (drawn, kept):
        assert response.status_code == 200, url
        assert "nonce" not in response.get("Content-Security-Policy", "")
        assert "nonce" not in response.content.decode()
        assert response["ETag"].startswith('W/"')
        assert "Cookie" not in response.get("Vary", "")
        control = response["Cache-Control"]
        for directive in ("public", "max-age=0", "s-maxage=60", "stale-while-revalidate="):
            assert directive in control, (url, control)
    assert kept.content == drawn.content
    assert kept["ETag"] == drawn["ETag"] and kept.get("Last-Modified") == drawn.get("Last-Modified")
    # A reload asks with the ETag: 304 while nothing changed.
    assert client.get(url, headers={"if-none-match": drawn["ETag"]}).status_code == 304


def test_a_reload_after_a_correction_shows_it_at_once(client):
    claim = publish(claim=factories.ClaimFactory(statement="Old wording")).claim
    first = client.get(claim.get_absolute_url())
    claims.claim_update(
        claim=claim, user=factories.EditorFactory(), statement="New wording", claimant=""
    )
    publishing.fact_check_publish(claim=claim, user=factories.ReviewerFactory(), revision_number=1)
    again = client.get(claim.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and "New wording" in again.content.decode()


def test_desk_pages_keep_their_nonce_and_are_never_stored(reviewer):
    response = _signed_in(reviewer).get(reverse("desk"))
    header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert NONCE.findall(response.content.decode()) == [header]
    assert "no-store" in response["Cache-Control"]


def test_a_page_that_used_a_nonce_is_not_kept(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.middleware.csp import ContentSecurityPolicyMiddleware

    request = rf.get("/")
    request.user = AnonymousUser()
    ContentSecurityPolicyMiddleware(lambda r: None).process_request(request)
    assert pages._entry(request, HttpResponse("<p>page</p>")) is not None
    str(request._csp_nonce)  # a template asked for it
    assert pages._entry(request, HttpResponse("<p>page</p>")) is None


def test_feed_and_sitemap_are_kept_with_their_headers(client):
    publish()
    for url in (reverse("claims_feed"), "/sitemap.xml", "/sitemap-claims.xml"):
        drawn, kept = client.get(url), client.get(url)
        assert kept.content == drawn.content
        for header in ("Content-Type", "ETag", "Last-Modified", "X-Robots-Tag", "Cache-Control"):
            assert kept.get(header) == drawn.get(header), (url, header)


@pytest.mark.parametrize(
    "path, kept",
    [
        ("/?q=putin", True),
        ("/?rating=false&page=1", True),
        ("/?utm_source=x&fbclid=1&srsltid=AfmB", True),  # tracking parameters are dropped
        ("/claims/{slug}/?fbclid=IwAR0x&utm_medium=social", True),
        ("/?preview=1", False),  # a parameter the page does not read
        ("/claims/{slug}/?preview=1", False),
        ("/claims/{slug}/appearances/", True),
    ],
)
def test_only_pages_of_known_addresses_are_kept(client, path, kept):
    claim = publish(claim=factories.ClaimFactory(statement="Putin congratulated")).claim
    url = path.format(slug=claim.slug)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert (len(queries) == 1) is kept  # kept: only the published state is read


def test_a_visitor_from_a_shared_link_gets_the_page_without_its_tracking(client):
    for n in range(25):  # two pages of fact checks on the home page
        publish(claim=factories.ClaimFactory(statement=f"Putin said thing number {n}"))
    plain = client.get("/?q=putin")
    tracked = client.get("/?q=putin&utm_source=newsletter&fbclid=IwAR0secret&page=1")
    assert tracked["ETag"] == client.get("/?q=putin&page=1")["ETag"] != plain["ETag"]
    text = _text(tracked)
    assert "page=2" in text and "q=putin" in text  # the next page's link keeps the search
    assert "IwAR0secret" not in text and "utm_source" not in text


def test_large_pages_are_not_kept(client, monkeypatch, django_assert_num_queries):
    url = publish().claim.get_absolute_url()
    monkeypatch.setattr(pages, "SERVER_CACHE_MAX_BYTES", 100)
    client.get(url)
    # drawn every time: the state, the revision (a first one: no update log to read), the
    # state again
    with django_assert_num_queries(3 - 1):
        assert client.get(url).status_code == 200


# The claim page draws its spread timeline and reads its first appearances once per
# revision: two more queries when first drawn. The home page's pages are counted by the
# published state.
@pytest.mark.parametrize("name, hit, miss", [("home", 1, 3), ("claim", 1, 6)])
def test_query_counts_of_kept_and_drawn_pages(client, django_assert_num_queries, name, hit, miss):
    claim = factories.ClaimFactory()
    for _ in range(3):
        publish(claim)
        publish()
    url = _url(name, claim)
    # drawn: the published state, the page's reads, the state again before keeping it
    with django_assert_num_queries(miss):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(hit):
        assert client.get(url).status_code == 200
    assert Claim.objects.filter(published_revision__isnull=False).count() == 4


def test_the_published_state_is_read_in_one_query(django_assert_num_queries):
    """site_state and claim_state are plain SQL (the hit path's only query): the same
    answer as the ORM's reading of the current revisions, on both databases."""
    from django.db.models import Count, Max

    from claims.models import PublishedRevision
    from public.selectors.pages import claim_state, site_state

    assert site_state() == {"n": 0, "last_id": None, "last_at": None}
    claim = publish().claim
    publish()
    republish(claim)
    unpublished = factories.ClaimFactory()
    expected = PublishedRevision.objects.filter(current_of__isnull=False).aggregate(
        n=Count("id"), last_id=Max("id"), last_at=Max("published_at")
    )
    with django_assert_num_queries(1):
        assert site_state() == expected
    claim.refresh_from_db()
    revision = claim.published_revision
    with django_assert_num_queries(1):
        assert claim_state(claim.slug) == (revision.pk, revision.published_at)
    assert claim_state(unpublished.slug) is None


def test_a_page_kept_by_an_older_release_is_drawn_again(client):
    """Entries of another shape (the nonce-split body of the release before) are redrawn,
    not served or failed on: a shared cache outlives a deploy without CACHE_KEY_PREFIX."""
    import pickle

    from django.core.cache import cache

    url = publish().claim.get_absolute_url()
    drawn = client.get(url)
    (key,) = [k for k in cache._cache if "public-page:" in k]
    cache._cache[key] = pickle.dumps(([("Content-Type", "text/html")], [b"old"]))
    again = client.get(url)
    assert again.status_code == 200 and again.content == drawn.content
