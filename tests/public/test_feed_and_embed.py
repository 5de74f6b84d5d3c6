"""The ClaimReview data feed and the embeddable card with its oEmbed answer."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from pyld import jsonld

from tests.claims.helpers import republish

SCHEMA = "http://schema.org/"


def feed(client, **headers):
    response = client.get(reverse("claim_review_feed"), **headers)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, (json.loads(content) if content else None)


def page_jsonld(client, claim) -> dict:
    html = client.get(claim.get_absolute_url()).content.decode()
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def _offline_loader(url, options=None):
    """schema.org's context, offline: pyld must not fetch it (nothing is downloaded)."""
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": SCHEMA}},
    }


def test_the_feed_is_a_data_feed_of_every_published_claim_review(client, open_data):
    response, data = feed(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert data["@type"] == "DataFeed"
    items = data["dataFeedElement"]
    assert len(items) == 2
    for item in items:
        assert item["@type"] == "DataFeedItem" and item["dateModified"]
    by_url = {item["item"]["url"]: item["item"] for item in items}
    for claim in (open_data["false"], open_data["true"]):
        on_page = page_jsonld(client, claim)
        assert by_url[on_page["url"]] == on_page  # the same ClaimReview as its page
    assert open_data["secret"].statement not in json.dumps(data)

    expanded = jsonld.expand(data, {"documentLoader": _offline_loader})
    [node] = expanded
    assert node["@type"] == [SCHEMA + "DataFeed"]
    reviews = [element[SCHEMA + "item"][0] for element in node[SCHEMA + "dataFeedElement"]]
    assert all(review["@type"] == [SCHEMA + "ClaimReview"] for review in reviews)
    for review in reviews:
        for field in ("claimReviewed", "reviewRating", "itemReviewed", "datePublished", "url"):
            assert SCHEMA + field in review


def test_the_feed_answers_conditional_requests_until_a_publish(client, open_data):
    response, _ = feed(client)
    assert response["ETag"] and response["Last-Modified"]
    assert feed(client, HTTP_IF_NONE_MATCH=response["ETag"])[0].status_code == 304
    republish(open_data["false"])
    assert feed(client, HTTP_IF_NONE_MATCH=response["ETag"])[0].status_code == 200


def test_the_embed_card_may_be_framed_anywhere_and_sets_no_cookie(open_data):
    claim = open_data["false"]
    response = Client().get(reverse("claim_embed", args=[claim.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert claim.statement in html and "False" in html
    assert claim.get_absolute_url() in html
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert not response.cookies
    assert "<script" not in html
    assert Client().get(reverse("claim_embed", args=[open_data["secret"].slug])).status_code == 404
    # The public site itself may still not be framed.
    assert Client().get(claim.get_absolute_url())["X-Frame-Options"] == "DENY"


def test_oembed_discovery_and_answer(client, open_data):
    claim = open_data["false"]
    html = client.get(claim.get_absolute_url()).content.decode()
    assert 'type="application/json+oembed"' in html
    url = "http://testserver" + claim.get_absolute_url()
    response = client.get(reverse("oembed"), {"url": url})
    data = json.loads(response.content)
    assert data["type"] == "rich" and data["version"] == "1.0"
    assert reverse("claim_embed", args=[claim.slug]) in data["html"]
    assert data["title"] == claim.statement


@pytest.mark.parametrize(
    "url",
    [
        "http://testserver/claims/an-unpublished-claim-nobody-may-read/",
        "http://elsewhere.example/claims/x/",
        "javascript:alert(1)",
        "",
        "http://testserver/desk/",
    ],
)
def test_oembed_refuses_what_is_not_a_published_fact_check_here(client, open_data, url):
    response = client.get(reverse("oembed"), {"url": url})
    assert response.status_code == 404
    assert "error" in json.loads(response.content)
