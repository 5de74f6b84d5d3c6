"""The public API (/api/v1/): published fact checks only, cursor paging, caching, CORS, the
rate limit and problem details."""

import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests import factories
from tests.claims.helpers import confirmed_merge, republish

LIST = "/api/v1/fact-checks"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def get(client, url, **params):
    response = client.get(url, params)
    return response, (json.loads(response.content) if response.content else None)


def test_the_list_holds_published_fact_checks_newest_update_first(client, open_data):
    response, data = get(client, LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert [item["statement"] for item in data["items"]] == [
        "Peskov said Russia would not congratulate Trump",  # its published wording
        "Putin congratulated Trump via intermediaries",
    ]
    first = data["items"][1]
    assert first["id"] == open_data["false"].pk and first["rating"] == "false"
    assert first["links"]["html"] == "http://testserver" + open_data["false"].get_absolute_url()
    assert data["next"] is None


@pytest.mark.parametrize(
    ("params", "statements"),
    [
        ({"rating": "true"}, ["Peskov said Russia would not congratulate Trump"]),
        ({"language": "uk"}, ["Putin congratulated Trump via intermediaries"]),
        ({"outlet": "CNBC"}, ["Peskov said", "Putin congratulated"]),
        ({"outlet": "Nobody"}, []),
        ({"outlet": "CN\x00BC"}, ["Peskov said", "Putin congratulated"]),  # PostgreSQL: no 500
    ],
)
def test_the_list_filters(client, open_data, params, statements):
    _, data = get(client, LIST, **params)
    found = [item["statement"] for item in data["items"]]
    assert len(found) == len(statements)
    assert all(f.startswith(s) for f, s in zip(found, statements, strict=True))


def test_updated_since_and_the_cursor_walk_every_fact_check_once(client, open_data):
    for _ in range(3):
        claim = factories.ClaimFactory()
        factories.AnnotationFactory(claim=claim)
        from tests.claims.helpers import publish

        publish(claim)
    seen, url, params = [], LIST, {"limit": 2}
    while url:
        response, data = get(client, url, **params)
        assert response.status_code == 200
        seen += [item["id"] for item in data["items"]]
        url, params = data["next"], {}
    assert len(seen) == len(set(seen)) == 5
    _, recent = get(client, LIST, updated_since="2100-01-01T00:00:00Z")
    assert recent["items"] == []


@pytest.mark.parametrize(
    ("since", "count"),
    [
        # Offsets ISO 8601 allows and PostgreSQL does not (±15:59 at most) were a 500.
        ("1970-01-01T00:00:00-23:24", 2),
        ("2100-01-01T00:00:00+23:59", 0),
        ("1970-01-01T00:00:00", 2),  # no offset: read as UTC
    ],
)
def test_updated_since_takes_any_offset(client, open_data, since, count):
    response, data = get(client, LIST, updated_since=since)
    assert response.status_code == 200
    assert len(data["items"]) == count


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"cursor": "not-a-cursor"}, 404),
        ({"limit": "0"}, 422),
        ({"limit": "101"}, 422),
        ({"rating": "pants-on-fire"}, 422),
        ({"updated_since": "yesterday"}, 422),
        ({"updated_since": "9999-12-31T23:00:00-05:00"}, 422),
    ],
)
def test_bad_parameters_are_problem_details(client, open_data, params, status):
    response, data = get(client, LIST, **params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert data["status"] == status and data["title"]


def test_a_fact_check_with_its_evidence_appearances_and_revisions(client, open_data):
    claim = open_data["false"]
    republish(claim, update_note="Added the TASS link.")
    response, data = get(client, f"{LIST}/{claim.slug}")
    assert response.status_code == 200
    assert data["summary_html"] == "<p>The Kremlin denied it.</p>"
    [evidence] = data["evidence"]
    assert (evidence["url"], evidence["title"]) == ("https://tass.com/x", "TASS")
    assert data["appearance_count"] == 2
    assert {a["outlet"] for a in data["first_appearances"]} == {"gazeta.ua", "CNBC"}
    assert {q["stance"] for a in data["first_appearances"] for q in a["quotes"]} == {
        "asserts", "disputes"
    }  # fmt: skip
    assert [r["revision"] for r in data["revisions"]] == [1, 2]
    assert data["revisions"][1]["update_note"] == "Added the TASS link."


def test_appearances_are_paged(client, open_data):
    slug = open_data["false"].slug
    response, data = get(client, f"{LIST}/{slug}/appearances", limit=1)
    assert data["total"] == 2 and len(data["items"]) == 1 and data["next"]
    _, rest = get(client, data["next"])
    assert len(rest["items"]) == 1 and rest["next"] is None
    assert data["items"][0]["outlet"] != rest["items"][0]["outlet"]


def test_nothing_unpublished_is_reachable(client, open_data):
    secret = open_data["secret"]
    response, data = get(client, f"{LIST}/{secret.slug}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert get(client, f"{LIST}/{secret.slug}/appearances")[0].status_code == 404
    everything = b"".join(
        body(client.get(url))
        for url in [
            LIST,
            f"{LIST}/{open_data['true'].slug}",
            f"{LIST}/{open_data['true'].slug}/appearances",
            f"{LIST}/{open_data['false'].slug}",
            "/api/v1/outlets",
            "/api/v1/openapi.json",
            reverse("claim_review_feed"),
        ]
    ).decode()
    for hidden in [
        secret.statement,
        "No evidence.",  # the draft's summary
        "A reworded statement still waiting for review",
        open_data["editor"].email,
        open_data["editor"].username,
    ]:
        assert hidden not in everything


def test_a_merged_claims_old_address_moves_to_the_survivor(client, open_data):
    source, target = open_data["false"], open_data["true"]
    # Proposed by one reviewer, confirmed by another (a published source: four eyes).
    confirmed_merge(source=source, target=target, user=factories.ReviewerFactory())
    response = client.get(f"{LIST}/{source.slug}")
    assert response.status_code == 301
    assert response["Location"] == f"{LIST}/{target.slug}"
    assert client.get(f"{LIST}/{source.slug}/appearances")["Location"] == (
        f"{LIST}/{target.slug}/appearances"
    )


def test_outlets_with_their_counts(client, open_data):
    _, data = get(client, "/api/v1/outlets")
    assert data["items"] == [
        {"name": "CNBC", "fact_checks": 2, "articles": 2},
        {"name": "gazeta.ua", "fact_checks": 1, "articles": 1},
    ]


def test_conditional_get_cache_control_and_cors(client, open_data):
    for url in [LIST, f"{LIST}/{open_data['false'].slug}", "/api/v1/outlets"]:
        response = client.get(url, HTTP_ORIGIN="https://aggregator.example")
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "public" in response["Cache-Control"] and "s-maxage=300" in response["Cache-Control"]
        assert "Set-Cookie" not in response
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
    etag = client.get(LIST)["ETag"]
    republish(open_data["false"])
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 200


@override_settings(API_RATE_LIMIT="3/m")
def test_too_many_requests_from_one_address_get_429_with_retry_after(open_data):
    client = Client(REMOTE_ADDR="203.0.113.7")
    # The second and third are kept answers (public.api.kept): they count all the same.
    assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(LIST)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) >= 1
    # Another address is not held back, and a forged X-Forwarded-For changes nothing.
    assert Client(REMOTE_ADDR="203.0.113.8").get(LIST).status_code == 200
    forged = client.get(LIST, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert forged.status_code == 429


def test_the_openapi_document(client, db):
    response, schema = get(client, "/api/v1/openapi.json")
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.1")
    assert set(schema["paths"]) == {
        "/api/v1/fact-checks",
        "/api/v1/fact-checks/{slug}",
        "/api/v1/fact-checks/{slug}/appearances",
        "/api/v1/outlets",
    }
    problem = schema["paths"]["/api/v1/fact-checks/{slug}"]["get"]["responses"]["404"]
    assert list(problem["content"]) == ["application/problem+json"]
    docs = client.get(reverse("api_docs")).content.decode()
    assert "/api/v1/fact-checks/{slug}/appearances" in docs and "curl" in docs


@pytest.mark.parametrize("extra", [0, 30])
def test_list_and_detail_queries_do_not_grow(client, open_data, extra, django_assert_num_queries):
    claim = open_data["false"]
    for _ in range(extra):
        factories.AnnotationFactory(claim=claim)
        c = factories.ClaimFactory()
        factories.AnnotationFactory(claim=c)
        from tests.claims.helpers import publish

        publish(c)
    republish(claim)
    # The published state (ETag), then one read of the page.
    with django_assert_num_queries(2):
        assert client.get(LIST).status_code == 200
    # The state, the revision, its first appearances (read once per revision and kept:
    # public.selectors.pages), the revisions, the state again before keeping the answer.
    # (Not the page's update log, which only the HTML page's kept part reads.)
    with django_assert_num_queries(4):
        first = client.get(f"{LIST}/{claim.slug}")
    # Asked again: kept (under the published state), only the state is read.
    with django_assert_num_queries(1):
        again = client.get(f"{LIST}/{claim.slug}")
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    for header in ("Content-Type", "ETag", "Cache-Control", "Access-Control-Allow-Origin"):
        assert again[header] == first[header]
    with django_assert_num_queries(1):
        assert client.get(LIST).status_code == 200


def test_a_kept_answer_is_never_served_after_a_publish(client, open_data):
    claim = open_data["false"]
    _, before = get(client, f"{LIST}/{claim.slug}")
    _, listed = get(client, LIST)
    republish(claim, update_note="A new source.")
    _, after = get(client, f"{LIST}/{claim.slug}")
    assert after["revision"] == before["revision"] + 1
    assert after["revisions"][-1]["update_note"] == "A new source."
    _, relisted = get(client, LIST)
    assert relisted["items"][0]["revision"] == after["revision"] != listed["items"][0]["revision"]
    # Another host's links are its own.
    other = client.get(f"{LIST}/{claim.slug}", HTTP_HOST="localhost")
    assert json.loads(other.content)["links"]["html"].startswith("http://localhost/")
