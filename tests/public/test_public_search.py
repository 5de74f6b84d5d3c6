"""The public search (docs/architecture.md, "Search"): what was published, and only that,
finds a fact check — its statement, its wordings as published, its claimant and summary —
and a search whose words find nothing is tried once more with the close spellings of the
published words, which the page says."""

import importlib
import io

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.models import PublishedRevision
from claims.services.wordings import claim_wording_set
from factcheck.search import clean_query, close_spelling, known_words, words
from public.models import SearchWord
from public.selectors.pages import search_fact_checks, spelling_corrected
from tests import factories
from tests.claims.helpers import publish, republish

pytestmark = pytest.mark.django_db
ISSUE = "Putin congratulated Trump via intermediaries"
UK = "Путін привітав Трампа через посередників"


def _shown(client, q):
    response = client.get(reverse("home"), {"q": q})
    return [r.statement for r in response.context["page"]], response


def test_a_wording_finds_its_fact_check_once_it_is_published(client):
    claim = factories.ClaimFactory(statement=ISSUE)
    editor = factories.EditorFactory()
    claim_wording_set(claim=claim, user=editor, language="uk", text=UK)
    publish(claim)
    assert _shown(client, "Путін привітав Трампа")[0] == [ISSUE]
    assert _shown(client, "посередників")[0] == [ISSUE]  # every word anywhere
    # A wording typed on the desk since: not on the public site, so it finds nothing.
    claim_wording_set(claim=claim, user=editor, language="ru", text="Кремль отрицал звонок")
    assert _shown(client, "Кремль отрицал звонок")[0] == []
    republish(claim)
    assert _shown(client, "Кремль отрицал звонок")[0] == [ISSUE]


def test_the_claimant_and_the_summary_find_a_fact_check_with_every_word(client):
    publish(
        factories.ClaimFactory(statement="Trump promised peace in 24 hours", claimant="Trump"),
        summary="He said so at a campaign rally in Ohio.",
        summary_html="<p>He said so at a campaign rally in Ohio.</p>",
    )
    publish(factories.ClaimFactory(statement="Putin called Trump"))
    assert _shown(client, "rally Ohio")[0] == ["Trump promised peace in 24 hours"]
    assert _shown(client, "rally Kyiv")[0] == []  # every word, outside the statement
    assert _shown(client, "the of")[0] == []  # stop words only


def test_a_misspelt_search_is_tried_again_with_published_words_and_says_so(
    client, django_assert_num_queries
):
    publish(factories.ClaimFactory(statement=ISSUE))
    publish(factories.ClaimFactory(statement="Zelensky met Macron in Paris"))
    factories.ClaimFactory(statement="Putler congratulated nobody")  # never published
    shown, response = _shown(client, "Putn congratulted")
    assert shown == [ISSUE]
    html = response.content.decode()
    assert "No fact check has the words “Putn congratulted”" in html
    assert "Showing results for “<strong>putin congratulated</strong>”" in html
    assert _shown(client, "Zelensky Macrn")[0] == ["Zelensky met Macron in Paris"]
    # Found as typed: no second try, nothing said.
    shown, response = _shown(client, "Putin congratulated")
    assert shown == [ISSUE] and "Showing results for" not in response.content.decode()
    # Nothing close either: the empty state, as before.
    shown, response = _shown(client, "harvest figures")
    assert shown == [] and "No fact check matches" in response.content.decode()
    # The state, the empty page, the vocabulary, the corrected page, the state again.
    with django_assert_num_queries(5):
        client.get(reverse("home"), {"q": "Putn congratulted Trmp"})


def test_only_published_words_are_corrections():
    publish(factories.ClaimFactory(statement=ISSUE))
    factories.ClaimFactory(statement="Putler denied everything")  # on the desk only
    assert spelling_corrected("Putn congratulted") == "putin congratulated"
    assert spelling_corrected("Putlr") == "Putlr"  # the desk's word is not offered
    assert spelling_corrected("Putin congratulated") == "Putin congratulated"
    assert spelling_corrected("xyzzy") == "xyzzy"
    assert spelling_corrected("") == ""


def test_the_vocabulary_follows_what_is_published():
    claim = factories.ClaimFactory(statement=ISSUE, claimant="Dmitry Peskov")
    assert not SearchWord.objects.exists()
    publish(claim, summary="Quoted by TASS.", summary_html="<p>Quoted by TASS.</p>")
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert {"putin", "congratulated", "intermediaries", "peskov", "tass"} <= words
    assert not words & {"by", "the"}  # stop words
    claim_wording_set(claim=claim, user=factories.EditorFactory(), language="uk", text=UK)
    assert not SearchWord.objects.filter(word="посередників").exists()  # not yet published
    republish(claim)
    assert SearchWord.objects.filter(word="посередників").exists()


def test_rebuilding_the_vocabulary_drops_the_words_nothing_current_holds():
    """``manage.py rebuild_search_words``: the vocabulary made again from the current
    revisions. A superseded wording's words go, so they are no longer a correction."""
    from django.core.management import call_command

    claim = factories.ClaimFactory(statement="Putin congratulated Trump")
    publish(claim, summary="A call.", summary_html="<p>A call.</p>")
    claim.statement = "Zelensky thanked Macron"
    claim.save()
    republish(claim)
    assert SearchWord.objects.filter(word="congratulated").exists()  # kept from revision 1
    assert spelling_corrected("congratulted") == "congratulated"
    out = io.StringIO()
    call_command("rebuild_search_words", stdout=out)
    words = set(SearchWord.objects.values_list("word", flat=True))
    assert {"zelensky", "thanked", "macron", "call"} <= words
    assert not words & {"congratulated", "putin", "trump"}
    assert out.getvalue().strip() == f"Search vocabulary: {len(words)} words (3 removed)."
    assert spelling_corrected("congratulted") == "congratulted"  # nothing close any more
    assert spelling_corrected("zelenski thankd") == "zelensky thanked"


def test_the_migrations_fill_what_was_published_before_them():
    """claims 0021 (``wordings_text``) and public 0001 (the vocabulary) on revisions written
    before them: their data functions on today's schema."""
    claim = factories.ClaimFactory(statement=ISSUE)
    claim_wording_set(claim=claim, user=factories.EditorFactory(), language="uk", text=UK)
    revision = publish(claim).claim.published_revision
    PublishedRevision.objects.update(wordings_text="")
    SearchWord.objects.all().delete()
    claims_0021 = importlib.import_module("claims.migrations.0021_public_search")
    public_0001 = importlib.import_module("public.migrations.0001_search_words")
    claims_0021.wordings_text(apps, connection.schema_editor())
    public_0001.words_fill(apps, connection.schema_editor())
    revision.refresh_from_db()
    assert revision.wordings_text == UK
    assert {"putin", "посередників"} <= set(SearchWord.objects.values_list("word", flat=True))
    assert [r.pk for r in search_fact_checks("Путін привітав")] == [revision.pk]


@pytest.mark.parametrize(
    ("word", "known", "expected"),
    [
        ("putn", ["putin", "peskov", "put"], "putin"),
        ("congratulted", ["congratulated", "congratulations"], "congratulated"),
        ("трампа", ["трампу", "трамп"], "трамп"),  # the closer of two
        ("putin", ["putin"], None),  # itself is no correction
        ("xyzzy", ["putin"], None),
        ("pu", ["putin"], None),  # too short to guess
    ],
)
def test_close_spelling(word, known, expected):
    assert close_spelling(word, known) == expected


def test_known_words_leave_out_stop_words_numbers_and_single_letters():
    assert known_words("The 2024 election: Trump, a winner!") == {"election", "trump", "winner"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_the_vocabulary_is_read_through_its_trigram_index():
    """A newsroom's vocabulary (50,000 words): each word's candidates through the index. (On a
    few thousand words a sequential scan is rightly cheaper, and the planner takes it.)"""
    SearchWord.objects.create(word="congratulated")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO public_searchword (word) SELECT substr(md5(n::text), 1, 4 + n % 9)"
            " FROM generate_series(1, 50000) AS n ON CONFLICT DO NOTHING"
        )
        cursor.execute("ANALYZE public_searchword")
    with CaptureQueriesContext(connection) as queries:
        assert spelling_corrected("congratulted") == "congratulated"
    [query] = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + query["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "public_searchword_trgm" in plan, plan


@pytest.mark.parametrize("q", ["_", "a_b c_d", "١٢٣ ٤٥٦", "x'y \\ :*", "&|!()<->", "ß" * 50])
def test_odd_searches_answer_a_page(client, q):
    publish(factories.ClaimFactory(statement=ISSUE))
    response = client.get(reverse("home"), {"q": q})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


def test_a_card_shows_the_claim_in_the_readers_language_when_it_was_published_so(client):
    claim = factories.ClaimFactory(statement=ISSUE)
    claim_wording_set(claim=claim, user=factories.EditorFactory(), language="uk", text=UK)
    publish(claim)
    publish(factories.ClaimFactory(statement="Zelensky met Macron in Paris"))
    ukrainian = client.get("/uk/", {"q": "посередників"}).content.decode()
    cards = ukrainian.split('class="factcheck-list"')[1]
    assert UK in cards and ISSUE not in cards
    english = client.get("/", {"q": "intermediaries"}).content.decode()
    assert ISSUE in english and UK not in english
    # Without a Ukrainian wording, the statement as published.
    assert "Zelensky met Macron in Paris" in client.get("/uk/").content.decode()


WORDS = ["Putin", "Putn", "congratulted", "Трампа", "Трамп", "посередникв", "the", "xyzzy", "ß"]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=12)), min_size=1, max_size=6
    ).map(" ".join)
)
def test_a_corrected_search_holds_only_its_own_words_and_published_ones(query):
    """Whatever is typed, the second try searches for words the reader typed or words of a
    published fact check, never a word only the desk has seen; it changes nothing in the
    database."""
    if not PublishedRevision.objects.exists():
        claim = factories.ClaimFactory(statement=ISSUE)
        claim_wording_set(claim=claim, user=factories.EditorFactory(), language="uk", text=UK)
        publish(claim)
        factories.ClaimFactory(statement="Putler congratulates nobody")  # the desk's only
    published = set(SearchWord.objects.values_list("word", flat=True))
    corrected = spelling_corrected(query)
    if corrected != query:
        typed = words(clean_query(query).casefold())
        assert set(corrected.split()) <= set(typed) | published, (query, corrected)
        assert corrected.split() != typed
    assert "putler" not in corrected.casefold() or "putler" in query.casefold()
    assert set(SearchWord.objects.values_list("word", flat=True)) == published
