"""Working together, in a real browser: an editor assigns a claim and comments with a
mention (both mailed), comments on its verdict, submits a verdict and withdraws it; a reviewer
merges a duplicate claim into the published one, and the duplicate's public address redirects
permanently."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from claims.models import Claim, ClaimRedirect, Comment, Status, Verdict
from tests import factories
from tests.claims.helpers import publish

pytestmark = pytest.mark.django_db(transaction=True)


def test_assign_comment_withdraw_and_merge(page, login, live_server):
    editor = factories.EditorFactory(username="eva")
    reviewer = factories.ReviewerFactory(username="rui")
    now = timezone.now()
    duplicate = publish(
        factories.ClaimFactory(statement="Putin sent congratulations to Trump"),
        at=now - timedelta(days=2),
    ).claim
    survivor = publish(
        factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries"),
        at=now - timedelta(days=1),
    ).claim
    factories.AnnotationFactory(claim=duplicate)
    fresh = factories.ClaimFactory(statement="The Kremlin denied the call")
    old_public = duplicate.get_absolute_url()
    mail.outbox.clear()

    # The editor assigns the claim to the reviewer and asks them something.
    login(editor)
    page.goto(f"/desk/claims/{survivor.pk}/")
    page.get_by_label("Assigned to").select_option(label="rui")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Assigned to rui.")
    page.get_by_label("Comment on the claim", exact=True).fill(
        "@rui is the **second source** enough?"
    )
    page.get_by_role("button", name="Add comment", exact=True).click()
    expect(page.locator(".comments .comment strong")).to_have_text("second source")
    subjects = {(m.to[0], m.subject.split(":")[0]) for m in mail.outbox}
    assert subjects == {(reviewer.email, "Assigned to you"), (reviewer.email, "eva mentioned you")}
    # … and something about the published verdict, in its own thread.
    # A mention there lands in the verdict's thread, not the claim's (issue 25, item 11).
    mail.outbox.clear()
    page.get_by_label("Comment on this verdict").fill("@rui is the *TASS* quote enough?")
    page.locator(".verdict-published").get_by_role("button", name="Add comment").click()
    expect(page.locator(".verdict-published .verdict-comments em")).to_have_text("TASS")
    expect(page.locator(".verdict-published .verdict-comments")).to_contain_text("@rui")
    expect(page.locator(".comments .comment")).to_have_count(1)
    expect(page.locator(".comments")).not_to_contain_text("TASS")
    assert [(m.to[0], m.subject.split(":")[0]) for m in mail.outbox] == [
        (reviewer.email, "eva mentioned you")
    ]
    assert Comment.objects.get(body__contains="TASS").verdict_id is not None

    # The editor submits a verdict on another claim, then takes it back.
    page.goto(f"/desk/claims/{fresh.pk}/")
    page.get_by_label("Rating").select_option(label="False")
    page.get_by_label("Summary").fill("Peskov denied it the next morning.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".verdict-section .status-badge").first).to_have_text("Submitted")
    assert any(m.subject.startswith("Review requested") for m in mail.outbox)
    page.get_by_role("button", name="Withdraw from review").click()
    expect(page.locator(".verdict-section")).to_contain_text("Withdrawn from review")
    expect(page.locator(".verdict-open .status-badge")).to_have_text("Draft")
    assert Verdict.objects.get(claim=fresh).status == Status.DRAFT

    # The reviewer sees the assignment and merges the duplicate into the survivor.
    login(reviewer)
    page.goto("/desk/")
    expect(page.locator(".assigned-to-me")).to_contain_text(survivor.statement)
    page.goto(f"/desk/claims/{duplicate.pk}/")
    page.get_by_text("Merge into another claim").click()
    page.get_by_label("Find the claim that survives").fill("intermediaries")
    page.get_by_role("button", name="Find claims").click()
    page.get_by_role("link", name=survivor.statement).click()
    expect(page.locator(".merge-confirm")).to_contain_text("1 highlight in 1 outlet")
    # Both are published: one reviewer proposes, and the fact check stays public meanwhile.
    page.get_by_role("button", name="Propose the merge").click()
    expect(page.locator(".messages")).to_contain_text("Merge proposed")
    expect(page.locator(".merge-proposal")).to_contain_text("rui proposed merging this claim")
    assert Claim.objects.filter(pk=duplicate.pk).exists()

    # A second reviewer confirms, with both ratings side by side.
    login(factories.ReviewerFactory(username="ria"))
    page.goto(f"/desk/claims/{duplicate.pk}/")
    page.locator(".merge-proposal").get_by_role("link", name="confirms the merge").click()
    expect(page.locator(".merge-ratings")).to_contain_text("Published rating")
    page.get_by_role("button", name="Confirm the proposed merge").click()
    expect(page).to_have_url(f"{live_server.url}/desk/claims/{survivor.pk}/")
    expect(page.locator(".messages")).to_contain_text("was merged into this claim")
    expect(page.locator(".publication")).to_contain_text("Unpublished changes")
    assert not Claim.objects.filter(pk=duplicate.pk).exists()
    assert ClaimRedirect.objects.get(slug=duplicate.slug).claim_id == survivor.pk

    # Readers following the old address land on the survivor's fact check, for good.
    page.context.clear_cookies()
    response = page.request.get(old_public, max_redirects=0)
    assert response.status == 301
    assert response.headers["location"] == survivor.get_absolute_url()
    page.goto(old_public)
    expect(page).to_have_url(live_server.url + survivor.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(survivor.statement)
