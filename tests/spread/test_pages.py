"""The spread on the review page (sparklines, "rising"), the series downloads, and the
query counts of every page that draws it: constant in the number of appearances."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, Stance, Status
from spread.selectors import rising_score, sparklines
from tests import factories
from tests.claims.helpers import publish

pytestmark = pytest.mark.django_db
REVIEW = reverse("review")


def _appearances(claim, days_ago, outlet=None, published=True):
    today = timezone.localdate()
    for n in days_ago:
        article = factories.ArticleFactory(
            outlet=outlet or factories.OutletFactory(),
            published_on=today - timedelta(days=n) if published else None,
        )
        factories.AnnotationFactory(claim=claim, article=article)


def test_sparklines_count_appearances_per_day_by_the_one_date_rule():
    claim = factories.ClaimFactory()
    _appearances(claim, [0, 0, 3, 29, 30, 45])
    # An undated article counts on the day it was imported (today).
    _appearances(claim, [0], published=False)
    line = sparklines([claim.pk])[claim.pk]
    assert len(line) == 30
    assert line[-1] == 3 and line[-4] == 1 and line[0] == 1
    assert sum(line) == 5  # 30 and 45 days ago are outside


def test_rising_compares_the_last_week_with_the_month_before():
    rising, steady, fading, silent = (factories.ClaimFactory() for _ in range(4))
    _appearances(rising, [0, 1, 2])  # 3 this week, none before: 3×30
    _appearances(steady, [1, 10, 15, 20, 25, 30])  # 1×30 − 5×7 = −5
    _appearances(fading, [12, 14, 16, 20])  # −28
    scores = dict(Claim.objects.annotate(score=rising_score()).values_list("pk", "score"))
    assert scores == {rising.pk: 90, steady.pk: -5, fading.pk: -28, silent.pk: 0}


def test_the_review_page_sorts_by_rising_and_draws_sparklines(reviewer_client):
    quiet, rising = (
        factories.ClaimFactory(statement="Quiet"),
        factories.ClaimFactory(statement="Rising"),
    )
    for claim in (quiet, rising):
        factories.VerdictFactory(claim=claim, status=Status.SUBMITTED)
    _appearances(quiet, [20, 21])
    _appearances(rising, [0, 1])
    # The quiet claim's verdict changed last: the default order puts it first.
    quiet.verdicts.update(updated_at=timezone.now() + timedelta(minutes=1))
    by_change = reviewer_client.get(REVIEW, {"status": "all"})
    by_rising = reviewer_client.get(REVIEW, {"status": "all", "sort": "rising"})
    rows = [row.claim.statement for row in by_rising.context["rows"]]
    assert rows == ["Rising", "Quiet"]
    assert [row.claim.statement for row in by_change.context["rows"]] == ["Quiet", "Rising"]
    html = by_rising.content.decode()
    assert html.count('class="spread-spark"') == 2
    assert 'aria-label="2 appearances in the last 30 days, 2 in the last 7"' in html
    assert '<option value="rising" selected>' in html
    # The CSV follows the same order.
    export = reviewer_client.get(REVIEW, {"status": "all", "sort": "rising", "format": "csv"})
    csv_text = b"".join(export.streaming_content).decode()  # streamed (bounded memory)
    csv_rows = list(csv.reader(io.StringIO(csv_text)))
    assert [r[0] for r in csv_rows[1:]] == ["Rising", "Quiet"]


@pytest.mark.parametrize("appearances", [1, 12])
def test_the_review_page_query_count_does_not_grow_with_appearances(
    reviewer_client, django_assert_num_queries, appearances
):
    for _ in range(5):
        claim = factories.ClaimFactory()
        factories.VerdictFactory(claim=claim, status=Status.DRAFT)
        _appearances(claim, range(appearances))
    # session, user, permissions (2), outlets, count, page of claims, verdicts, versions,
    # matrix, quotes, sparklines, the radar's suggestions waiting, the menu's count of
    # verdicts waiting for the reviewer
    with django_assert_num_queries(14):
        response = reviewer_client.get(REVIEW, {"status": "all", "sort": "rising"})
    assert response.content.decode().count('class="spread-spark"') == 5


def test_the_desk_claim_page_query_count_does_not_grow_with_appearances(
    editor_client, django_assert_num_queries
):
    claim = factories.ClaimFactory()
    _appearances(claim, [1])
    publish(claim)
    url = reverse("claim_detail", args=[claim.pk])
    with CaptureQueriesContext(connection) as few:
        editor_client.get(url)
    _appearances(claim, range(2, 40))
    with django_assert_num_queries(len(few.captured_queries)):
        html = editor_client.get(url).content.decode()
    assert html.count('class="spread-mark spread-') == 39


def test_the_public_page_query_count_does_not_grow_with_appearances(
    client, django_assert_num_queries
):
    small, large = factories.ClaimFactory(), factories.ClaimFactory()
    _appearances(small, [1])
    _appearances(large, range(60))
    publish(small)
    publish(large)
    # the state, the revision, its first appearances (read once per revision), the
    # timeline's appearances, the state again (a first revision has no update log to read)
    for claim, marks in ((small, 1), (large, 60)):
        with django_assert_num_queries(5):
            html = client.get(claim.get_absolute_url()).content.decode()
        assert html.count('class="spread-mark spread-') == marks
    # Signed in (never the kept page), the timeline is kept by revision: no query for it.
    user = factories.EditorFactory()
    client.force_login(user)
    with CaptureQueriesContext(connection) as signed_in:
        html = client.get(large.get_absolute_url()).content.decode()
    assert html.count('class="spread-mark spread-') == 60
    timeline_reads = [
        q
        for q in signed_in.captured_queries
        if q["sql"].startswith('SELECT "claims_publishedrevision"."appearances"')
    ]
    assert timeline_reads == []
    cache.clear()  # and the query it is, when the kept timeline is gone
    with CaptureQueriesContext(connection) as drawn:
        client.get(large.get_absolute_url())
    assert [
        q for q in drawn.captured_queries
        if q["sql"].startswith('SELECT "claims_publishedrevision"."appearances"')
    ]  # fmt: skip


def test_the_series_as_csv_and_json(editor_client, client):
    claim = factories.ClaimFactory(statement="=HYPERLINK(1)")
    outlet = factories.OutletFactory(name="=cmd")
    _appearances(claim, [5], outlet=outlet)
    _appearances(claim, [1], published=False)
    disputing = factories.ArticleFactory(published_on=timezone.localdate() - timedelta(days=3))
    factories.AnnotationFactory(claim=claim, stance=Stance.DISPUTES, article=disputing)
    url = reverse("spread_series", args=[claim.pk, "json"])
    data = json.loads(editor_client.get(url).content)
    assert [a["date_is"] for a in data["appearances"]] == ["published", "published", "imported"]
    assert data["appearances"][0]["first"] is True
    assert data["appearances"][0]["outlet"] == "=cmd"
    assert data["appearances"][1]["stance"] == "disputes"
    assert data["fact_check_published_on"] is None
    response = editor_client.get(reverse("spread_series", args=[claim.pk, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["date", "date_is", "outlet", "language", "stance", "first", "title", "url"]
    assert len(rows) == 4 and rows[1][2] == "'=cmd"  # a formula is never run
    # Desk only; an unknown format or claim is a 404.
    assert client.get(url).status_code in (302, 403)
    assert editor_client.get(reverse("spread_series", args=[claim.pk, "xml"])).status_code == 404
    assert editor_client.get(reverse("spread_series", args=[9999, "csv"])).status_code == 404


@pytest.mark.parametrize("language", ["en", "uk"])
def test_a_sparkline_writes_svg_numbers_in_every_language(language):
    """QA (the desk in Ukrainian): bar heights like 6.7 were written "6,7", Ukrainian's
    decimal comma, which no SVG length accepts (Chromium: "Expected length")."""
    import re

    from django.template.loader import render_to_string
    from django.utils import translation

    from spread.templatetags.spread import spark

    with translation.override(language):
        html = render_to_string("spread/sparkline.html", spark([0, 1, 3, 0, 2]))
    numbers = re.findall(r' (?:x|y|width|height)="([^"]*)"', html)
    assert numbers and all(re.fullmatch(r"\d+(\.\d+)?", n) for n in numbers), numbers
    assert "6.7" in numbers
