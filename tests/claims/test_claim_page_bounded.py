"""The desk claim page is bounded whatever the claim's reach (docs/architecture.md, "Bounded
desk pages"): its appearances a page at a time by outlet, each with the sentence stored with
the highlight, no article body read; the same queries for 5 appearances and for 500, and the
bytes of one full page at most."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Outlet
from articles.text import content_hash
from claims.models import Annotation, Claim
from claims.selectors.desk import APPEARANCES_PER_PAGE, ORPHANS_SHOWN
from claims.sentences import context_of
from claims.services.annotations import annotation_create
from claims.services.corrections import article_correct
from spread.timeline import MAX_MARKS
from tests import factories

pytestmark = pytest.mark.django_db
# A long article: a page that read the bodies of 500 of them would read 10 MB.
FILLER = "Filler sentence about nothing in particular. " * 450
BODY = (
    FILLER + "Article {n}: Putin congratulated Trump via intermediaries, a source said. " + FILLER
)


def _claim_with(appearances: int, *, outlets: int = 10, orphans: int = 0) -> Claim:
    """A claim quoted once in each of ``appearances`` long articles across ``outlets``
    outlets (rows written in bulk, as an import and many editors would over time)."""
    claim = factories.ClaimFactory()
    editor = factories.EditorFactory()
    places = [factories.OutletFactory() for _ in range(outlets)]
    articles = Article.objects.bulk_create(
        Article(
            outlet=places[n % outlets],
            title=f"Report {claim.pk}-{n}",
            language="en",
            body=(body := BODY.format(n=f"{claim.pk}-{n}")),
            content_hash=content_hash(body),
            source_filename=f"report-{claim.pk}-{n}.txt",
        )
        for n in range(appearances + orphans)
    )
    rows = []
    for n, article in enumerate(articles):
        start = article.body.index("Putin")
        end = start + len("Putin congratulated Trump")
        rows.append(
            Annotation(
                article=article,
                claim=claim,
                stance=("asserts", "attributes", "disputes")[n % 3],
                start=start,
                end=end,
                exact=article.body[start:end],
                prefix=article.body[start - 32 : start],
                suffix=article.body[end : end + 32],
                context=context_of(article.body, start, end),
                orphaned=n >= appearances,
                author=editor,
            )
        )
    Annotation.objects.bulk_create(rows)
    Claim.objects.filter(pk=claim.pk).refresh_reach()
    claim.refresh_from_db()
    return claim


def _page(client, claim, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("claim_detail", args=[claim.pk]), params)
    assert response.status_code == 200
    return response, queries


def test_the_same_queries_and_a_page_of_bytes_for_5_and_500_appearances(editor_client):
    # The page past every bound: a full page of appearances, and the spread timeline past
    # its cap of marks (spread.timeline.MAX_MARKS), which draws at most that many.
    past_the_caps = max(APPEARANCES_PER_PAGE, 2 * MAX_MARKS)
    few, many, full_page = _claim_with(5), _claim_with(500), _claim_with(past_the_caps)
    small, small_queries = _page(editor_client, few)
    large, large_queries = _page(editor_client, many)
    one_page, _ = _page(editor_client, full_page)
    assert len(large_queries) == len(small_queries)
    # No query reads an article's text.
    for query in large_queries.captured_queries:
        assert '"articles_article"."body"' not in query["sql"], query["sql"][:300]
    assert large.context["appearance_count"] == 500 and large.context["outlet_count"] == 10
    shown = sum(len(group["annotations"]) for group in large.context["outlet_groups"])
    assert shown == APPEARANCES_PER_PAGE
    # 500 appearances weigh what a page past the caps weighs (give or take the page links
    # and the other claims listed as possible duplicates).
    assert abs(len(large.content) - len(one_page.content)) < len(one_page.content) * 0.1
    assert len(small.content) < len(large.content) < 150_000
    html = large.content.decode()
    assert "Appearances page 1 of 10" in html and "?appearances=2" in html
    assert "via intermediaries, a source said." in html  # the sentence, from the highlight


def test_the_worst_case_is_stated_in_queries(editor_client, django_assert_num_queries):
    """The whole page, for a claim with 500 appearances and many orphans: the same number
    of queries as for one appearance (the constant pinned by test_claim_pages)."""
    one = _claim_with(1, outlets=1)
    _, baseline = _page(editor_client, one)
    heavy = _claim_with(500, orphans=ORPHANS_SHOWN + 5)
    with django_assert_num_queries(len(baseline)):
        response, _ = _page(editor_client, heavy)
    assert response.context["orphan_count"] == ORPHANS_SHOWN + 5
    assert len(response.context["orphans"]) == ORPHANS_SHOWN
    assert f"{ORPHANS_SHOWN + 5} orphaned in all" in response.content.decode()


def test_pages_walk_every_appearance_once_by_outlet(editor_client):
    claim = _claim_with(120, outlets=7)
    seen, outlets_in_order = [], []
    for number in (1, 2, 3):
        response, _ = _page(editor_client, claim, appearances=number)
        for group in response.context["outlet_groups"]:
            outlets_in_order.append(group["outlet"].name)
            seen += [a.pk for a in group["annotations"]]
            # An outlet's badges count its stances over the whole claim, not the page.
            assert sum(count for _, _, count in group["stances"]) in (17, 18)
    assert len(seen) == len(set(seen)) == 120
    assert outlets_in_order == sorted(outlets_in_order)  # by outlet, across pages
    # Past the last page: the last page.
    response, _ = _page(editor_client, claim, appearances=99)
    assert response.context["appearances"].number == 3


def test_a_correction_refreshes_the_stored_sentence(editor):
    article = factories.ArticleFactory(
        body="Putin congratulated Trump via intermediaries, a source said. The end."
    )
    annotation = factories.AnnotationFactory(article=article, quote="Putin", author=editor)
    assert annotation.context["after"].startswith(" congratulated Trump via intermediaries")
    article_correct(
        article=article,
        user=editor,
        new_text="Putin congratulated Trump by telephone, a source said. The end.",
        reason="The call was by telephone.",
    )
    annotation.refresh_from_db()
    assert annotation.context["after"] == " congratulated Trump by telephone, a source said."
    assert (annotation.start, annotation.end) == (0, 5)
    assert not annotation.changes.filter(action="moved").exists()  # a refresh, not a move


def test_saving_a_highlight_stores_its_sentence(editor):
    article = factories.ArticleFactory(
        body="First sentence here. Putin congratulated Trump, a source said. Last one."
    )
    start = article.body.index("Putin")
    annotation = annotation_create(
        article=article,
        user=editor,
        new_claim_statement="Putin congratulated Trump",
        stance="asserts",
        start=start,
        end=start + 5,
        exact="Putin",
    )
    annotation.refresh_from_db()
    assert annotation.context == {
        "before": "",
        "quote": "Putin",
        "after": " congratulated Trump, a source said.",
        "clipped_before": False,
        "clipped_after": False,
    }


def test_the_migration_gives_existing_highlights_their_sentence(editor):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("claims.migrations.0016_scale")
    annotation = factories.AnnotationFactory(quote="Putin", author=editor)
    orphan = factories.AnnotationFactory(quote="Kremlin", orphaned=True, author=editor)
    Annotation.objects.update(context={})
    migration.fill_contexts(apps, None)
    annotation.refresh_from_db()
    orphan.refresh_from_db()
    assert annotation.context == context_of(
        annotation.article.body, annotation.start, annotation.end
    )
    assert annotation.context["quote"] == "Putin"
    assert orphan.context == {}  # its words are gone: the page shows the old quote


def test_one_highlights_context_reads_only_its_blocks_with_the_same_answer():
    """``context_of`` without the body's soft breaks finds them in the quote's blocks only:
    the same sentence as with the whole body's, for every seed article and many places."""
    import random
    from pathlib import Path

    from articles.text import normalize_text, soft_breaks

    seeds = Path(__file__).resolve().parents[2] / "seeds"
    bodies = [
        normalize_text(p.read_bytes().decode("utf-8", "replace")) for p in seeds.rglob("*.txt")
    ]
    assert bodies
    rng = random.Random(23)
    for body in bodies:
        soft = soft_breaks(body)
        for _ in range(100):
            start = rng.randrange(0, len(body) - 20)
            end = start + rng.randint(1, 20)
            assert context_of(body, start, end) == context_of(body, start, end, soft=soft)


def test_a_wide_claims_unpublished_changes_are_compared_on_request(monkeypatch, editor):
    """Changes waiting on a claim quoted more than PENDING_DIFF_INLINE times: the page says
    so and offers the publish form without comparing every appearance; ``?changes=all``
    shows the comparison."""
    from django.test import Client

    from claims.selectors import desk
    from tests.claims.helpers import publish

    monkeypatch.setattr(desk, "PENDING_DIFF_INLINE", 3)
    claim = _claim_with(5)
    publish(claim)
    article = factories.ArticleFactory()
    start = article.body.index("Kremlin")
    annotation_create(
        article=article, user=editor, claim=claim, stance="disputes",
        start=start, end=start + len("Kremlin"), exact="Kremlin",
    )  # fmt: skip
    claim.refresh_from_db()
    assert claim.has_unpublished_changes and claim.appearance_count == 6
    reviewer = Client()
    reviewer.force_login(factories.ReviewerFactory())
    url = reverse("claim_detail", args=[claim.pk])
    compare = desk.pending_changes
    monkeypatch.setattr(desk, "pending_changes", lambda claim: pytest.fail("compared"))
    html = reviewer.get(url).content.decode()
    assert "Unpublished changes." in html and "show what would change" in html
    assert "Quotes added" not in html and "Publish these changes" in html
    monkeypatch.setattr(desk, "pending_changes", compare)
    full = reviewer.get(url, {"changes": "all"}).content.decode()
    assert "Quotes added" in full and "“Kremlin”" in full and "Publish these changes" in full


def _add_highlight(claim, editor, outlet_name="Late Outlet"):
    outlet = Outlet.objects.get_or_create(name=outlet_name)[0]
    article = factories.ArticleFactory(outlet=outlet)
    start = article.body.index("Kremlin")
    annotation_create(
        article=article, user=editor, claim=claim, stance="disputes",
        start=start, end=start + len("Kremlin"), exact="Kremlin",
    )  # fmt: skip
    claim.refresh_from_db()
    return article


def test_changes_waiting_5_and_500_appearances_queries_and_bytes(editor):
    """Changes waiting on a published claim: the page states its worst case whatever the
    reach. Appearances changed: a claim quoted at most PENDING_DIFF_INLINE times is compared
    in three more queries (at most that many appearances); a wider one on request. Only the
    wording changed: known from ``appearances_version`` without reading an appearance, and
    compared inline at any reach, in the same queries for 5 and 500."""
    from django.test import Client

    from claims.selectors.desk import PENDING_DIFF_INLINE
    from claims.services.claims import claim_update
    from tests.claims.helpers import publish, republish

    few, many = _claim_with(5), _claim_with(500)
    assert few.appearance_count <= PENDING_DIFF_INLINE < many.appearance_count
    for claim in (few, many):
        publish(claim)
        _add_highlight(claim, editor)
        assert claim.has_unpublished_changes
    reviewer = Client()
    reviewer.force_login(factories.ReviewerFactory())
    _page(reviewer, few), _page(reviewer, many)  # the timelines drawn and kept
    small, small_queries = _page(reviewer, few)
    large, large_queries = _page(reviewer, many)
    # The comparison: the claim's version read again, the revision's snapshot (never read
    # otherwise) and the live appearances (≤ 300 rows).
    assert len(small_queries) == len(large_queries) + 3
    assert "Quotes added" in small.content.decode()
    assert "show what would change" in large.content.decode()
    assert len(small.content) < len(large.content) < 150_000

    # Published again, then only the wording changes: no appearance is read, at any reach.
    for claim in (few, many):
        republish(claim)
        claim.refresh_from_db()
        claim_update(
            claim=claim, user=editor, statement=f"{claim.statement} (reworded)", claimant=""
        )
    _page(reviewer, few), _page(reviewer, many)
    small, small_queries = _page(reviewer, few)
    large, large_queries = _page(reviewer, many)
    assert len(small_queries) == len(large_queries)
    for response in (small, large):
        html = response.content.decode()
        assert "(reworded)</ins>" in html and "Quotes added" not in html
        assert "show what would change" not in html
    assert len(large.content) < 150_000
    for query in large_queries.captured_queries:  # no appearance of the claim compared
        assert "article__outlet__name" not in query["sql"]


def test_the_desk_timeline_is_kept_until_the_appearances_change(editor_client, editor):
    claim = _claim_with(5)
    _, first = _page(editor_client, claim)
    again, second = _page(editor_client, claim)
    # The timeline's two queries, and the outlets' counts (claims.selectors.desk), kept.
    assert len(second) == len(first) - 3
    assert "Late Outlet" not in again.content.decode()
    _add_highlight(claim, editor)
    redrawn, third = _page(editor_client, claim)
    assert len(third) == len(first) and "Late Outlet" in redrawn.content.decode()
    # An article's details changed at the admin's door reach the timeline too.
    article = Article.objects.get(outlet__name="Late Outlet")
    article.title = "A retitled report"
    article.save()
    assert "A retitled report" in _page(editor_client, claim)[0].content.decode()


def test_the_pages_list_every_appearance_once_in_order_across_outlets():
    """Pages that start and end inside an outlet, over outlets of different sizes and
    articles without an outlet: each appearance once, in the order of the whole list, and
    each outlet's counts over the whole claim."""
    from claims.selectors.desk import APPEARANCE_ORDER, claim_appearances

    claim = _claim_with(130, outlets=3)
    nowhere = Article.objects.filter(annotations__claim=claim).order_by("pk")[:7]
    Article.objects.filter(pk__in=[a.pk for a in nowhere]).update(outlet=None)
    Claim.objects.filter(pk=claim.pk).refresh_reach()
    claim.refresh_from_db()
    expected = list(Annotation.objects.live().filter(claim=claim).order_by(*APPEARANCE_ORDER))
    shown, last_number = [], None
    for number in range(1, 4):
        page = claim_appearances(claim, number)
        assert page.pages == 3 and page.number == number != last_number
        last_number = number
        for group in page.groups:
            outlet = group["outlet"]
            mine = [a for a in expected if a.article.outlet_id == (outlet.pk if outlet else None)]
            assert group["articles"] == len({a.article_id for a in mine})
            assert sum(count for _, _, count in group["stances"]) == len(mine)
            shown += group["annotations"]
        assert sum(len(g["annotations"]) for g in page.groups) == (
            APPEARANCES_PER_PAGE if number < 3 else 130 - 2 * APPEARANCES_PER_PAGE
        )
    assert [a.pk for a in shown] == [a.pk for a in expected]
    assert page.groups[-1]["outlet"] is None  # articles without an outlet come last
