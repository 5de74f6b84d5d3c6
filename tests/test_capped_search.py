"""Searches count their matches only up to a cap (factcheck.paging): a common word answers
"more than 1,000" instead of counting and ranking half the archive."""

import pytest
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


def test_the_desk_search_says_more_than_the_cap(editor_client, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 60)
    monkeypatch.setattr(paging.CappedPaginator.__init__, "__kwdefaults__", {"cap": 60})
    _articles(75)
    html = editor_client.get(reverse("desk"), {"q": "putin"}).content.decode()
    assert "1–50 of more than 60 articles matching" in html
    _articles(0)
    html = editor_client.get(reverse("desk"), {"q": "report 7"}).content.decode()
    assert "more than" not in html
    # Without a search the list counts exactly.
    html = editor_client.get(reverse("desk")).content.decode()
    assert "1–50 of 75 articles" in html


def test_the_count_stops_at_the_cap_without_ordering(django_assert_num_queries):
    _articles(30)
    paginator = paging.CappedPaginator(Article.objects.search("putin"), 10, cap=20)
    with django_assert_num_queries(1) as captured:
        assert paginator.count == 20 and paginator.capped
    sql = captured.captured_queries[0]["sql"]
    assert "LIMIT 21" in sql and "ORDER BY" not in sql
    exact = paging.CappedPaginator(Article.objects.search("putin"), 10, cap=50)
    assert exact.count == 30 and not exact.capped
