"""A verdict from draft to the public page, in a real browser: an editor writes and submits
it, another account approves it from the review page, and an anonymous reader sees it with
its ClaimReview."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from claims.models import Stance, Status, Verdict
from factcheck import roles
from tests import factories
from tests.claims.helpers import republish

pytestmark = pytest.mark.django_db(transaction=True)

STATEMENT = "Putin congratulated Trump via intermediaries"


@pytest.fixture
def claim():
    claim = factories.ClaimFactory(statement=STATEMENT, claimant="Vedomosti")
    online = factories.ArticleFactory(
        outlet=factories.OutletFactory(name="online.ua", domain="online.ua"),
        title="Putin congratulated Trump via intermediaries",
    )
    caliber = factories.ArticleFactory(
        outlet=factories.OutletFactory(name="Caliber.az", domain="caliber.az"),
        title="Kremlin: no congratulations",
    )
    factories.AnnotationFactory(
        claim=claim, article=online, quote="Putin congratulated Trump via intermediaries"
    )
    factories.AnnotationFactory(
        claim=claim, article=caliber, quote="The Kremlin denied it", stance=Stance.DISPUTES
    )
    return claim


def write_and_submit(page, claim):
    page.goto(f"/desk/claims/{claim.pk}/")
    page.get_by_label("Rating").select_option(label="False")
    page.get_by_label("Summary").fill(
        "The Kremlin **denied** it; the only source is an anonymous report."
    )
    links = [
        ("https://www.kremlin.ru/events/president/news", "Kremlin press service"),
        ("https://tass.com/politics/1868987", "Peskov: no congratulations"),
    ]
    for n, (url, title) in enumerate(links, start=1):
        row = page.get_by_role("group", name=f"Link {n}")
        if not row.count():
            page.get_by_role("button", name="Add another link").click()
        expect(row).to_be_visible()
        row.get_by_label("Evidence URL").fill(url)
        row.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".verdict-section")).to_contain_text("Draft")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".verdict-section")).to_contain_text("Submitted")


def test_editor_drafts_reviewer_approves_public_reads(page, login, live_server, claim):
    editor = factories.EditorFactory()
    reviewer = factories.ReviewerFactory()

    login(editor)
    write_and_submit(page, claim)
    verdict = Verdict.objects.get(claim=claim)
    assert verdict.status == Status.SUBMITTED and verdict.evidence.count() == 2

    login(reviewer)
    page.goto("/desk/review/")
    row = page.locator(f"#review-row-{claim.pk}")
    expect(row).to_contain_text(STATEMENT)
    expect(row).to_contain_text("asserts ×1")
    expect(row).to_contain_text("disputes ×1")
    headers = page.locator(".review-table thead th").all_inner_texts()
    cells = row.locator("td").all_inner_texts()
    by_outlet = dict(zip(headers[1:], cells, strict=True))
    assert by_outlet["online.ua"].strip() == "asserts ×1"
    assert by_outlet["Caliber.az"].strip() == "disputes ×1"
    row.get_by_role("button", name="Approve").click()
    expect(page.locator(f"#review-row-{claim.pk}")).to_contain_text("Approved and published.")
    expect(page.locator(f"#review-row-{claim.pk} .status")).to_have_text("Approved")
    verdict.refresh_from_db()
    assert verdict.status == Status.APPROVED and verdict.reviewer == reviewer

    page.context.clear_cookies()
    page.goto(claim.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(STATEMENT)
    expect(page.locator(".rating-big")).to_have_text("False")
    expect(page.locator(".prose strong")).to_have_text("denied")
    expect(page.locator(".evidence-list a")).to_have_count(2)
    expect(page.get_by_role("link", name="Peskov: no congratulations")).to_have_attribute(
        "rel", "nofollow noopener noreferrer"
    )
    expect(page.locator(".appearance")).to_have_count(2)
    scripts = page.locator('script[type="application/ld+json"]')
    expect(scripts).to_have_count(1)
    data = json.loads(scripts.text_content())
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == STATEMENT
    assert data["reviewRating"]["alternateName"] == "False"
    assert data["reviewRating"]["ratingValue"] == 1
    assert data["url"] == live_server.url + claim.get_absolute_url()
    assert len(data["itemReviewed"]["appearance"]) == 2
    assert not page.context.cookies()  # the public page set none

    page.goto("/")
    expect(page.get_by_role("link", name=STATEMENT)).to_be_visible()


def test_a_reviewer_cannot_approve_their_own_verdict(page, login, claim):
    both = factories.ReviewerFactory()
    both.groups.add(Group.objects.get(name=roles.EDITORS))
    login(both)
    write_and_submit(page, claim)

    page.goto("/desk/review/")
    row = page.locator(f"#review-row-{claim.pk}")
    expect(row).to_contain_text("You wrote or changed part of what approving would publish")
    expect(row.get_by_role("button", name="Approve")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Approve$"))).to_have_count(0)
    assert Verdict.objects.get(claim=claim).status == Status.SUBMITTED


def test_request_changes_from_the_row(page, login, claim):
    verdict = factories.VerdictFactory(claim=claim, status=Status.SUBMITTED)
    login(factories.ReviewerFactory())
    page.goto("/desk/review/")
    row = page.locator(f"#review-row-{claim.pk}")
    row.get_by_text("Request changes").click()
    row.get_by_label("Comment").fill("Quote the Kremlin's denial in full.")
    row.get_by_role("button", name="Send request").click()
    row = page.locator(f"#review-row-{claim.pk}")
    expect(row).to_contain_text("Changes requested.")
    expect(row.locator(".status")).to_have_text("Changes requested")
    verdict.refresh_from_db()
    assert verdict.status == Status.CHANGES_REQUESTED


def test_public_pages_in_the_browser(page, claim):
    """No CSP violation (the JSON-LD block is data, not script), no console error, no cookie."""
    verdict = factories.VerdictFactory(
        claim=claim, status=Status.SUBMITTED, summary_html="<p>Denied.</p>"
    )
    Verdict.objects.filter(pk=verdict.pk).update(
        status=Status.APPROVED, approved_at=verdict.created_at
    )
    republish(claim)
    page.goto("/")
    page.get_by_role("link", name=STATEMENT).click()
    expect(page).to_have_url(re.compile(re.escape(claim.get_absolute_url()) + "$"))
    expect(page.locator('script[type="application/ld+json"]')).to_have_count(1)
    expect(page.locator(".quote blockquote")).to_have_count(2)
    page.goto("/?q=nothing+matches+this")
    expect(page.get_by_role("heading", name="No fact check matches")).to_be_visible()
    assert not page.context.cookies()
