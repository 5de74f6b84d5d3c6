"""Searches count their matches only up to a cap (factcheck.paging): a common word answers
"more than 1,000" instead of counting and ranking half the archive."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.text import content_hash
from factcheck import paging

pytestmark = pytest.mark.django_db


def _articles(n):
    Article.objects.bulk_create(
        Article(
            title=f"Putin report {i}",
            language="en",
            body=(body := f"Putin congratulated Trump, report number {i}."),
            content_hash=content_hash(body),
        )
        for i in range(n)
    )


def test_the_desk_search_counts_nothing_and_reads_a_page_and_one_row(
    editor_client, django_assert_max_num_queries
):
    """The desk's search never counts its matches: a page reads its rows and one more, and
    says "more than" when that one exists."""
    _articles(75)
    with CaptureQueriesContext(connection) as captured:
        html = editor_client.get(reverse("desk"), {"q": "putin"}).content.decode()
    assert "1–50 of more than 50 articles matching" in html
    assert "Page 1</span>" in html and 'rel="next"' in html
    searches = [q["sql"] for q in captured.captured_queries if "articles_article" in q["sql"]]
    assert not any("COUNT(" in sql.upper() and "ANNOTATION" not in sql.upper() for sql in searches)
    assert any("LIMIT 51" in sql for sql in searches)
    # No planner setting is switched for it (the planner picks the index for a rare word).
    assert not any("set_config" in q["sql"] for q in captured.captured_queries)
    html = editor_client.get(reverse("desk"), {"q": "putin", "page": 2}).content.decode()
    assert "51–75 of 75 articles matching" in html and 'rel="next"' not in html
    # A page past the matches shows the first one.
    html = editor_client.get(reverse("desk"), {"q": "putin", "page": 9}).content.decode()
    assert "1–50 of more than 50" in html
    html = editor_client.get(reverse("desk"), {"q": "report 7"}).content.decode()
    assert "more than" not in html
    # Without a search the list counts exactly.
    html = editor_client.get(reverse("desk")).content.decode()
    assert "1–50 of 75 articles" in html and "Page 1 of 2" in html


def test_open_ended_pages_stop_at_the_cap():
    _articles(30)
    pages = paging.OpenEndedPaginator(
        lambda start, stop: Article.objects.best_matches("putin", start, stop), 10, cap=20
    )
    page = pages.get_page(2)
    assert [a.title for a in page.object_list] and page.paginator.capped
    assert not page.has_next() and page.start_index() == 11 and page.end_index() == 20
    assert pages.get_page("x").number == 1 and pages.get_page(99).number == 2
