"""Work typed on the desk survives a session that ends, in a real browser: the save is
refused with a "sign in again" dialog instead of the sign-in page drawn inside the verdict
section, the text stays in the form, and after signing in again the same save goes through.
Forms also keep drafts in the browser until they are saved."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from claims.models import Comment, Verdict
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

SUMMARY = "The Kremlin denied it; the only source is an anonymous report."


def test_a_save_after_the_session_ended_keeps_the_text_and_goes_through_later(page, login):
    claim = factories.ClaimFactory()
    editor = factories.EditorFactory()
    login(editor)
    page.goto(f"/desk/claims/{claim.pk}/")
    page.get_by_label("Rating").select_option(label="False")
    page.get_by_label("Summary").fill(SUMMARY)

    Session.objects.all().delete()  # the session ends (idle limit, sign-out elsewhere)
    page.get_by_role("button", name="Save draft").click()
    dialog = page.get_by_role("dialog", name="Your session has ended")
    expect(dialog).to_be_visible()
    expect(page.get_by_label("Summary")).to_have_value(SUMMARY)
    expect(page.locator("#verdict-section")).not_to_contain_text("Username")
    assert not Verdict.objects.exists()
    refused = [p for p in page.problems if "status of 401" in p]
    assert len(refused) == 1  # Chromium logs the refused request; nothing else went wrong
    page.problems.remove(refused[0])

    login(editor)  # signed in again, in another tab
    dialog.get_by_role("button", name="Back to my work").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".verdict-section")).to_contain_text("Draft")
    assert Verdict.objects.get(claim=claim).summary == SUMMARY


def test_a_comment_typed_before_the_session_ended_is_back_after_signing_in(page, login):
    claim = factories.ClaimFactory()
    editor = factories.EditorFactory()
    login(editor)
    page.goto(f"/desk/claims/{claim.pk}/")
    box = page.get_by_role("textbox", name="Comment on the claim", exact=True)
    box.fill("Check the TASS quote against the Kremlin's own transcript.")

    Session.objects.all().delete()
    page.get_by_role("button", name="Add comment", exact=True).click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()  # the post was refused
    assert not Comment.objects.exists()

    login(editor)
    page.goto(f"/desk/claims/{claim.pk}/")
    box = page.get_by_role("textbox", name="Comment on the claim", exact=True)
    expect(box).to_have_value("Check the TASS quote against the Kremlin's own transcript.")
    expect(page.locator(".comment-form [data-draft-note]").last).to_be_visible()
    page.get_by_role("button", name="Add comment", exact=True).click()
    expect(page.locator(".comment-list, .comments").first).to_contain_text("TASS quote")
    assert Comment.objects.count() == 1

    page.reload()  # saved: the draft is gone
    expect(page.get_by_role("textbox", name="Comment on the claim", exact=True)).to_have_value("")
