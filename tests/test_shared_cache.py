"""Past one machine (README, "Deploying"): several app servers on one PostgreSQL and one
Redis. A publish through one server shows on every other at once, and each public page is
drawn once after it, not once per server or worker. The cache only saves work: with Redis
down, pages are drawn, never a 500."""

import http.client
import secrets
import urllib.parse

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from claims.services import claims
from tests import factories
from tests.claims.helpers import publish
from tests.servers import collected_static, database_url, free_port, gunicorn, redis_server

PUBLIC_PAGE = "public-page:"


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


@pytest.fixture(scope="module")
def static_root():
    with collected_static() as folder:
        yield folder


def _redis(url: str):
    import redis

    return redis.Redis.from_url(url)


def _sets(url: str) -> int:
    """How many pages have been kept since the server started: the SET commands, less those
    of other kept things, each kept once per revision (the spread timeline, ``spread:``
    keys; a fact check's JSON-LD, ``factcheck:``; its appearances, ``template.cache``
    fragments; cards are kept with MSET)."""
    client = _redis(url)
    stats = client.info("commandstats")
    others = sum(
        len(client.keys(f"*{part}*")) for part in ("spread", "factcheck:", "template.cache")
    )
    return stats.get("cmdstat_set", {}).get("calls", 0) - others


# Behind one address, as a load balancer sends every request: the same Host for both servers.
HOST = {"Host": "127.0.0.1"}


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=HOST)
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    return response.status, body


def _post(port: int, path: str, fields: dict, headers: dict) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = urllib.parse.urlencode(fields)
    conn.request(
        "POST",
        path,
        body=body,
        headers={**HOST, **headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    status = conn.getresponse().status
    conn.close()
    return status


def _signed_in_headers(user) -> dict:
    """A session in the database, as signing in makes, and a CSRF cookie with its header."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = secrets.token_hex(16)
    return {"Cookie": f"sessionid={session.session_key}; csrftoken={csrf}", "X-CSRFToken": csrf}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two app servers (gunicorn processes, as on two hosts) share a database server: "
    "the PostgreSQL half of `make test` runs this",
)
def test_two_servers_share_one_cache_and_a_publish_shows_on_both_at_once(
    roles_after_flush, redis_url, static_root
):
    claim = publish(claim=factories.ClaimFactory(statement="Putin congratulated Trump")).claim
    claims.claim_update(
        claim=claim,
        user=factories.EditorFactory(),
        statement="Putin sent Trump his congratulations",
        claimant="",
    )
    reviewer = factories.ReviewerFactory()
    pages = [claim.get_absolute_url(), reverse("home")]
    env = {
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "SECRET_KEY": settings.SECRET_KEY,  # the session made here is signed with it
        "CONN_MAX_AGE": "0",
        "STATIC_ROOT": static_root,
    }
    _redis(redis_url).flushdb()
    with gunicorn(env, workers=2) as one, gunicorn(env, workers=2) as two:
        for port in (one, two, one, two):
            for path in pages:
                status, html = _get(port, path)
                assert status == 200 and "Putin congratulated Trump" in html
        kept = _redis(redis_url).keys("*" + PUBLIC_PAGE + "*")
        assert len(kept) == len(pages)  # one copy each, for both servers and their workers

        before = _sets(redis_url)
        publish_url = reverse("claim_publish", args=[claim.pk])
        assert _post(one, publish_url, {"revision": "1"}, _signed_in_headers(reviewer)) == 302

        # The other server serves the new revision on its very next request...
        for port in (two, one, two, one, two, one):
            for path in pages:
                status, html = _get(port, path)
                assert status == 200
                assert "Putin sent Trump his congratulations" in html, (port, path)
        # ...and each page was drawn (and kept) once after the publish, not per server.
        assert _sets(redis_url) - before == len(pages)


@pytest.mark.django_db
def test_with_redis_down_pages_are_drawn_never_a_500(client, caplog):
    revision = publish().claim.published_revision
    gone = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    backend = {
        "BACKEND": "factcheck.cache.ForgivingRedisCache",
        "LOCATION": gone,
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }
    with override_settings(CACHES={**settings.CACHES, "default": backend}):
        for url in (revision.get_absolute_url(), reverse("home"), "/sitemap-claims.xml"):
            for _ in range(2):
                response = client.get(url)
                assert response.status_code == 200
                assert revision.slug in response.content.decode()
    assert "Cache get failed" in caplog.text


@pytest.mark.django_db
def test_the_redis_cache_keeps_public_pages(client, redis_url, django_assert_num_queries):
    url = publish().claim.get_absolute_url()
    backend = {"BACKEND": "factcheck.cache.ForgivingRedisCache", "LOCATION": redis_url}
    _redis(redis_url).flushdb()
    with override_settings(CACHES={**settings.CACHES, "default": backend}):
        drawn = client.get(url)
        with django_assert_num_queries(1):  # the published state; the page is Redis's copy
            kept = client.get(url)
        assert kept.content == drawn.content and kept["ETag"] == drawn["ETag"]
    assert len(_redis(redis_url).keys("*" + PUBLIC_PAGE + "*")) == 1


@pytest.mark.django_db
def test_a_drawn_list_keeps_its_cards_in_the_process_never_in_redis(client, redis_url):
    """The home page and a search list twenty fact checks. A card never changes once drawn
    (a revision never does), so each process keeps the cards it drew in its own memory
    (``CACHES["local"]``): a page drawn again (a parameter it does not read) draws no card
    and asks Redis nothing for one; only the page's own copy goes there."""
    for n in range(6):
        publish(claim=factories.ClaimFactory(statement=f"Putin congratulated Trump {n}"))
    backend = {"BACKEND": "factcheck.cache.ForgivingRedisCache", "LOCATION": redis_url}
    redis = _redis(redis_url)
    redis.flushdb()

    def calls() -> dict:
        stats = redis.info("commandstats")
        commands = ("get", "set", "mget", "mset")
        return {c: stats.get(f"cmdstat_{c}", {}).get("calls", 0) for c in commands}

    with override_settings(CACHES={**settings.CACHES, "default": backend}):
        local = caches["local"]
        before = calls()
        first = client.get(reverse("home"), {"bench": 1}).content.decode()
        assert calls() == before  # drawn (an unread parameter): nothing kept, no card asked
        kept_cards = len(local._cache)
        assert kept_cards == 6
        again = client.get(reverse("home"), {"bench": 2}).content.decode()
        assert calls() == before and len(local._cache) == kept_cards
    assert again.replace("bench=2", "bench=1") == first
    assert all(f"Putin congratulated Trump {n}" in again for n in range(6))
    assert not redis.keys("*public-card:*")
