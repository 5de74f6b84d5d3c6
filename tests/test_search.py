"""Desk search on both databases: full-text with an index on PostgreSQL, a word-wise
substring fallback on SQLite; and the reach counters that the claim lists sort by."""

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article
from claims.models import Claim
from claims.services.corrections import article_correct
from factcheck.search import clean_query, prefer_index
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    ClaimFactory,
    EditorFactory,
    OutletFactory,
)

DESK = "/desk/"
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Putin \t Trump\n", "Putin Trump"),
        ("Pes\x00kov", "Peskov"),
        ("a\x07b", "a b"),
        (None, ""),
        ("x" * 500, "x" * 200),
    ],
)
def test_clean_query(raw, clean):
    assert clean_query(raw) == clean


def _titles(client, q):
    page = client.get(DESK, {"q": q}).context["page"]
    return [a.title for a in page.object_list]


@pytest.mark.django_db
def test_every_word_in_any_order(editor_client):
    ArticleFactory(title="Kremlin reaction", body="Trump said Putin called him.")
    ArticleFactory(title="Only one", body="Trump spoke in Florida.")
    assert _titles(editor_client, "Putin Trump") == ["Kremlin reaction"]
    assert _titles(editor_client, "trump PUTIN") == ["Kremlin reaction"]
    assert sorted(_titles(editor_client, "trump")) == ["Kremlin reaction", "Only one"]


@on_postgres
@pytest.mark.django_db
def test_stemming_follows_the_articles_language(editor_client):
    ArticleFactory(title="Congratulated", body="Putin congratulated Trump.", language="en")
    ArticleFactory(title="Russian", body="Путин поздравил Трампа с победой.", language="ru")
    ArticleFactory(title="Ukrainian", body="Путін привітав Трампа з перемогою.", language="uk")
    ArticleFactory(title="Unknown", body="Putin congratulations unknown.", language="")
    # English stems for en; the word as written for an article of unknown language.
    assert sorted(_titles(editor_client, "congratulations")) == ["Congratulated", "Unknown"]
    assert _titles(editor_client, "congratulate") == ["Congratulated"]
    # Russian stems for ru and (closest available) for uk.
    assert _titles(editor_client, "Трампу поздравить") == ["Russian"]
    assert sorted(_titles(editor_client, "Трампу")) == ["Russian", "Ukrainian"]
    assert _titles(editor_client, '"Putin congratulated" -Biden') == ["Congratulated"]


@on_postgres
@pytest.mark.django_db
def test_title_matches_rank_first(editor_client):
    ArticleFactory(title="Other news", body="A sentence about Peskov somewhere.")
    ArticleFactory(title="Peskov denies the call", body="Nothing more.")
    assert _titles(editor_client, "peskov") == ["Peskov denies the call", "Other news"]


@on_postgres
@pytest.mark.django_db
def test_vector_follows_every_write_path(editor_client, editor):
    Article.objects.bulk_create(
        [Article(title="Bulk", body="Zelensky met Macron.", language="en", content_hash="h1")]
    )
    assert _titles(editor_client, "macron") == ["Bulk"]
    article = ArticleFactory(title="Corrected", body="Kremlin denied the call.")
    article_correct(article=article, user=editor, new_text="Kremlin confirmed.", reason="typo")
    assert _titles(editor_client, "confirmed") == ["Corrected"]
    assert _titles(editor_client, "denied") == []


@on_postgres
@pytest.mark.django_db
def test_article_and_claim_searches_use_their_gin_indexes():
    for n in range(20):
        ArticleFactory(body=f"Putin congratulated Trump, the Kremlin said ({n}).")
    with prefer_index():  # as the desk does: a common word must not mean a sequential scan
        plan = Article.objects.search("putin trump").explain()
        assert "articles_article_search_vector_gin" in plan
        # The claims' expression index matches the query's expression. On a tiny table the
        # planner may rightly walk another index (a sort order) and filter: rule plain index
        # scans out too, so only an index that answers the condition can serve it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('enable_indexscan', 'off', true)")
        plan = Claim.objects.search("putin trump").explain()
        assert "claims_claim_statement_fts" in plan
        plan = Claim.objects.search("puti", prefix=True).explain()
        assert "claims_claim_statement_fts" in plan


@pytest.mark.django_db
def test_claim_search_and_type_ahead(editor_client):
    ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    ClaimFactory(statement="Trump promised to end the war")
    found = [c.statement for c in Claim.objects.search("Trump Putin")]
    assert found == ["Putin congratulated Trump via intermediaries"]
    found = [c.statement for c in Claim.objects.search("trum puti", prefix=True)]
    assert found == ["Putin congratulated Trump via intermediaries"]
    html = editor_client.get(reverse("claim_suggest"), {"q": "promis"}).content.decode()
    assert "end the war" in html and "intermediaries" not in html
    assert not Claim.objects.search("!!!", prefix=True).exists()


@on_postgres
@pytest.mark.django_db
def test_claim_search_stems_english_and_cyrillic(editor_client):
    ClaimFactory(statement="Putin congratulated Trump")
    ClaimFactory(statement="Путін привітав Трампа")
    assert [c.statement for c in Claim.objects.search("congratulations")] == [
        "Putin congratulated Trump"
    ]
    assert [c.statement for c in Claim.objects.search("Трамп")] == ["Путін привітав Трампа"]
    page = editor_client.get(reverse("claim_list"), {"q": "трампом"}).context["page"]
    assert [c.statement for c in page.object_list] == ["Путін привітав Трампа"]


# Reach counters --------------------------------------------------------------------------


def _reach(claim):
    claim.refresh_from_db()
    return claim.outlet_count, claim.appearance_count


@pytest.mark.django_db
def test_reach_follows_saves_moves_deletes_corrections_and_outlet_changes():
    editor = EditorFactory()
    claim, other = ClaimFactory(), ClaimFactory()
    first = ArticleFactory(outlet=OutletFactory(), body="Kremlin denied the call.")
    second = ArticleFactory(outlet=OutletFactory())
    a = AnnotationFactory(claim=claim, article=first, author=editor, start=0, end=7)
    AnnotationFactory(claim=claim, article=second, author=editor)
    assert _reach(claim) == (2, 2)
    first.outlet = second.outlet
    first.save()
    assert _reach(claim) == (1, 2)
    a = type(a).objects.get(pk=a.pk)
    a.claim = other
    a.save()
    assert _reach(claim) == (1, 1) and _reach(other) == (1, 1)
    article_correct(article=first, user=editor, new_text="Nothing left.", reason="rewrite")
    assert _reach(other) == (0, 0)  # orphaned
    a.delete()
    assert _reach(other) == (0, 0)
