"""The article page: highlights drawn in place, side panel, permissions, query count."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from articles.text import normalize_text
from claims.highlight import render_body, runs
from claims.models import Stance
from tests import factories

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_01bdff13e4530c6d.txt"


def body_text(html: str) -> str:
    """The textContent of #article-body in a page, as a browser would compute it."""
    match = re.search(r'<div id="article-body"[^>]*>(.*?)</div>', html, re.S)
    assert match, "no #article-body in the page"
    return unescape(re.sub(r"<[^>]+>", "", match.group(1)))


@pytest.fixture
def seed_article(db):
    outlet = factories.OutletFactory(name="online.ua", domain="online.ua")
    return factories.ArticleFactory(
        outlet=outlet,
        title="Putin congratulated Trump on his election victory through acquaintances",
        body=normalize_text(SEED.read_text(encoding="utf-8")),
    )


def test_page_text_is_exactly_the_body(editor_client, seed_article):
    quote = "privately congratulated Republican Donald Trump"
    a = factories.AnnotationFactory(article=seed_article, quote=quote)
    factories.AnnotationFactory(article=seed_article, quote="Republican Donald Trump on his")
    response = editor_client.get(seed_article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert body_text(html) == seed_article.body
    assert f'id="annotation-{a.pk}"' in html
    assert "online.ua" in html and seed_article.title in html


def test_body_escapes_markup_in_the_text(editor_client, db):
    article = factories.ArticleFactory(
        body='A <script>alert("x")</script> & "quotes"\n\n  indented'
    )
    factories.AnnotationFactory(article=article, quote="<script>")
    html = editor_client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert body_text(html) == article.body


def test_overlapping_highlights_become_runs_with_every_id(db):
    body = "Putin congratulated Trump via intermediaries, a source said."
    a = factories.AnnotationFactory.build(id=1, start=0, end=25, stance=Stance.ASSERTS)
    b = factories.AnnotationFactory.build(id=2, start=6, end=44, stance=Stance.DISPUTES)
    cut = [(r.start, r.end, r.ids) for r in runs(body, [a, b])]
    assert cut == [(0, 6, (1,)), (6, 25, (1, 2)), (25, 44, (2,)), (44, len(body), ())]
    html = render_body(body, [a, b])
    assert 'data-annotations="1 2"' in html
    assert 'class="hl d2 hl-mixed"' in html
    assert unescape(re.sub(r"<[^>]+>", "", html)) == body


def test_nested_and_identical_spans(db):
    body = "abcdefghij"
    spans = [(1, 1, 9), (2, 3, 5), (3, 1, 9)]
    objs = [
        factories.AnnotationFactory.build(id=i, start=s, end=e, stance="asserts")
        for i, s, e in spans
    ]
    cut = [(r.start, r.end, r.ids) for r in runs(body, objs)]
    assert cut == [(0, 1, ()), (1, 3, (1, 3)), (3, 5, (1, 3, 2)), (5, 9, (1, 3)), (9, 10, ())]


def test_orphans_are_listed_not_drawn(editor_client, db):
    article = factories.ArticleFactory()
    orphan = factories.AnnotationFactory(article=article, quote="Kremlin", orphaned=True)
    html = editor_client.get(article.get_absolute_url()).content.decode()
    assert "Orphaned highlights" in html
    assert f'id="annotation-{orphan.pk}"' not in html
    assert reverse("annotation_reattach", args=[orphan.pk]) in html
    assert body_text(html) == article.body


def test_side_panel_groups_by_claim_and_links_to_claim_page(editor_client, db):
    article = factories.ArticleFactory()
    claim = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    factories.AnnotationFactory(article=article, claim=claim, quote="Putin congratulated")
    factories.AnnotationFactory(
        article=article, claim=claim, quote="Kremlin denied", stance="disputes"
    )
    html = editor_client.get(article.get_absolute_url()).content.decode()
    assert html.count(reverse("claim_detail", args=[claim.pk])) == 1
    assert "Asserts" in html and "Disputes" in html


def test_editor_sees_the_annotate_form_reviewer_does_not(editor_client, reviewer_client, db):
    article = factories.ArticleFactory()
    assert 'id="annotate-form"' in editor_client.get(article.get_absolute_url()).content.decode()
    html = reviewer_client.get(article.get_absolute_url()).content.decode()
    assert 'id="annotate-form"' not in html
    assert 'id="article-body"' in html


def test_anonymous_is_sent_to_sign_in(client, db):
    article = factories.ArticleFactory()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_role_gets_403(db):
    from django.test import Client

    c = Client()
    c.force_login(factories.UserFactory())
    assert c.get(factories.ArticleFactory().get_absolute_url()).status_code == 403


def test_missing_article_is_404(editor_client):
    assert editor_client.get(reverse("article_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("count", [1, 40])
def test_constant_queries_whatever_the_number_of_annotations(
    count, editor_client, editor, django_assert_num_queries
):
    body = " ".join(f"word{i}" for i in range(400))
    article = factories.ArticleFactory(body=body)
    claims = factories.ClaimFactory.create_batch(5)
    authors = [editor, factories.EditorFactory()]
    for i in range(count):
        factories.AnnotationFactory(
            article=article,
            claim=claims[i % 5],
            author=authors[i % 2],
            quote=f"word{i} word{i + 1}",
            orphaned=(i % 10 == 9),
        )
    response = editor_client.get(article.get_absolute_url())
    assert response.status_code == 200
    # session, user, user and group permissions, article, highlights to draw, the panel's
    # claim lines, orphans, the article's copies (webfetch), the radar's suggestions, their
    # highlights and its scan: never per annotation
    with django_assert_num_queries(QUERIES):
        editor_client.get(article.get_absolute_url())


QUERIES = 12


def test_only_editors_are_offered_the_correction_page(editor_client, reviewer_client, seed_article):
    correct = reverse("article_correct", args=[seed_article.pk])
    assert correct in editor_client.get(seed_article.get_absolute_url()).content.decode()
    assert correct not in reviewer_client.get(seed_article.get_absolute_url()).content.decode()


def test_export_link_downloads_a_named_file(editor_client, db):
    # A newsroom user clicking "Export" expects a file, not a page of JSON.
    article = factories.ArticleFactory()
    html = editor_client.get(reverse("article_detail", args=[article.pk])).content.decode()
    assert f'download="article-{article.pk}-highlights.jsonld"' in html


def test_every_time_element_carries_a_valid_datetime(editor_client, seed_article):
    """The Nu checker refuses six fractional digits in a <time datetime>; an undated article
    says "date unknown" in plain text, with no <time> that has nothing to say."""
    a = factories.AnnotationFactory(article=seed_article, quote="privately congratulated")
    seed_article.published_on = None
    seed_article.save(update_fields=["published_on"])
    html = editor_client.get(seed_article.get_absolute_url()).content.decode()
    cards = reverse("article_annotations", args=[seed_article.pk]) + f"?ids={a.pk}"
    html += editor_client.get(cards, HTTP_HX_REQUEST="true").content.decode()
    times = re.findall(r"<time([^>]*)>", html)
    assert times, "the highlight card dates its highlight"
    for attributes in times:
        value = re.search(r'datetime="([^"]+)"', attributes).group(1)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d[+-]\d{4})?", value), value
    assert "date unknown" in html
