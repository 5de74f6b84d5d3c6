"""The W3C Web Annotation export of an article's highlights."""

import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from claims.views.export import CONTENT_TYPE
from tests.factories import AnnotationFactory, ArticleFactory, ClaimFactory

W3C = Path(__file__).parent / "w3c"
pytestmark = pytest.mark.django_db

# jsonschema checks "uri" and "date-time" only with optional packages; these checkers keep the
# suite self-contained. RFC 3339 date-time, as xsd:dateTime with a timezone.
_DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
formats = FormatChecker()


@formats.checks("date-time", raises=ValueError)
def _date_time(value):
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        raise ValueError(value)
    datetime.fromisoformat(value)
    return True


@formats.checks("uri", raises=ValueError)
def _uri(value):
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    if not parts.scheme or any(c.isspace() for c in value):
        raise ValueError(value)
    return True


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _registry() -> Registry:
    # The definitions are addressed by their bare file names ("id.json#/definitions/...").
    resources = [
        (path.name, Resource.from_contents(_load(path), default_specification=DRAFT4))
        for path in (W3C / "definitions").glob("*.json")
    ]
    return Registry().with_resources(resources)


def must_assertions(test: str = "annotations/annotationMusts.test") -> list[tuple[str, dict]]:
    test = _load(W3C / test)
    return [(name, _load(W3C / name)) for name in test["assertions"]]


MUSTS = must_assertions()
COLLECTION_MUSTS = must_assertions("collections/collectionMusts.test")
PAGE_MUSTS = must_assertions("collections/pages/pageMusts.test")
REGISTRY = _registry()


def failed_musts(item: dict, musts=MUSTS) -> list[str]:
    failures = []
    for name, schema in musts:
        validator = Draft4Validator(schema, registry=REGISTRY, format_checker=formats)
        valid = validator.is_valid(item)
        if valid != (schema["expectedResult"] == "valid"):
            failures.append(f"{name}: {schema.get('errorMessage', '')}")
    return failures


def url(article):
    return reverse("article_annotations_jsonld", args=[article.pk])


@pytest.fixture
def article():
    return ArticleFactory(
        body="Путін 🎉 privately congratulated Republican Donald Trump, a source said.\n"
        "The Kremlin denied it.",
        url="https://online.ua/en/putin-congratulated-trump/",
    )


def test_the_suite_copy_is_complete():
    assert len(MUSTS) == 54
    assert (W3C / "license.md").exists()


def test_export_shape(editor_client, article):
    claim = ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    annotation = AnnotationFactory(
        article=article,
        claim=claim,
        quote="privately congratulated Republican Donald Trump",
        note="Source: *anonymous*",
    )
    response = editor_client.get(url(article))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    page = json.loads(response.content)
    assert page["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert page["type"] == "AnnotationPage"
    assert page["id"] == "http://testserver" + url(article)
    assert page["partOf"] == {
        "id": "http://testserver" + url(article) + "#collection",
        "type": "AnnotationCollection",
        "label": f"Highlights of {article.title}",
        "total": 1,
    }
    [item] = page["items"]
    assert item["id"] == f"http://testserver{annotation.get_absolute_url()}"
    assert item["type"] == "Annotation"
    assert item["motivation"] == "identifying"
    assert item["creator"]["type"] == "Person"
    assert item["creator"]["nickname"] == annotation.author.username
    assert item["created"].endswith("Z")
    claim_body, claim_link, stance_body, note_body = item["body"]
    assert claim_body == {
        "type": "TextualBody",
        "value": claim.statement,
        "format": "text/plain",
        "purpose": "identifying",
    }
    assert claim_link == {
        "type": "SpecificResource",
        "source": "http://testserver" + reverse("claim_detail", args=[claim.pk]),
        "purpose": "identifying",
    }
    assert stance_body["value"] == "asserts"
    assert stance_body["purpose"] == "classifying"
    assert note_body["format"] == "text/markdown"
    assert note_body["value"] == "Source: *anonymous*"
    target = item["target"]
    assert target["source"] == article.url
    quote, position = target["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
    }
    assert position == {"type": "TextPositionSelector", "start": 8, "end": 55}
    assert article.body[position["start"] : position["end"]] == quote["exact"]


def test_every_exported_item_meets_every_w3c_must(editor_client, article):
    AnnotationFactory(article=article, quote="privately congratulated", note="A note")
    AnnotationFactory(article=article, quote="The Kremlin denied it", stance="disputes")
    AnnotationFactory(article=article, quote="Путін 🎉")
    items = json.loads(editor_client.get(url(article)).content)["items"]
    assert len(items) == 3
    for item in items:
        assert failed_musts(item) == []


@pytest.mark.parametrize(
    "breakage",
    [
        lambda item: item.pop("@context"),
        lambda item: item.update(id="not a uri"),
        lambda item: item.update(type="Note"),
        lambda item: item.pop("target"),
        lambda item: item.update(created="yesterday"),
        lambda item: item.update(bodyValue="both body and bodyValue"),
        lambda item: item["target"]["selector"][0].pop("exact"),
        lambda item: item["body"][0].update(source="https://example.org/"),
    ],
)
def test_the_w3c_check_catches_broken_items(editor_client, article, breakage):
    AnnotationFactory(article=article, quote="privately congratulated")
    [item] = json.loads(editor_client.get(url(article)).content)["items"]
    assert failed_musts(item) == []
    breakage(item)
    assert failed_musts(item) != []


def test_orphaned_highlights_are_left_out_and_source_falls_back(editor_client):
    article = ArticleFactory(url="")
    AnnotationFactory(article=article, quote="Putin")
    AnnotationFactory(article=article, quote="Kremlin", orphaned=True)
    items = json.loads(editor_client.get(url(article)).content)["items"]
    assert [i["target"]["selector"][0]["exact"] for i in items] == ["Putin"]
    assert items[0]["target"]["source"] == "http://testserver" + article.get_absolute_url()


def test_reviewers_read_it_anonymous_sign_in(client, reviewer_client, article):
    assert reviewer_client.get(url(article)).status_code == 200
    response = client.get(url(article))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_users_without_a_role_are_refused(client, article):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(url(article)).status_code == 403


def test_query_count_does_not_grow(editor_client, article, django_assert_num_queries):
    AnnotationFactory(article=article, quote="privately")
    with django_assert_num_queries(6) as few:
        editor_client.get(url(article))
    for quote in ["congratulated", "Republican", "Donald", "Trump", "Kremlin"]:
        AnnotationFactory(article=article, quote=quote)
    with django_assert_num_queries(len(few.captured_queries)):
        editor_client.get(url(article))


def test_the_page_meets_every_w3c_page_must(editor_client, article):
    AnnotationFactory(article=article, quote="privately congratulated")
    page = json.loads(editor_client.get(url(article)).content)
    assert page["type"] == "AnnotationPage"
    assert failed_musts(page, PAGE_MUSTS) == []
    page.pop("items")
    assert failed_musts(page, PAGE_MUSTS) != []


def test_no_highlights_is_an_empty_collection(editor_client, article):
    AnnotationFactory(article=article, quote="Kremlin", orphaned=True)
    response = editor_client.get(url(article))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    collection = json.loads(response.content)
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == 0
    assert "first" not in collection and "items" not in collection
    assert failed_musts(collection, COLLECTION_MUSTS) == []
    collection["total"] = 1  # a non-empty collection must have a first page
    assert failed_musts(collection, COLLECTION_MUSTS) != []
