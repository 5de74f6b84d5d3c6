"""The annotate form in a real browser: it fits in the window beside the words, keeps its
Save/Cancel bar and its errors in sight, docks as a bottom sheet on a phone; the claim
type-ahead (its wording, the keyboard, the length limit); where the page and the focus are
after a save or an edit."""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Annotation, Claim
from tests import factories
from tests.e2e.dom import DRAG_POINTS, QUOTE_RECT, SELECT
from tests.e2e.test_desk_selection import span
from tests.e2e.test_standards import _axe_violations

DESKTOP = {"width": 1280, "height": 800}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
TOP = "other members of his team allegedly privately congratulated Republican Donald Trump"
MIDDLE = "Putin's team believes that it will be easier to negotiate with Trump"
CONGRATULATED = "Putin congratulated Trump on his victory in the 2024 US presidential election"
NO_PLANS = "Putin has no immediate plans to congratulate Trump"
WAR = "Trump promised to end the war in 24 hours"

# Whether the element is wholly inside the window and on top where it is (nothing covers its
# middle, no scrolling box hides it).
IN_SIGHT = """(el) => {
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
  return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth
    && r.height > 0 && Boolean(hit) && el.contains(hit);
}"""


def rect_of(locator):
    r = locator.bounding_box()
    right, bottom = r["x"] + r["width"], r["y"] + r["height"]
    return {"left": r["x"], "top": r["y"], "right": right, "bottom": bottom}


def overlap(a, b):
    return not (
        a["right"] <= b["left"]
        or b["right"] <= a["left"]
        or a["bottom"] <= b["top"]
        or b["bottom"] <= a["top"]
    )


def in_sight(locator):
    return locator.evaluate(IN_SIGHT)


def drag(page, body, quote, at):
    """Select ``quote`` with the mouse, the words at ``at`` of the window's height."""
    start, end = span(body, quote)
    r = page.evaluate(DRAG_POINTS, [start, end, at])
    page.mouse.move(r["x1"], r["y1"])
    page.mouse.down()
    page.mouse.move((r["x1"] + r["x2"]) / 2, (r["y1"] + r["y2"]) / 2, steps=4)
    page.mouse.move(r["x2"], r["y2"], steps=4)
    page.mouse.up()
    expect(page.locator("#annotate-form")).to_be_visible()
    expect(page.locator("#annotate-quote")).to_have_text(quote)
    return start, end


def assert_fits(page, start, end):
    """The form is inside the window, below the header, off the words; Save is in sight."""
    form = page.locator("#annotate-form")
    box = rect_of(form)
    header = rect_of(page.locator(".site-header"))
    assert box["top"] >= max(0, header["bottom"]), (box, header)
    assert box["bottom"] <= page.viewport_size["height"], box
    assert box["right"] <= page.viewport_size["width"], box
    assert not overlap(box, page.evaluate(QUOTE_RECT, [start, end])), "the form covers the words"
    assert in_sight(form.get_by_role("button", name="Save highlight"))
    assert in_sight(form.get_by_role("button", name="Cancel"))


@pytest.fixture
def claims(db):
    return [factories.ClaimFactory(statement=s) for s in (CONGRATULATED, NO_PLANS, WAR)]


@pytest.mark.parametrize(
    ("height", "quote", "at"),
    [(800, MIDDLE, 0.5), (600, MIDDLE, 0.5), (800, TOP, 0)],
    ids=["middle-800", "middle-600", "top-800"],
)
def test_the_form_fits_in_the_window_beside_the_words(
    new_page, login, editor, online_ua, claims, height, quote, at
):
    page = login(editor, page=new_page(viewport={**DESKTOP, "height": height}))
    page.goto(online_ua.get_absolute_url())
    start, end = drag(page, online_ua.body, quote, at)
    assert_fits(page, start, end)
    # The suggestions make it taller: still in the window, Save still in sight.
    page.get_by_label("Claim", exact=True).fill("putin congrat")
    expect(page.locator("#annotate-suggestions .suggestion")).to_have_count(2)
    assert_fits(page, start, end)


def test_on_a_phone_the_form_is_a_bottom_sheet_with_its_buttons_in_sight(
    new_page, login, editor, online_ua, claims
):
    phone = login(editor, page=new_page(**PHONE))
    phone.goto(online_ua.get_absolute_url())
    start, end = span(online_ua.body, MIDDLE)
    phone.evaluate(SELECT, [start, end])
    phone.get_by_role("button", name="Annotate", exact=True).tap()
    form = phone.locator("#annotate-form")
    expect(form).to_have_class(re.compile(r"\bis-docked\b"))
    save = form.get_by_role("button", name="Save highlight")
    assert in_sight(save) and in_sight(form.get_by_role("button", name="Cancel"))
    box = rect_of(form)
    # Across the width, down to the bottom edge (no text shows below it), opaque.
    assert (box["left"], box["right"]) == (0, 390)
    assert box["bottom"] == pytest.approx(844, abs=1)
    assert form.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 255, 255)"
    # The words in sight above it.
    words = phone.evaluate(QUOTE_RECT, [start, end])
    assert words["top"] >= 0 and words["bottom"] <= box["top"]
    phone.get_by_label("Claim", exact=True).fill("putin congrat")
    expect(phone.locator("#annotate-suggestions .suggestion")).to_have_count(2)
    assert in_sight(save)
    assert rect_of(form)["bottom"] == pytest.approx(844, abs=1)


def test_a_refused_save_shows_its_error_beside_the_save_button(new_page, login, editor, online_ua):
    page = login(editor, page=new_page(viewport=DESKTOP))
    page.goto(online_ua.get_absolute_url())
    drag(page, online_ua.body, MIDDLE, 0.5)
    page.get_by_label("Claim", exact=True).fill("Negotiating with Trump is easier")
    page.get_by_label("Attributes", exact=True).check()
    # As if the text had changed since the page was loaded.
    page.evaluate("document.getElementById('annotate-exact').value = 'something else'")
    page.get_by_role("button", name="Save highlight").click()
    errors = page.locator("#annotate-errors")
    expect(errors).to_contain_text("The selected words no longer match the article text")
    assert in_sight(errors)
    assert in_sight(page.get_by_role("button", name="Save highlight"))
    assert not Annotation.objects.exists()
    # Chromium logs every refused request; this one was expected.
    expected = [p for p in page.problems if "status of 422" in p]
    assert len(expected) == 1
    page.problems.remove(expected[0])


def test_a_claim_past_the_length_limit_is_not_cut_and_says_so(new_page, login, editor, online_ua):
    page = login(editor, page=new_page(viewport=DESKTOP))
    page.goto(online_ua.get_absolute_url())
    drag(page, online_ua.body, MIDDLE, 0.5)
    claim = page.get_by_label("Claim", exact=True)
    count = page.locator("#annotate-claim-count")
    claim.fill("x" * 300)
    expect(count).to_be_hidden()  # far from the limit: no counter
    claim.fill("x" * 450)
    expect(count).to_have_text("450 of 500 characters")
    expect(claim).not_to_have_attribute("aria-invalid", "true")
    claim.fill("x" * 510)
    expect(claim).to_have_value("x" * 510)  # nothing cut silently
    expect(count).to_have_text("510 of 500 characters: 10 too many. Shorten the claim to save it.")
    expect(claim).to_have_attribute("aria-invalid", "true")
    expect(claim).to_have_accessible_description(re.compile("10 too many"))
    page.get_by_label("Asserts", exact=True).check()
    page.get_by_role("button", name="Save highlight").click()
    errors = page.locator("#annotate-errors")
    expect(errors).to_contain_text("at most 500 characters")
    assert in_sight(errors)
    assert not Claim.objects.exists()
    expected = [p for p in page.problems if "status of 422" in p]
    assert len(expected) == 1
    page.problems.remove(expected[0])


def test_type_ahead_wording_and_keyboard(new_page, login, editor, online_ua, claims):
    page = login(editor, page=new_page(viewport=DESKTOP))
    page.goto(online_ua.get_absolute_url())
    drag(page, online_ua.body, TOP, 0)
    claim = page.get_by_label("Claim", exact=True)
    expect(claim).to_be_focused()
    status = page.locator("#annotate-claim-status")
    listbox = page.get_by_role("listbox", name="Matching claims")
    options = listbox.get_by_role("option")
    # ArrowDown in the empty input lists the claims with the widest reach.
    expect(claim).to_have_attribute("aria-expanded", "false")
    claim.press("ArrowDown")
    expect(options).to_have_count(3)
    expect(claim).to_have_attribute("aria-expanded", "true")
    # Half-typed words that match claims are not offered as a new claim.
    claim.fill("putin congrat")
    expect(options).to_have_count(2)  # the answer for these words (fill types them at once)
    expect(status).to_have_text(
        "Pick a matching claim below, or keep typing to create a new claim."
    )
    assert _axe_violations(page) == []
    # Esc closes the list, not the form, and asks nothing; ArrowDown opens it again.
    claim.press("Escape")
    expect(options).to_have_count(0)
    expect(claim).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#annotate-form")).to_be_visible()
    expect(page.get_by_role("alertdialog", name="Discard this highlight?")).to_be_hidden()
    expect(claim).to_have_value("putin congrat")
    expect(claim).to_be_focused()  # the focus stays where the person was typing
    claim.press("ArrowDown")
    expect(options).to_have_count(2)
    # ArrowDown/ArrowUp move through the options; the focus stays in the input.
    first, second = options.nth(0), options.nth(1)
    claim.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(claim).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    claim.press("ArrowDown")
    expect(second).to_have_attribute("aria-selected", "true")
    expect(first).to_have_attribute("aria-selected", "false")
    claim.press("ArrowUp")
    expect(claim).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(claim).to_be_focused()
    picked_id, picked = first.get_attribute("data-claim-id"), first.get_attribute("data-statement")
    # Enter picks it (and does not save).
    claim.press("Enter")
    expect(claim).to_have_value(picked)
    expect(page.locator("#annotate-form .claim-id")).to_have_value(picked_id)
    expect(status).to_have_text(re.compile("^Existing claim"))
    expect(options).to_have_count(0)
    expect(claim).to_have_attribute("aria-expanded", "false")
    expect(claim).not_to_have_attribute("aria-activedescendant", re.compile("."))
    assert not Annotation.objects.exists()
    page.get_by_label("Asserts", exact=True).check()
    page.get_by_role("button", name="Save highlight").click()
    expect(page.locator("#annotate-form")).to_be_hidden()
    assert Annotation.objects.get().claim_id == int(picked_id)
    assert Claim.objects.count() == 3

    # Nothing matches: then it is a new claim.
    drag(page, online_ua.body, MIDDLE, 0.5)
    claim.fill("Negotiating with Trump is easier")
    expect(page.locator("#annotate-suggestions .no-match")).to_be_visible()
    expect(status).to_have_text("New claim: “Negotiating with Trump is easier”")
    # Esc still asks before throwing the typed claim away.
    claim.press("Escape")
    expect(page.get_by_role("alertdialog", name="Discard this highlight?")).to_be_visible()


def test_saving_a_highlight_in_sight_does_not_move_the_page(new_page, login, editor, online_ua):
    page = login(editor, page=new_page(viewport=DESKTOP))
    page.goto(online_ua.get_absolute_url())
    start, end = drag(page, online_ua.body, TOP, 0)
    scroll = page.evaluate("scrollY")
    page.get_by_label("Claim", exact=True).fill("Putin congratulated Trump privately")
    page.get_by_label("Attributes", exact=True).check()
    page.get_by_label("Note").fill("Anonymous sources via *Vyorstka*")
    page.get_by_role("button", name="Save highlight").click()
    expect(page.locator("#annotate-form")).to_be_hidden()
    a = Annotation.objects.get()
    mark = page.locator(f'#article-body mark[data-annotations~="{a.pk}"]').first
    expect(mark).to_be_focused()
    assert page.evaluate("scrollY") == scroll
    words = page.evaluate(QUOTE_RECT, [start, end])
    assert words["top"] >= 0 and words["bottom"] <= DESKTOP["height"]

    # Words out of sight when saved are scrolled in, a little away from the window's edge.
    start, end = drag(page, online_ua.body, MIDDLE, 0.5)
    page.get_by_label("Claim", exact=True).fill("Trump is easier to negotiate with")
    page.get_by_label("Asserts", exact=True).check()
    page.get_by_label("Claim", exact=True).focus()
    words = page.evaluate(QUOTE_RECT, [start, end])
    page.evaluate("by => window.scrollBy(0, by)", words["bottom"] + 100)
    page.keyboard.press("Enter")
    expect(page.locator("#annotate-form")).to_be_hidden()
    b = Annotation.objects.get(claim__statement="Trump is easier to negotiate with")
    words = page.evaluate(QUOTE_RECT, [b.start, b.end])
    assert words["top"] >= 32, words


def test_after_an_edit_the_focus_is_on_the_edited_highlight(new_page, login, editor):
    page = login(editor, page=new_page(viewport=DESKTOP))
    article = factories.ArticleFactory(body="The Kremlin denied it on Thursday, said Peskov.\n")
    a = factories.AnnotationFactory(article=article, quote="Kremlin denied", stance="asserts")
    page.goto(article.get_absolute_url())
    page.locator(f'#article-body mark[data-annotations~="{a.pk}"]').first.click()
    popover = page.locator("#desk-popover")
    popover.get_by_role("link", name="Edit").click()
    save = popover.get_by_role("button", name="Save changes")
    expect(save).to_be_visible()
    assert in_sight(save)
    scroll = page.evaluate("scrollY")
    popover.get_by_label("Disputes", exact=True).check()
    save.click()
    expect(popover).to_be_hidden()
    mark = page.locator(f'#article-body mark[data-annotations~="{a.pk}"]').first
    expect(mark).to_be_focused()
    assert page.evaluate("scrollY") == scroll
    a.refresh_from_db()
    assert a.stance == "disputes"


def test_esc_in_the_edit_forms_type_ahead_closes_the_list_then_the_form_and_returns_focus(
    new_page, login, editor, claims
):
    """Esc with the type-ahead open closes the list only (the form and what was typed stay,
    the focus stays in the input); Esc again closes the form and the focus goes back to the
    highlight it was opened from; nothing is asked and nothing saved (issue 25)."""
    page = login(editor, page=new_page(viewport=DESKTOP))
    article = factories.ArticleFactory(body="The Kremlin denied it on Thursday, said Peskov.\n")
    a = factories.AnnotationFactory(article=article, quote="Kremlin denied", stance="asserts")
    page.goto(article.get_absolute_url())
    mark = page.locator(f'#article-body mark[data-annotations~="{a.pk}"]').first
    mark.click()
    popover = page.locator("#desk-popover")
    popover.get_by_role("link", name="Edit").click()
    expect(popover.get_by_role("button", name="Save changes")).to_be_visible()
    claim = popover.get_by_label("Claim", exact=True)
    # Typed at once: htmx has wired the form's type-ahead by the time it shows (no settle
    # delay, templates/base.html), so the first keystrokes already ask.
    with page.expect_response(lambda r: "/desk/claims/suggest/" in r.url) as asked:
        claim.fill("putin congrat")
    assert "putin%20congrat" in asked.value.url, asked.value.url
    options = popover.get_by_role("listbox", name="Matching claims").get_by_role("option")
    expect(options).to_have_count(2)
    claim.press("Escape")
    expect(options).to_have_count(0)
    expect(claim).to_have_attribute("aria-expanded", "false")
    expect(claim).to_be_focused()
    expect(claim).to_have_value("putin congrat")
    expect(popover).to_be_visible()
    claim.press("Escape")
    expect(popover).to_be_hidden()
    expect(mark).to_be_focused()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    a.refresh_from_db()
    assert (a.claim.statement, a.stance) != ("putin congrat", "disputes")
    assert Annotation.objects.filter(pk=a.pk, stance="asserts", claim_id=a.claim_id).exists()


def test_a_whole_article_selected_by_mistake_is_refused_with_the_reason(
    new_page, login, editor, online_ua
):
    """Ctrl+A in the text selects the whole article (about 2,500 characters): Save is
    refused with the limit and the reason, in the form, and nothing is stored (issue 25)."""
    page = login(editor, page=new_page(viewport=DESKTOP))
    page.goto(online_ua.get_absolute_url())
    page.locator("#article-body").focus()
    page.keyboard.press("Control+a")
    form = page.locator("#annotate-form")
    expect(form).to_be_visible()
    page.get_by_label("Claim", exact=True).fill("Putin congratulated Trump")
    page.get_by_label("Asserts", exact=True).check()
    page.get_by_role("button", name="Save highlight").click()
    errors = page.locator("#annotate-errors")
    expect(errors).to_contain_text("1,500 characters")
    assert in_sight(errors)
    expect(form).to_be_visible()  # what was typed stays, to select fewer words
    expect(page.get_by_label("Claim", exact=True)).to_have_value("Putin congratulated Trump")
    assert not Annotation.objects.exists()
    expected = [p for p in page.problems if "status of 422" in p]
    assert len(expected) == 1
    page.problems.remove(expected[0])
