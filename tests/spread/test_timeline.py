"""The spread timeline on the desk claim page and the public fact check (spread app)."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse

from claims.models import Annotation, Stance
from spread.timeline import MAX_MARKS, MAX_ROWS, SHAPES, Point, draw
from tests import factories
from tests.claims.helpers import publish, republish

from .conftest import UNDATED_IMPORT

pytestmark = pytest.mark.django_db


def _marks(html: str) -> list[dict]:
    """Each mark of the timeline: its classes, outlet, stance (its colour's class) and shape
    (the symbol it draws)."""
    marks = []
    for classes, count, outlet, inner in re.findall(
        r'<g class="(spread-mark [^"]*)" data-count="(\d+)"><title>(.+?), (?:\d|imported)'
        r"(.*?)</g>",
        html,
    ):
        stance = next(c for c in classes.split() if c.removeprefix("spread-") in SHAPES)
        marks.append(
            {
                "class": classes,
                "data-outlet": unescape(outlet),
                "data-stance": stance.removeprefix("spread-"),
                "data-shape": re.search(r'<use href="#spread-(\w+)"', inner).group(1),
                "count": int(count),
            }
        )
    return marks


def _rows(html: str) -> list[str]:
    section = html[html.index('<g class="spread-rows">') : html.index('<g class="spread-axis">')]
    return [
        re.sub(r"<title>.*?</title>", "", text)
        for text in re.findall(r'<text class="spread-outlet"[^>]*>(.*?)</text>', section)
    ]


def _desc(html: str) -> str:
    return re.search(r'<desc id="spread-desc">(.*?)</desc>', html).group(1)


def _timeline(html: str) -> str:
    start = html.index('<section class="spread"')
    return html[start : html.index("</section>", start)]


def test_the_desk_timeline_draws_every_appearance(seeds_claim, editor_client):
    claim = seeds_claim["claim"]
    html = editor_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    live = list(
        Annotation.objects.live()
        .filter(claim=claim)
        .select_related("article__outlet")
        .order_by("pk")
    )
    marks = _marks(html)
    assert len(marks) == len(live) == 6

    # One row per outlet, in the order of their first appearance.
    def day(a):
        return a.article.published_on or UNDATED_IMPORT.date()

    by_day = sorted(live, key=lambda a: (day(a), a.article.published_on is None, a.pk))
    expected_rows = list(dict.fromkeys(a.article.outlet.name for a in by_day))
    assert _rows(html) == expected_rows
    assert len(expected_rows) == 5
    # Each mark's shape says its stance, as its class (the colour) does.
    shapes = sorted((m["data-outlet"], m["data-stance"], m["data-shape"]) for m in marks)
    assert shapes == sorted((a.article.outlet.name, a.stance, SHAPES[a.stance]) for a in live)
    for m in marks:
        assert f"spread-{m['data-stance']}" in m["class"]
    assert {m["data-shape"] for m in marks} == {"circle", "square", "triangle"}
    # The first appearance is marked, and only it.
    first = [m for m in marks if "spread-first" in m["class"]]
    assert [m["data-outlet"] for m in first] == [by_day[0].article.outlet.name]
    # The series links are there on the desk.
    assert reverse("spread_series", args=[claim.pk, "csv"]) in html


def test_an_undated_article_is_placed_by_its_import_date_and_says_so(seeds_claim, editor_client):
    claim = seeds_claim["claim"]
    html = editor_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    meduza = [m for m in _marks(html) if m["data-outlet"] == "Meduza"]
    assert len(meduza) == 1 and "spread-estimated" in meduza[0]["class"]
    assert "Meduza, imported 20 Nov 2024 (no publication date)" in html
    assert "imported 20 Nov 2024 (no publication date)" in _timeline(html).split("<table")[1]
    assert "Hollow: the article has no publication date" in html


def test_the_text_alternative_names_the_first_outlet_and_the_counts(seeds_claim, editor_client):
    claim = seeds_claim["claim"]
    html = editor_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    first = min(
        (a for a in Annotation.objects.filter(claim=claim).select_related("article__outlet")),
        key=lambda a: a.article.published_on or UNDATED_IMPORT.date(),
    )
    desc = _desc(html)
    day = first.article.published_on
    assert desc.startswith(
        f"First carried by {first.article.outlet.name} on {day.day} {day:%B %Y}; "
        "5 outlets in 2 languages; 2 disputed it."
    )
    assert "6 appearances in all" in desc
    svg = re.search(r"<svg class=\"spread-chart\"[^>]*>", html).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="spread-title spread-desc"' in svg
    # The table of the same data is there, closed.
    assert '<details class="spread-table">' in html
    assert html.count('<tr class="spread-first-row">') == 1


def test_the_public_page_shows_only_the_published_revision(seeds_claim, client):
    claim = seeds_claim["claim"]
    publish(claim)
    # After publication: a new outlet on the desk, not yet published.
    later = factories.ArticleFactory(
        outlet=factories.OutletFactory(name="Unpublished Outlet"), published_on=date(2025, 1, 2)
    )
    factories.AnnotationFactory(claim=claim, article=later, stance=Stance.ATTRIBUTES)
    html = client.get(claim.get_absolute_url()).content.decode()
    timeline = _timeline(html)
    assert "Unpublished Outlet" not in timeline
    assert len(_marks(timeline)) == 6
    assert "Fact check " in timeline  # the publication day on the same axis
    revision = claim.published_revision
    revision.refresh_from_db()
    published_outlets = {a["outlet"] for a in revision.appearances}
    assert set(_rows(timeline)) == published_outlets
    # The reader's words for the stances, and the original articles' links only.
    assert "Disputes the claim" in timeline
    assert "/desk/" not in timeline
    # Once republished, it is there.
    republish(claim)
    html = client.get(claim.get_absolute_url(), {"v": "2"}).content.decode()
    assert "Unpublished Outlet" in _timeline(html)
    assert len(_marks(_timeline(html))) == 7


def test_the_public_timeline_places_an_undated_article_by_its_import_date(seeds_claim, client):
    claim = seeds_claim["claim"]
    publish(claim)
    html = _timeline(client.get(claim.get_absolute_url()).content.decode())
    meduza = [m for m in _marks(html) if m["data-outlet"] == "Meduza"]
    assert len(meduza) == 1 and "spread-estimated" in meduza[0]["class"]
    assert "imported 20 Nov 2024 (no publication date)" in html


def test_an_old_revision_without_import_dates_lists_undated_articles_undrawn():
    points = [
        Point(outlet="A", day=date(2024, 1, 2), dated=True, language="en", stance="asserts"),
        Point(outlet="B", day=None, dated=False, language="en", stance="disputes"),
    ]
    timeline = draw(points, fact_check_on=None, stance_labels={})
    assert len(timeline.marks) == 1 and timeline.undrawn == 1
    assert [r.when for r in timeline.table] == ["2 Jan 2024", "date unknown"]


def test_many_outlets_share_the_last_row():
    points = [
        Point(outlet=f"Outlet {n}", day=date(2024, 1, 1 + n % 28), dated=True, language="en",
              stance="asserts")
        for n in range(MAX_ROWS + 10)
    ]  # fmt: skip
    timeline = draw(points, fact_check_on=date(2024, 2, 1), stance_labels={})
    assert len(timeline.rows) == MAX_ROWS
    assert timeline.rows[-1].label == "11 other outlets"
    assert len(timeline.marks) == len(points)
    assert timeline.fact_check_x > max(m.x for m in timeline.marks)


def test_past_max_marks_a_mark_stands_for_several_appearances():
    points = [
        Point(outlet=f"Outlet {n % 40}", day=date(2024, 1, 1) + timedelta(days=n % 300),
              dated=n % 9 != 0, language=("en", "ru")[n % 2], stance=list(SHAPES)[n % 3])
        for n in range(3000)
    ]  # fmt: skip
    timeline = draw(points, fact_check_on=date(2025, 1, 1), stance_labels={})
    assert timeline.aggregated
    assert len(timeline.marks) <= MAX_MARKS
    assert sum(m.count for m in timeline.marks) == 3000  # every appearance, once
    assert sum(r.count for r in timeline.table) == 3000
    assert sum(m.first for m in timeline.marks) == 1
    assert 'data-count="' in timeline.marks_svg and "×" in timeline.marks_svg
    assert len(timeline.marks_svg) < 120_000
    # Within one mark: one row, one stance, one kind of date.
    for m in timeline.marks:
        assert m.count == 1 or m.last_day >= m.point.day


def test_a_claim_without_appearances_draws_nothing(editor_client):
    claim = factories.ClaimFactory()
    html = editor_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert 'class="spread"' not in html


def test_a_syndicated_copy_is_drawn_as_a_copy_of_its_source(editor_client, client):
    """A copy of one story (webfetch's near-duplicates, ``Article.copy_of``) counts as its
    own outlet's appearance and is drawn as a copy of the original, desk and public alike."""
    claim = factories.ClaimFactory(statement="Putin congratulated Trump")
    wire = factories.ArticleFactory(
        outlet=factories.OutletFactory(name="Wire Agency"), published_on=date(2024, 11, 6)
    )
    copy = factories.ArticleFactory(
        outlet=factories.OutletFactory(name="Local Paper"),
        published_on=date(2024, 11, 7),
        copy_of=wire,
    )
    for article in (wire, copy):
        factories.AnnotationFactory(claim=claim, article=article, stance=Stance.ASSERTS)
    desk = _timeline(editor_client.get(reverse("claim_detail", args=[claim.pk])).content.decode())
    marks = {m["data-outlet"]: m for m in _marks(desk)}
    assert "spread-copy" in marks["Local Paper"]["class"]
    assert "spread-copy" not in marks["Wire Agency"]["class"]
    assert "a copy of Wire Agency&#x27;s article" in desk or "a copy of Wire Agency's" in desk
    assert set(_rows(desk)) == {"Wire Agency", "Local Paper"}  # its own outlet's row

    publish(claim)
    claim.published_revision.refresh_from_db()
    entries = {a["outlet"]: a for a in claim.published_revision.appearances}
    assert entries["Local Paper"]["copy_of"] == "Wire Agency"
    assert entries["Wire Agency"]["copy_of"] == ""
    public = _timeline(client.get(claim.get_absolute_url()).content.decode())
    marks = {m["data-outlet"]: m for m in _marks(public)}
    assert "spread-copy" in marks["Local Paper"]["class"]
