"""Conditional GET on every public resource (issue 25): the feed, the share image, the
sitemap and the about pages send Last-Modified and an ETag, answer If-Modified-Since and
If-None-Match with 304, and a publish (or an edit of the page) makes them answer 200 again."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from claims.models import Page
from tests import factories
from tests.claims.helpers import publish

pytestmark = pytest.mark.django_db

RESOURCES = ("feed", "share", "sitemap", "sitemap-claims", "about")


def _url(name, slug):
    return {
        "feed": reverse("claims_feed"),
        "share": reverse("claim_share_image", args=[slug]),
        "sitemap": reverse("sitemap"),
        "sitemap-claims": "/sitemap-claims.xml",
        "about": reverse("page_about"),
    }[name]


def _about(at):
    page, _ = Page.objects.get_or_create(slug="about", defaults={"title": "About"})
    Page.objects.filter(pk=page.pk).update(body="We check claims.", updated_at=at)


def _change(name, at):
    """What changes the resource: a new publish, or an admin's edit of the about page."""
    if name == "about":
        _about(at)
    elif name == "share":
        return None  # a share image changes with its own claim: see below
    else:
        publish(factories.ClaimFactory(statement="A newer fact check"), at=at)
    return True


@pytest.mark.parametrize("name", RESOURCES)
def test_each_public_resource_answers_conditional_gets(name):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    verdict = publish(factories.ClaimFactory(statement="Putin congratulated Trump"), at=an_hour_ago)
    _about(an_hour_ago)
    url = _url(name, verdict.claim.slug)
    client = Client()
    first = client.get(url)
    assert first.status_code == 200
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    assert parse_http_date(first["Last-Modified"]) == int(an_hour_ago.timestamp())
    # Unchanged since: 304 by date, by tag, and by both.
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304 and by_date.content == b""
    by_tag = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert by_tag.status_code == 304
    # A date before the change: the resource again.
    earlier = http_date((an_hour_ago - timedelta(minutes=5)).timestamp())
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200
    if name == "share":
        publish(verdict.claim, at=timezone.now())  # a new revision: a new image
    else:
        _change(name, timezone.now())
    again = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 200
    assert parse_http_date(again["Last-Modified"]) > parse_http_date(first["Last-Modified"])
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_signed_in_users_get_no_304_from_a_date(reviewer):
    """Desk users' pages differ from the public's: no conditional answer for them."""
    publish(factories.ClaimFactory(), at=timezone.now() - timedelta(hours=1))
    client = Client()
    client.force_login(reviewer)
    assert client.get(reverse("claims_feed")).status_code == 200
    future = http_date(timezone.now().timestamp() + 60)
    assert (
        client.get(reverse("claims_feed"), headers={"If-Modified-Since": future}).status_code == 200
    )


@pytest.mark.parametrize("name", ["embed", "oembed"])
def test_the_embed_card_and_its_oembed_answer_answer_conditional_gets(name):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    claim = publish(
        factories.ClaimFactory(statement="Putin congratulated Trump"), at=an_hour_ago
    ).claim
    if name == "embed":
        url, params = reverse("claim_embed", args=[claim.slug]), {}
    else:
        url, params = reverse("oembed"), {"url": f"http://testserver{claim.get_absolute_url()}"}
    client = Client()
    first = client.get(url, params)
    assert first.status_code == 200
    assert parse_http_date(first["Last-Modified"]) == int(an_hour_ago.timestamp())
    assert (
        client.get(url, params, headers={"If-Modified-Since": first["Last-Modified"]}).status_code
        == 304
    )
    assert client.get(url, params, headers={"If-None-Match": first["ETag"]}).status_code == 304
    publish(claim, at=timezone.now())
    again = client.get(url, params, headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 200
    assert client.get(url, params, headers={"If-None-Match": first["ETag"]}).status_code == 200
