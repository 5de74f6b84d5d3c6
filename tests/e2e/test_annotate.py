"""Highlighting in a real browser: selections measured by annotate.js, checked by the server."""

import re

from playwright.sync_api import expect

from claims.models import Annotation, Claim
from tests import factories
from tests.e2e.dom import CHAR_RECTS


def drag_select(page, body, quote, occurrence=0):
    """Select ``quote`` in the article with a real mouse drag; returns its code-point offsets."""
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(quote, start + 1)
    end = start + len(quote)
    # What the browser shows selected at mouseup, before the form takes the focus.
    page.evaluate(
        "document.addEventListener('mouseup', () => "
        "{ window.selectedAtMouseup = getSelection().toString(); }, {capture: true})"
    )
    r = page.evaluate(CHAR_RECTS, [start, end])
    page.mouse.move(r["x1"], r["y1"])
    page.mouse.down()
    page.mouse.move((r["x1"] + r["x2"]) / 2, (r["y1"] + r["y2"]) / 2, steps=4)
    page.mouse.move(r["x2"], r["y2"], steps=4)
    page.mouse.up()
    return start, end


def choose_claim_and_save(page, statement, stance):
    page.get_by_label("Claim", exact=True).fill(statement)
    page.get_by_label(stance, exact=True).check()
    page.get_by_role("button", name="Save highlight").click()
    expect(page.locator("#annotate-form")).to_be_hidden()


def test_select_words_and_attach_them_to_a_new_claim(page, login, editor, online_ua):
    login(editor)
    page.goto(online_ua.get_absolute_url())
    quote = "privately congratulated Republican Donald Trump"
    start, end = drag_select(page, online_ua.body, quote)
    form = page.locator("#annotate-form")
    expect(form).to_be_visible()
    expect(form.locator("#annotate-quote")).to_have_text(quote)
    page.get_by_label("Claim", exact=True).fill("Putin congratulated Trump via intermediaries")
    expect(form.locator(".claim-status")).to_have_text(
        "New claim: “Putin congratulated Trump via intermediaries”"
    )
    page.get_by_label("Asserts", exact=True).check()
    page.get_by_role("button", name="Save highlight").click()
    expect(form).to_be_hidden()

    a = Annotation.objects.get()
    assert (a.start, a.end, a.exact, a.stance) == (start, end, quote, "asserts")
    assert a.claim.statement == "Putin congratulated Trump via intermediaries"
    marks = page.locator(f'#article-body mark[data-annotations~="{a.pk}"]')
    expect(marks).to_have_text(quote)
    panel = page.locator("#annotation-panel")
    group = panel.locator(f"#claim-group-{a.claim_id}")
    expect(group.locator(".claim-group-title")).to_have_text(a.claim.statement)
    expect(group.get_by_role("link", name="Open the claim")).to_have_attribute(
        "href", f"/desk/claims/{a.claim_id}/"
    )
    # The highlight is described by its claim and stance (aria-describedby → the panel).
    described = marks.first.get_attribute("aria-describedby")
    assert described == f"claim-name-{a.claim_id} stance-name-asserts"
    assert (
        page.evaluate(
            "ids => ids.split(' ').map(id => document.getElementById(id).textContent).join(', ')",
            described,
        )
        == f"{a.claim.statement}, stance: asserts"
    )
    # The page was not reloaded, and the text is still exactly the body.
    assert page.evaluate("document.getElementById('article-body').textContent") == online_ua.body


def test_a_selection_across_a_wrapped_line_keeps_the_offsets(page, login, editor, moscow_times):
    """A hard-wrapped file reads as flowing paragraphs — its soft line breaks are spaces on
    the screen — while the text under them is still the body, newlines and all: words
    selected across a wrapped line are saved as exactly that slice of the body."""
    body = moscow_times.body
    login(editor)
    page.goto(moscow_times.get_absolute_url())
    article = page.locator("#article-body")
    assert article.evaluate("e => e.textContent") == body
    shown = article.evaluate("e => e.innerText")  # the text as laid out
    assert (
        "Russian President Vladimir Putin does not plan to offer his congratulations to Donald "
        "Trump, Kremlin spokesman Dmitry Peskov said Wednesday, as the former U.S. president "
        "was on the cusp of securing a second term in the Oval Office.\n\n" in shown
    )
    assert "Putin Won’t Congratulate Trump Just\nYet, Top Spokesman Says\n" in shown  # header
    quote = "Donald Trump,\nKremlin spokesman Dmitry Peskov"
    start, end = drag_select(page, body, quote)
    assert page.evaluate("window.selectedAtMouseup").strip() == quote.replace("\n", " ")
    form = page.locator("#annotate-form")
    expect(form.locator("#annotate-quote")).to_have_text(quote.replace("\n", " "))
    assert form.locator("[name=exact]").input_value() == quote
    choose_claim_and_save(page, "Putin has no plans to congratulate Trump", "Attributes")
    a = Annotation.objects.get()
    assert (a.start, a.end, a.exact) == (start, end, quote) == (start, end, body[start:end])
    marks = page.locator(f'#article-body mark[data-annotations~="{a.pk}"]')
    assert "".join(marks.evaluate_all("ms => ms.map(m => m.textContent)")) == quote
    assert article.evaluate("e => e.textContent") == body
    assert article.locator(".soft-break").count() == 24  # as test_wrapping.py counts


def test_second_article_joins_an_existing_claim_via_type_ahead(page, login, editor, online_ua):
    claim = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    factories.AnnotationFactory(article=online_ua, claim=claim, quote="privately congratulated")
    caliber = factories.ArticleFactory(
        outlet=factories.OutletFactory(name="Caliber.az", domain="caliber.az"),
        body="Peskov: the Kremlin has no plans to congratulate Trump.\nHe denied any messages.",
    )
    login(editor)
    page.goto(caliber.get_absolute_url())
    drag_select(page, caliber.body, "the Kremlin has no plans to congratulate Trump")
    page.get_by_label("Claim", exact=True).fill("congratulated Trump")
    suggestion = page.get_by_role("option", name=re.compile("via intermediaries"))
    expect(suggestion).to_contain_text("appears in 1 outlet")
    suggestion.click()
    expect(page.locator("#annotate-form .claim-status")).to_contain_text("Existing claim")
    page.get_by_label("Disputes", exact=True).check()
    page.get_by_role("button", name="Save highlight").click()
    expect(page.locator("#annotate-form")).to_be_hidden()
    assert Claim.objects.count() == 1
    a = Annotation.objects.get(article=caliber)
    assert a.claim == claim and a.stance == "disputes"
    assert a.exact == "the Kremlin has no plans to congratulate Trump"


def test_overlapping_highlights_both_stay_visible(page, login, editor):
    article = factories.ArticleFactory(
        body="Putin congratulated Trump via intermediaries, a source said."
    )
    first = factories.AnnotationFactory(article=article, quote="Putin congratulated Trump")
    login(editor)
    page.goto(article.get_absolute_url())
    drag_select(page, article.body, "Trump via intermediaries")
    choose_claim_and_save(page, "Trump was congratulated through go-betweens", "Attributes")
    second = Annotation.objects.exclude(pk=first.pk).get()
    assert second.exact == "Trump via intermediaries"
    both = page.locator(f'#article-body mark[data-annotations="{first.pk} {second.pk}"]')
    expect(both).to_have_text("Trump")
    expect(both).to_have_class(re.compile(r"\bd2\b"))
    only_first = page.locator(f'mark[data-annotations="{first.pk}"]')
    expect(only_first).to_have_text("Putin congratulated ")
    expect(page.locator(f'mark[data-annotations="{second.pk}"]')).to_have_text(
        " via intermediaries"
    )
    # A selection inside an existing highlight works too.
    drag_select(page, article.body, "congratulated")
    choose_claim_and_save(page, "Putin sent congratulations", "Asserts")
    third = Annotation.objects.get(exact="congratulated")
    assert article.body[third.start : third.end] == "congratulated"


def test_emoji_and_cyrillic_offsets_select_the_same_words(page, login, editor):
    body = (
        "🇺🇦 Новини 😀😀 дня.\n\n"
        "За даними джерел, Путін привітав Трампа через посередників 🎉, але Кремль це заперечує.\n"
        "𝐁𝐨𝐥𝐝 text and more words."
    )
    article = factories.ArticleFactory(body=body, language="uk")
    login(editor)
    page.goto(article.get_absolute_url())
    drag_select(page, body, "Путін привітав Трампа через посередників 🎉")
    selected = page.evaluate("window.selectedAtMouseup").strip()
    assert selected == "Путін привітав Трампа через посередників 🎉"
    choose_claim_and_save(page, "Putin congratulated Trump via intermediaries", "Asserts")
    a = Annotation.objects.get()
    assert body[a.start : a.end] == selected
    drag_select(page, body, "text and more")
    choose_claim_and_save(page, "Another claim", "Attributes")
    b = Annotation.objects.get(claim__statement="Another claim")
    assert body[b.start : b.end] == "text and more"


def test_keyboard_selection(page, login, editor):
    article = factories.ArticleFactory(body="The Kremlin denied it on Thursday, said Peskov.")
    login(editor)
    page.goto(article.get_absolute_url())
    start = article.body.index("Kremlin")
    r = page.evaluate(CHAR_RECTS, [start, start + 1])
    page.mouse.click(r["x1"] - 1, r["y1"])  # caret just before "Kremlin"
    for _ in range(len("Kremlin denied")):
        page.keyboard.press("Shift+ArrowRight")
    form = page.locator("#annotate-form")
    expect(form).to_be_visible()
    expect(form.locator("#annotate-quote")).to_have_text("Kremlin denied")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Claim", exact=True)).to_be_focused()
    page.keyboard.type("The Kremlin denied the congratulations")
    page.get_by_label("Disputes", exact=True).check()
    page.get_by_role("button", name="Save highlight").click()
    expect(form).to_be_hidden()
    a = Annotation.objects.get()
    assert (a.exact, a.stance) == ("Kremlin denied", "disputes")
    assert article.body[a.start : a.end] == "Kremlin denied"


def test_escape_cancels_the_form(page, login, editor):
    article = factories.ArticleFactory()
    login(editor)
    page.goto(article.get_absolute_url())
    drag_select(page, article.body, "Kremlin denied")
    expect(page.locator("#annotate-form")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#annotate-form")).to_be_hidden()
    assert not Annotation.objects.exists()


def test_server_error_is_shown_in_the_form(page, login, editor):
    article = factories.ArticleFactory()
    login(editor)
    page.goto(article.get_absolute_url())
    drag_select(page, article.body, "Kremlin denied")
    page.get_by_label("Claim", exact=True).fill("A claim")
    page.get_by_label("Asserts", exact=True).check()
    # As if the text had changed since the page was loaded.
    page.evaluate("document.getElementById('annotate-exact').value = 'Kremlin denies'")
    page.get_by_role("button", name="Save highlight").click()
    expect(page.locator("#annotate-errors")).to_contain_text(
        "The selected words no longer match the article text; reload the page."
    )
    expect(page.locator("#annotate-form")).to_be_visible()
    assert not Annotation.objects.exists()
    # Chromium logs every refused request; this one was expected, nothing else may be there.
    expected = [p for p in page.problems if "status of 422" in p]
    assert len(expected) == 1
    page.problems.remove(expected[0])


def test_edit_stance_then_delete_with_confirmation(page, login, editor):
    article = factories.ArticleFactory()
    a = factories.AnnotationFactory(article=article, quote="Kremlin denied", stance="asserts")
    login(editor)
    page.goto(a.get_absolute_url())
    mark = page.locator(f'#article-body mark[data-annotations~="{a.pk}"]').first
    expect(mark).to_have_class(re.compile("flash"))
    mark.focus()
    page.keyboard.press("Enter")
    popover = page.locator("#desk-popover")
    expect(popover).to_contain_text(a.claim.statement)
    expect(popover).to_contain_text(a.author.username)
    popover.get_by_role("link", name="Edit").click()
    popover.get_by_label("Disputes", exact=True).check()
    popover.get_by_label("Note").fill("Peskov's *denial*")
    popover.get_by_role("button", name="Save changes").click()
    expect(popover).to_be_hidden()
    a.refresh_from_db()
    assert a.stance == "disputes" and "<em>denial</em>" in a.note_html
    expect(page.locator("#annotation-panel .panel-entry .badge.stance-disputes")).to_be_visible()

    page.locator(f'#article-body mark[data-annotations~="{a.pk}"]').first.click()
    popover.get_by_role("link", name="Delete").click()
    expect(popover.get_by_role("heading", name="Delete this highlight?")).to_be_visible()
    assert Annotation.objects.filter(pk=a.pk).exists()
    popover.get_by_role("button", name="Delete highlight").click()
    expect(page.locator("#article-body mark")).to_have_count(0)
    assert not Annotation.objects.filter(pk=a.pk).exists()

    # The panel says so, with an Undo that brings the same highlight back.
    notice = page.locator("#panel-notice")
    expect(notice).to_contain_text("deleted.")
    notice.get_by_role("button", name="Undo").click()
    expect(notice).to_have_text("Highlight brought back.")
    expect(page.locator("#article-body mark").first).to_be_visible()
    back = Annotation.objects.get()
    assert (back.claim_id, back.stance, back.start, back.end) == (
        a.claim_id,
        "disputes",
        a.start,
        a.end,
    )


def test_panel_entry_marks_its_words(page, login, reviewer):
    article = factories.ArticleFactory()
    a = factories.AnnotationFactory(article=article, quote="Kremlin denied")
    login(reviewer)
    page.goto(article.get_absolute_url())
    entry = page.locator(f'.panel-entry[data-annotation="{a.pk}"] .entry-quote')
    expect(entry).to_have_count(0)  # the panel lists claims, collapsed
    page.locator(f"#claim-group-{a.claim_id} .claim-group-counts").click()
    entry.focus()
    expect(page.locator(f'mark[data-annotations~="{a.pk}"]')).to_have_class(re.compile("is-active"))
    entry.click()
    expect(page.locator("#desk-popover")).to_contain_text(a.claim.statement)
    expect(page.locator("#desk-popover").get_by_role("link", name="Edit")).to_have_count(0)


def test_reviewer_sees_no_form_and_a_forged_post_is_refused(page, login, reviewer):
    article = factories.ArticleFactory()
    login(reviewer)
    page.goto(article.get_absolute_url())
    expect(page.locator("#article-body")).to_be_visible()
    expect(page.locator("#annotate-form")).to_have_count(0)
    drag_select(page, article.body, "Kremlin denied")
    expect(page.get_by_role("button", name="Save highlight")).to_have_count(0)
    headers = page.locator("body").get_attribute("data-hx-headers")
    token = re.search(r'"X-CSRFToken": "([^"]+)"', headers).group(1)
    start = article.body.index("Kremlin denied")
    response = page.context.request.post(
        f"/desk/articles/{article.pk}/annotations/",
        form={
            "start": str(start),
            "end": str(start + 14),
            "exact": "Kremlin denied",
            "stance": "asserts",
            "claim_text": "Forged",
        },
        headers={"X-CSRFToken": token, "HX-Request": "true", "Referer": page.url},
    )
    assert response.status == 403
    assert not Annotation.objects.exists() and not Claim.objects.exists()


def test_a_busy_article_panel_loads_on_demand_and_saves_swap_only_segments(page, login, editor):
    from claims.views.annotate import GROUPS_SHOWN

    paragraph = "Putin congratulated Trump via intermediaries, a source said. " * 40 + "\n\n"
    article = factories.ArticleFactory(body=paragraph * 20)
    claims = factories.ClaimFactory.create_batch(GROUPS_SHOWN + 5)
    step = len(article.body) // (len(claims) + 1)
    for i, claim in enumerate(claims):
        factories.AnnotationFactory(
            article=article,
            claim=claim,
            author=editor,
            start=i * step,
            end=i * step + 5,
            exact=article.body[i * step : i * step + 5],
        )
    login(editor)
    page.goto(article.get_absolute_url())
    groups = page.locator("#claim-groups details.claim-group")
    expect(groups).to_have_count(GROUPS_SHOWN)
    page.get_by_role("button", name=f"Show all {len(claims)} claims").click()
    expect(groups).to_have_count(len(claims))
    # A marker on the segment that the save must not touch tells a swap from a reload.
    page.evaluate("document.getElementById('seg-0').dataset.untouched = '1'")
    body = article.body
    start, end = drag_select(page, body, "a source said", occurrence=len(body) // 200)
    choose_claim_and_save(page, claims[-1].statement, "Disputes")
    a = Annotation.objects.get(start=start, end=end)
    expect(page.locator(f'#article-body mark[data-annotations~="{a.pk}"]')).to_have_text(
        "a source said"
    )
    assert page.evaluate("document.getElementById('seg-0').dataset.untouched") == "1"
    opened = page.locator(f"#claim-group-{claims[-1].pk}")
    expect(opened).to_have_attribute("open", "")
    expect(opened.locator(f'.panel-entry[data-annotation="{a.pk}"]')).to_be_visible()
    assert page.evaluate("document.getElementById('article-body').textContent") == body
