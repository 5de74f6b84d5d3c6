"""The claim radar in a real browser: suggestions painted in the text, accepted by keyboard
and by mouse, rejected, and the review page's count of waiting suggestions."""

from playwright.sync_api import expect

from claims.models import Annotation, Claim
from radar.models import Rejection, Suggestion

CLAIM = "Putin congratulated Trump on his election victory"


def _waiting_on_review(page, claim) -> str:
    page.goto("/desk/review/?status=all")
    return page.locator(f"#review-row-{claim.pk} [data-radar-count]").get_attribute(
        "data-radar-count"
    )


def test_editor_accepts_by_keyboard_and_mouse_rejects_and_review_counts_change(
    new_page, login, editor, reviewer, online_ua
):
    claim = Claim.objects.create(statement=CLAIM)  # scans the archive (tasks run at once)
    waiting = list(Suggestion.objects.filter(article=online_ua).order_by("start"))
    assert len(waiting) >= 3
    reviewer_page = login(reviewer, new_page())
    assert _waiting_on_review(reviewer_page, claim) == str(len(waiting))

    page = login(editor, new_page())
    page.goto(online_ua.get_absolute_url())
    items = page.locator(".radar-item")
    expect(items).to_have_count(len(waiting))
    # Outlined over the text, in a layer beside it: the article's DOM is untouched.
    expect(page.locator(".radar-layer .radar-outline")).not_to_have_count(0)
    assert page.locator("#article-body").evaluate("b => b.textContent") == online_ua.body

    # Keyboard: n moves to the first suggestion, a accepts it with its suggested stance.
    page.locator("#article-body").focus()
    page.keyboard.press("n")
    expect(items.first).to_be_focused()
    page.keyboard.press("a")
    expect(page.locator(".radar-item")).to_have_count(len(waiting) - 1)
    first = Annotation.objects.get()
    assert (first.start, first.end, first.exact) == (
        waiting[0].start,
        waiting[0].end,
        online_ua.body[waiting[0].start : waiting[0].end],
    )
    assert first.stance == waiting[0].stance

    # Mouse: change the stance of the next one, then Accept.
    second = page.locator(f"#suggestion-{waiting[1].pk}")
    second.get_by_label("Stance").select_option("asserts")
    second.get_by_role("button", name="Accept").click()
    expect(page.locator(".radar-item")).to_have_count(len(waiting) - 2)
    made = Annotation.objects.get(start=waiting[1].start)
    assert (made.end, made.stance, made.claim) == (waiting[1].end, "asserts", claim)

    # Reject the next by keyboard: remembered, with who.
    page.locator("#article-body").focus()
    page.keyboard.press("n")
    current = page.locator(".radar-item.is-current")
    rejected_pk = int(current.get_attribute("data-suggestion"))
    page.keyboard.press("r")
    expect(page.locator(".radar-item")).to_have_count(len(waiting) - 3)
    rejection = Rejection.objects.get()
    assert rejection.user == editor
    assert rejection.exact == next(s.exact for s in waiting if s.pk == rejected_pk)

    assert _waiting_on_review(reviewer_page, claim) == str(len(waiting) - 3)
