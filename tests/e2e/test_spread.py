"""The spread timeline in a real browser: the public fact check at 1,280 and 320 px (the
timeline scrolls inside its own box, the page never sideways), its table opened from the
keyboard; the review page's "rising" sort."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from claims.models import Status
from tests import factories
from tests.claims.helpers import publish
from tests.spread.conftest import make_seeds_claim

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _page_scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", [1280, 320])
def test_the_public_timeline_fits_and_its_table_opens_by_keyboard(new_page, live_server, width):
    seeds = make_seeds_claim()
    claim = seeds["claim"]
    publish(claim)
    page = new_page(viewport={"width": width, "height": 900})
    page.goto(claim.get_absolute_url())
    chart = page.locator("svg.spread-chart")
    expect(chart).to_be_visible()
    expect(page.locator("svg.spread-chart g.spread-mark")).to_have_count(6)
    assert not _page_scrolls_sideways(page)
    box = page.locator(".spread-scroll")
    inside = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
    if width == 320:
        assert inside[0] > inside[1]  # the chart scrolls inside its own box
    else:
        assert inside[0] <= inside[1]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"spread-public-{width}.png"), full_page=True)
    # The table: closed, then opened from the keyboard.
    table = page.locator(".spread-table table")
    expect(table).to_be_hidden()
    summary = page.locator(".spread-table summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(6)
    assert not _page_scrolls_sideways(page)


def test_the_review_page_sorts_by_rising(page, login, live_server):
    reviewer = factories.ReviewerFactory()
    today = timezone.localdate()
    steady = factories.ClaimFactory(statement="A steady claim")
    rising = factories.ClaimFactory(statement="A rising claim")
    for claim, days in ((steady, [3, 10, 14, 20, 25, 28, 33]), (rising, [0, 1, 2])):
        factories.VerdictFactory(claim=claim, status=Status.DRAFT)
        for n in days:
            article = factories.ArticleFactory(published_on=today - timedelta(days=n))
            factories.AnnotationFactory(claim=claim, article=article)
    # The steady claim changed last, so it comes first by default.
    factories.VerdictFactory._meta.model.objects.filter(claim=steady).update(
        updated_at=timezone.now() + timedelta(minutes=1)
    )
    login(reviewer, page)
    page.goto("/desk/review/?status=all")
    statements = page.locator(".review-row th a")
    expect(statements.first).to_have_text("A steady claim")
    page.locator("#review-sort").select_option("rising")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"sort=rising"))
    expect(statements.first).to_have_text("A rising claim")
    spark = page.locator(f"#review-row-{rising.pk} svg.spread-spark")
    label = "3 appearances in the last 30 days, 3 in the last 7"
    expect(spark).to_have_attribute("aria-label", label)
