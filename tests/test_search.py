"""Desk search on both databases: full-text with an index on PostgreSQL, a word-wise
substring fallback on SQLite; claim similarity (most of the words by stem, misspellings) on
both; and the reach counters that the claim lists sort by."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from claims.models import Claim
from claims.services.corrections import article_correct
from factcheck.search import MIN_SHARE, clean_query, statement_share
from tests.claims.helpers import publish
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
    # Which plan wins on a table of 20 rows is the planner's business (the desk switches no
    # setting: tests/test_search_scale.py): here, with sequential scans priced out, only
    # that each index can answer its condition. On a tiny table the planner may rightly
    # walk another index (a sort order) and filter: plain index scans are ruled out too, so
    # only an index that answers the condition (a GIN index, by bitmap) can serve it.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
        cursor.execute("SELECT set_config('enable_indexscan', 'off', true)")
        plan = Article.objects.search("putin trump").explain()
        assert "articles_article_search_vector_gin" in plan
        # The claims' expression index matches the query's expression.
        plan = Claim.objects.search("putin trump").explain()
        assert "claims_claim_statement_fts" in plan
        plan = Claim.objects.search("puti", prefix=True).explain()
        assert "claims_claim_statement_fts" in plan
        # Misspellings through pg_trgm's index, beside the words.
        plan = Claim.objects.search("Putn congratulted Trump").explain()
        assert "claims_claim_statement_fts" in plan and "claims_claim_statement_trgm" in plan
        # The public search's statement indexes (partial on current revisions) are checked
        # on a table of realistic size: tests/test_search_scale.py.


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


# Claim similarity (issue 11) ---------------------------------------------------------------

ISSUE = "Putin congratulated Trump via intermediaries"
OTHERS = [
    "Trump promised to end the war in 24 hours",
    "Путін привітав Трампа з перемогою",
    "Zelensky met Macron in Paris",
]


def _found(text, **kwargs):
    return [c.statement for c in Claim.objects.search(text, **kwargs).order_by("-rank")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Putin sent congratulations to Trump", [ISSUE]),  # not every word; stems
        ("Putin Trump", [ISSUE]),
        ("Trump was congratulated by Putin", [ISSUE]),  # word order, stop words
        ("Putn congratulted Trump", [ISSUE]),  # misspelt
        ("путіна трампу", ["Путін привітав Трампа з перемогою"]),  # Cyrillic, inflected
        ("Путн привітав Трамппа", ["Путін привітав Трампа з перемогою"]),  # misspelt
        ("nothing like this", []),
        ("the of to", []),  # stop words only
        ("!!!", []),
    ],
)
def test_claims_are_found_by_similarity(query, expected):
    for statement in [ISSUE, *OTHERS]:
        ClaimFactory(statement=statement)
    assert _found(query) == expected


@pytest.mark.django_db
def test_one_word_of_two_is_not_enough_and_more_words_found_rank_first():
    close = ClaimFactory(statement=ISSUE)
    half = ClaimFactory(statement="Putin called Trump on Thursday")
    ClaimFactory(statement="Putin met Xi")
    ranked = list(Claim.objects.search("Putin congratulated Trump").order_by("-rank"))
    assert ranked == [close, half]
    assert ranked[0].rank == 1.0 and MIN_SHARE <= ranked[1].rank < 1.0


def test_statement_share_the_sqlite_fallback():
    assert statement_share(ISSUE, "Putin sent congratulations to Trump") == 0.75
    assert statement_share(ISSUE, "PUTN congratulted") == 1.0  # close spellings
    assert statement_share(ISSUE, "put congr", 1) == 1.0  # prefixes (type-ahead)
    assert statement_share(ISSUE, "put congr") == 0.0
    assert statement_share(ISSUE, "the of") is None  # nothing that counts
    assert statement_share("Путін привітав Трампа", "привітання путіну") == 0.5


@pytest.mark.django_db
def test_type_ahead_suggests_similar_claims_with_outlet_counts(
    editor_client, django_assert_num_queries
):
    claim = ClaimFactory(statement=ISSUE)
    for outlet in OutletFactory.create_batch(2):
        AnnotationFactory(claim=claim, article=ArticleFactory(outlet=outlet))
    ClaimFactory(statement="Trump promised to end the war in 24 hours")
    url = reverse("claim_suggest")
    for typed in ("Putin sent congratulations to Trump", "Putn congratulted Trump", "putin congr"):
        html = editor_client.get(url, {"q": typed}).content.decode()
        assert ISSUE in html and "appears in 2 outlets" in html, typed
        assert "end the war" not in html, typed
    # session, user, groups×2 (roles), the typed claim if it exists, the suggestions
    with django_assert_num_queries(6):
        editor_client.get(url, {"q": "Putin sent congratulations to Trump"})
    html = editor_client.get(url, {"q": "nothing like this"}).content.decode()
    assert "No claim matches; saving creates a new one." in html


@pytest.mark.django_db
def test_claims_list_ranks_the_best_match_first(editor_client, django_assert_num_queries):
    close = ClaimFactory(statement=ISSUE)
    half = ClaimFactory(statement="Putin called Trump on Thursday")
    for outlet in OutletFactory.create_batch(3):  # the weaker match is the more quoted
        AnnotationFactory(claim=half, article=ArticleFactory(outlet=outlet))
    ClaimFactory(statement="Trump promised to end the war in 24 hours")

    def listed(q, **params):
        page = editor_client.get(reverse("claim_list"), {"q": q, **params}).context["page"]
        return [c.pk for c in page.object_list]

    assert listed("Putin sent congratulations to Trump") == [close.pk]
    assert sorted(listed("Putin Trump")) == [close.pk, half.pk]
    assert listed("Putin congratulated Trump") == [close.pk, half.pk]
    assert listed("Putin congratulated Trump", sort="reach") == [half.pk, close.pk]
    # SQLite also counts "Putn" and "Trump" in the weaker match (two of three words).
    assert listed("Putn congratulted Trump")[0] == close.pk
    assert listed("nothing like this") == []
    # session, user, groups×2 (roles), count, claims, the page's verdicts: as without a search
    with django_assert_num_queries(7):
        listed("Putin sent congratulations to Trump")


@pytest.mark.django_db
def test_public_search_is_ranked_and_not_noisy(client, django_assert_num_queries):
    now = timezone.now()
    publish(ClaimFactory(statement=ISSUE), at=now - timedelta(days=3))
    publish(ClaimFactory(statement="Putin called Trump on Thursday"), at=now - timedelta(days=1))
    publish(ClaimFactory(statement="Trump promised to end the war in 24 hours"), at=now)

    def shown(q):
        return [r.statement for r in client.get(reverse("home"), {"q": q}).context["page"]]

    assert shown("Putin sent congratulations to Trump") == [ISSUE]
    assert shown("Putn congratulted Trump")[0] == ISSUE
    # The better match first, though older; one of two words is not enough.
    assert shown("Putin congratulated Trump") == [ISSUE, "Putin called Trump on Thursday"]
    assert shown("Putin Trump") == ["Putin called Trump on Thursday", ISSUE]  # newest first
    assert shown("Zelensky Macron") == []
    # A search not asked before is drawn: the published state, the page (never counted: its
    # matches and one more row), and the state again before the server keeps the page; the
    # search adds no query. Asked again, the kept page: the state alone.
    for queries in (3, 1):
        with django_assert_num_queries(queries):
            client.get(reverse("home"), {"q": "Putin sent his congratulations to Trump"})


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
