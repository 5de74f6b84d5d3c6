"""Selecting words on the desk in a real browser: touch, whole words, highlights under the
pointer, Esc and the focus after a save, and where the form floats."""

import re

import pytest
from playwright.sync_api import expect

from claims.models import Annotation
from tests import factories
from tests.e2e.dom import QUOTE_RECT, SELECT
from tests.e2e.test_annotate import drag_select
from tests.e2e.test_standards import _axe_violations

BODY = (
    "The Kremlin denied it on Thursday, said Peskov. Ростов-на-Дону didn't vote; "
    "the count was 2,024 for COVID-19 rules. 𝐁𝐨𝐥𝐝 words isn’t news.\n\n"
)
LONG_BODY = BODY + "".join(
    f"Paragraph {n}: more reporting on the call that never happened, with quotes.\n\n"
    for n in range(60)
)


def box_of(locator):
    r = locator.bounding_box()
    return {"top": r["y"], "bottom": r["y"] + r["height"]}


def apart(a, b):
    """Two rectangles' vertical extents do not overlap."""
    return a["bottom"] <= b["top"] or b["bottom"] <= a["top"]


def span(body, quote):
    start = body.index(quote)
    return start, start + len(quote)


def focused(page):
    return page.evaluate(
        "(() => { const e = document.activeElement; return e && "
        "{tag: e.tagName, id: e.id, ids: e.dataset.annotations || '', text: e.textContent}; })()"
    )


@pytest.fixture
def long_article(db):
    return factories.ArticleFactory(body=LONG_BODY, language="en")


def test_touch_selection_offers_an_annotate_button(phone, login, editor, long_article):
    body = long_article.body
    login(editor, page=phone)
    phone.goto(long_article.get_absolute_url())
    button = phone.get_by_role("button", name="Annotate", exact=True)
    expect(button).to_be_hidden()
    # A long press selects a word, the handles widen it; both only fire selectionchange.
    quote = "the count was 2,024 for COVID-19 rules"
    start, end = span(body, quote)
    phone.evaluate(SELECT, [start, end])
    expect(button).to_be_visible()
    # Beside the words, not over them.
    assert apart(box_of(button), phone.evaluate(QUOTE_RECT, [start, end]))
    assert _axe_violations(phone) == []
    button.tap()
    form = phone.locator("#annotate-form")
    expect(form).to_be_visible()
    expect(form).to_have_class(re.compile(r"\bis-docked\b"))
    expect(form.locator("#annotate-quote")).to_have_text(quote)
    expect(button).to_be_hidden()
    # The docked form leaves the words in sight above it.
    words = phone.evaluate(QUOTE_RECT, [start, end])
    assert words["top"] >= 0 and words["bottom"] <= box_of(form)["top"]
    phone.get_by_label("Claim", exact=True).fill("The count was 2,024")
    phone.get_by_label("Attributes", exact=True).tap()
    phone.get_by_role("button", name="Save highlight").tap()
    expect(form).to_be_hidden()
    a = Annotation.objects.get()
    assert (a.start, a.end, a.exact, a.stance) == (start, end, quote, "attributes")
    mark = phone.locator(f'#article-body mark[data-annotations~="{a.pk}"]')
    expect(mark).to_have_text(quote)
    # A tap on a highlight opens it.
    mark.tap()
    expect(phone.locator("#desk-popover")).to_contain_text("The count was 2,024")


def test_touch_selection_of_part_words_is_saved_as_whole_words(phone, login, editor):
    article = factories.ArticleFactory(body=BODY, language="en")
    login(editor, page=phone)
    phone.goto(article.get_absolute_url())
    start = article.body.index("remlin")
    end = article.body.index("Peskov") + len("Pesk")
    phone.evaluate(SELECT, [start, end])
    phone.get_by_role("button", name="Annotate", exact=True).tap()
    quote = "Kremlin denied it on Thursday, said Peskov"
    expect(phone.locator("#annotate-quote")).to_have_text(quote)
    phone.get_by_label("Claim", exact=True).fill("The Kremlin denied it")
    phone.get_by_label("Disputes", exact=True).tap()
    phone.get_by_role("button", name="Save highlight").tap()
    expect(phone.locator("#annotate-form")).to_be_hidden()
    a = Annotation.objects.get()
    assert (a.start, a.end, a.exact) == (*span(article.body, quote), quote)


@pytest.mark.parametrize(
    ("selected", "whole"),
    [
        ("remlin", "Kremlin"),
        ("тов-на-До", "Ростов-на-Дону"),
        ("idn", "didn't"),
        ("sn", "isn’t"),
        ("02", "2,024"),
        ("VID-1", "COVID-19"),
        ("𝐨𝐥", "𝐁𝐨𝐥𝐝"),
        ("aid Peskov. Рос", "said Peskov. Ростов-на-Дону"),
        ("Thursday", "Thursday"),  # whole already: the comma after it stays out
    ],
)
def test_partial_words_snap_outward(page, login, editor, selected, whole):
    article = factories.ArticleFactory(body=BODY, language="en")
    login(editor)
    page.goto(article.get_absolute_url())
    page.evaluate(SELECT, list(span(article.body, selected)))
    page.get_by_role("button", name="Annotate", exact=True).click()
    expect(page.locator("#annotate-quote")).to_have_text(whole)
    start, end = span(article.body, whole)
    assert page.locator("#annotate-start").input_value() == str(start)
    assert page.locator("#annotate-end").input_value() == str(end)
    assert page.locator("#annotate-exact").input_value() == whole


def test_a_partial_word_drag_saves_whole_words_and_alt_keeps_it_exact(page, login, editor):
    article = factories.ArticleFactory(body=BODY, language="en")
    login(editor)
    page.goto(article.get_absolute_url())
    form = page.locator("#annotate-form")
    expect(form.locator(".annotate-help")).to_contain_text("hold Alt while selecting")
    drag_select(page, article.body, "remlin denied it on Thursday, said Pesk")
    quote = "Kremlin denied it on Thursday, said Peskov"
    expect(form.locator("#annotate-quote")).to_have_text(quote)
    page.get_by_label("Claim", exact=True).fill("The Kremlin denied it")
    page.get_by_label("Disputes", exact=True).check()
    page.get_by_role("button", name="Save highlight").click()
    expect(form).to_be_hidden()
    a = Annotation.objects.get()
    assert (a.start, a.end, a.exact) == (*span(article.body, quote), quote)

    page.keyboard.down("Alt")
    drag_select(page, article.body, "стов-на-До")
    page.keyboard.up("Alt")
    expect(form.locator("#annotate-quote")).to_have_text("стов-на-До")
    page.get_by_label("Claim", exact=True).fill("A city")
    page.get_by_label("Asserts", exact=True).check()
    page.get_by_role("button", name="Save highlight").click()
    expect(form).to_be_hidden()
    b = Annotation.objects.get(claim__statement="A city")
    assert (b.start, b.end, b.exact) == (*span(article.body, "стов-на-До"), "стов-на-До")


def test_a_drag_from_a_highlights_first_letter_selects(page, login, editor):
    article = factories.ArticleFactory(body=BODY, language="en")
    factories.AnnotationFactory(article=article, quote="Kremlin denied")
    login(editor)
    page.goto(article.get_absolute_url())
    form = page.locator("#annotate-form")
    popover = page.locator("#desk-popover")
    # From the K of the highlight to past its end…
    drag_select(page, article.body, "Kremlin denied it on Thursday")
    expect(form).to_be_visible()
    expect(form.locator("#annotate-quote")).to_have_text("Kremlin denied it on Thursday")
    expect(popover).to_be_hidden()
    page.keyboard.press("Escape")
    expect(form).to_be_hidden()
    # …and inside it: the drag ends on the highlight, still no popover.
    drag_select(page, article.body, "Kremlin")
    expect(form).to_be_visible()
    expect(form.locator("#annotate-quote")).to_have_text("Kremlin")
    page.wait_for_load_state("networkidle")
    expect(popover).to_be_hidden()
    # A plain click on the highlight still opens it.
    page.keyboard.press("Escape")
    page.locator("#article-body mark.hl").first.click()
    expect(popover).to_be_visible()
    expect(form).to_be_hidden()


def test_a_double_click_on_a_highlighted_word_opens_the_annotate_form(page, login, editor):
    article = factories.ArticleFactory(body=BODY, language="en")
    a = factories.AnnotationFactory(article=article, quote="Kremlin denied")
    login(editor)
    page.goto(article.get_absolute_url())
    mark = page.locator(f'#article-body mark[data-annotations~="{a.pk}"]')
    # The first click asks for the highlight's popover; the double-click's selection wins.
    with page.expect_response(re.compile(r"/annotations/\?ids=")):
        mark.dblclick(position={"x": mark.bounding_box()["width"] - 8, "y": 8})
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(100)
    form = page.locator("#annotate-form")
    expect(form).to_be_visible()
    expect(form.locator("#annotate-quote")).to_have_text("denied")
    expect(page.locator("#desk-popover")).to_be_hidden()


def test_escape_asks_before_discarding_a_typed_claim(page, login, editor):
    article = factories.ArticleFactory(body=BODY, language="en")
    login(editor)
    page.goto(article.get_absolute_url())
    form = page.locator("#annotate-form")
    drag_select(page, article.body, "Kremlin denied")
    claim = page.get_by_label("Claim", exact=True)
    claim.fill("The Kremlin denied it")
    page.keyboard.press("Escape")
    prompt = form.get_by_role("alertdialog", name="Discard this highlight?")
    expect(prompt).to_be_visible()
    expect(form).to_be_visible()
    keep = prompt.get_by_role("button", name="Keep editing")
    expect(keep).to_be_focused()
    assert _axe_violations(page) == []
    keep.press("Enter")
    expect(prompt).to_be_hidden()
    expect(claim).to_be_focused()
    expect(claim).to_have_value("The Kremlin denied it")
    # Esc on the question is "keep editing" too.
    page.keyboard.press("Escape")
    expect(prompt).to_be_visible()
    page.keyboard.press("Escape")
    expect(prompt).to_be_hidden()
    expect(form).to_be_visible()
    page.keyboard.press("Escape")
    prompt.get_by_role("button", name="Discard").click()
    expect(form).to_be_hidden()
    expect(page.locator("#article-body")).to_be_focused()
    assert not Annotation.objects.exists()
    # Opened again, the form is empty, and Esc closes it at once.
    drag_select(page, article.body, "Kremlin denied")
    expect(claim).to_have_value("")
    expect(prompt).to_be_hidden()
    page.keyboard.press("Escape")
    expect(form).to_be_hidden()


def test_cancel_asks_like_escape_before_discarding_typed_text(page, login, editor):
    article = factories.ArticleFactory(body=BODY, language="en")
    login(editor)
    page.goto(article.get_absolute_url())
    form = page.locator("#annotate-form")
    cancel = form.get_by_role("button", name="Cancel")
    prompt = form.get_by_role("alertdialog", name="Discard this highlight?")
    # Nothing typed: Cancel closes the form at once, the focus back on the text.
    drag_select(page, article.body, "Kremlin denied")
    expect(form).to_be_visible()
    cancel.click()
    expect(form).to_be_hidden()
    expect(prompt).to_be_hidden()
    expect(page.locator("#article-body")).to_be_focused()
    # A typed note: Cancel asks first, and "Keep editing" keeps it.
    drag_select(page, article.body, "Kremlin denied")
    note = form.get_by_label("Note")
    note.fill("Peskov on Thursday")
    cancel.click()
    expect(prompt).to_be_visible()
    expect(prompt.get_by_role("button", name="Keep editing")).to_be_focused()
    prompt.get_by_role("button", name="Keep editing").click()
    expect(prompt).to_be_hidden()
    expect(form).to_be_visible()
    expect(note).to_have_value("Peskov on Thursday")
    # A typed claim: Cancel asks; Discard throws it away.
    page.get_by_label("Claim", exact=True).fill("The Kremlin denied it")
    cancel.click()
    expect(prompt).to_be_visible()
    prompt.get_by_role("button", name="Discard").click()
    expect(form).to_be_hidden()
    expect(page.locator("#article-body")).to_be_focused()
    assert not Annotation.objects.exists()
    drag_select(page, article.body, "Kremlin denied")
    expect(page.get_by_label("Claim", exact=True)).to_have_value("")
    expect(note).to_have_value("")


def test_after_a_keyboard_save_the_focus_is_on_the_new_highlight(page, login, editor):
    article = factories.ArticleFactory(body=BODY, language="en")
    login(editor)
    page.goto(article.get_absolute_url())
    body = page.locator("#article-body")
    body.focus()
    start = article.body.index("Kremlin")
    page.evaluate(SELECT, [start, start])  # the caret before "Kremlin"
    for _ in range(len("Kremlin denied")):
        page.keyboard.press("Shift+ArrowRight")
    form = page.locator("#annotate-form")
    expect(form.locator("#annotate-quote")).to_have_text("Kremlin denied")
    page.keyboard.press("Enter")
    page.keyboard.type("The Kremlin denied it")
    page.get_by_label("Disputes", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save highlight").focus()
    page.keyboard.press("Enter")
    expect(form).to_be_hidden()
    a = Annotation.objects.get()
    mark = page.locator(f'#article-body mark[data-annotations~="{a.pk}"]').first
    expect(mark).to_be_focused()
    now = focused(page)
    assert (now["tag"], now["ids"], now["text"]) == ("MARK", str(a.pk), "Kremlin denied")
    # A screen reader hears which claim it belongs to (the mark is described, not named).
    expect(mark).to_have_accessible_description(re.compile("The Kremlin denied it"))
    # Enter on it opens it, as on any focused highlight.
    page.keyboard.press("Enter")
    expect(page.locator("#desk-popover")).to_contain_text("The Kremlin denied it")


def test_the_form_floats_below_the_words_above_them_or_beside_them(page, login, editor):
    article = factories.ArticleFactory(body=LONG_BODY, language="en")
    login(editor)
    page.goto(article.get_absolute_url())
    form = page.locator("#annotate-form")
    quote = "Paragraph 30: more reporting"
    start, end = span(article.body, quote)
    height = page.viewport_size["height"]

    def select_with_the_words_at(y):
        """Scroll the words' top to ``y`` in the window, drag over them; their rectangle."""
        words = page.evaluate(QUOTE_RECT, [start, end])
        page.evaluate("by => window.scrollBy(0, by)", words["top"] - y)
        words = page.evaluate(QUOTE_RECT, [start, end])
        middle = (words["top"] + words["bottom"]) / 2
        page.mouse.move(words["left"] + 1, middle)
        page.mouse.down()
        page.mouse.move(words["right"] - 1, middle, steps=6)
        page.mouse.up()
        # Visible first: the quote's text stays in the hidden form from the last round.
        expect(form).to_be_visible()
        expect(form.locator("#annotate-quote")).to_have_text(quote)
        return page.evaluate(QUOTE_RECT, [start, end])

    # Near the top of the window there is room below the words: the form goes there.
    words = select_with_the_words_at(80)
    assert box_of(form)["top"] >= words["bottom"]
    page.keyboard.press("Escape")
    expect(form).to_be_hidden()

    # Near the bottom there is no room below: the form goes above.
    words = select_with_the_words_at(height - 60)
    assert box_of(form)["bottom"] <= words["top"]
    page.keyboard.press("Escape")
    expect(form).to_be_hidden()

    # In the middle neither is tall enough for the form and its suggestions: beside the words.
    words = select_with_the_words_at(height / 2)
    box = form.bounding_box()
    assert box["x"] >= words["right"] or box["x"] + box["width"] <= words["left"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height
