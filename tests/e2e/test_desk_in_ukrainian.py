"""An editor whose language is Ukrainian annotates an article in a real browser and reads
every message in Ukrainian: the hint, the form, the type-ahead's status and the length
counter (static/js through the JavaScript catalogue), a refusal from the server, the
discard question, the deletion's confirmation and its notice with Undo (issue 20).

The language is the desk member's preference (their preferences page's field, copied into
the session at sign-in), and the browser asks for English (its context's locale, en-US,
sends Accept-Language): the preference wins. The 320 px screenshots of the desk pages in
Ukrainian are written to ``DESK_UK_SCREENSHOTS`` (a directory) when it is set, to be
looked at.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims.models import Annotation, Claim, Rating, Stance
from claims.services import verdicts
from claims.services.preferences import notification_preference_set
from tests import factories
from tests.e2e.test_annotate import drag_select
from tests.i18n.test_desk_in_ukrainian import english_left

pytestmark = pytest.mark.browser

BODY = (
    "Президент Росії Путін привітав Трампа з перемогою на виборах через знайомих. Про це "
    "повідомило видання з посиланням на джерела. Речник Кремля Пєсков заперечив, що "
    "привітання було: за його словами, Путін не планує вітати Трампа до інавгурації."
)
QUOTE = "Путін привітав Трампа з перемогою"


@pytest.fixture
def ukrainian_page(new_page, login):
    def _page(user, **options):
        notification_preference_set(user=user, email=True, language="uk")
        page = login(user, page=new_page(locale="en-US", **options))
        return page

    return _page


@pytest.fixture
def article(db):
    return factories.ArticleFactory(
        outlet=factories.OutletFactory(name="Українська правда", domain="pravda.com.ua"),
        title="Путін привітав Трампа через знайомих",
        language="uk",
        body=BODY,
    )


def test_an_editor_annotates_in_ukrainian(ukrainian_page, article):
    editor = factories.EditorFactory(username="редакторка")
    page = ukrainian_page(editor)
    page.goto(article.get_absolute_url())
    expect(page.locator("#annotate-hint")).to_contain_text("Виділіть слова в тексті мишею")

    drag_select(page, article.body, QUOTE)
    form = page.locator("#annotate-form")
    expect(form).to_be_visible()
    expect(form.get_by_role("heading", name="Прив’язати до твердження")).to_be_visible()
    claim = form.get_by_label("Твердження", exact=True)

    # The script's own words: the claim's status, then the length counter with its plural.
    claim.fill("Путін привітав Трампа")
    expect(form.locator(".claim-status")).to_have_text("Нове твердження: «Путін привітав Трампа»")
    claim.fill("Т" * 503)
    expect(form.locator(".claim-count")).to_have_text(
        "503 з 500 символів: на 3 символи забагато. Скоротіть твердження, щоб зберегти його."
    )
    # The server's refusal, beside the Save button.
    form.get_by_label("Стверджує", exact=True).check()
    form.get_by_role("button", name="Зберегти виділення").click()
    expect(form.locator(".form-errors")).to_contain_text(
        "Переконайтеся, що це значення містить не більше ніж 500 символів (зараз 503)."
    )
    assert not Annotation.objects.exists()
    # Chromium logs every refused request; this one was expected, nothing else may be there.
    expected = [p for p in page.problems if "status of 422" in p]
    assert len(expected) == 1
    page.problems.remove(expected[0])

    # Saved: the panel names the stance in Ukrainian.
    claim.fill("Путін привітав Трампа з перемогою")
    expect(form.locator(".claim-status")).to_have_text(
        "Нове твердження: «Путін привітав Трампа з перемогою»"
    )
    form.get_by_role("button", name="Зберегти виділення").click()
    expect(form).to_be_hidden(timeout=20_000)  # a new claim: the radar scans for it too
    a = Annotation.objects.get()
    assert (a.exact, a.stance, a.claim.statement) == (
        QUOTE,
        Stance.ASSERTS,
        "Путін привітав Трампа з перемогою",
    )
    panel = page.locator("#annotation-panel")
    expect(
        panel.locator(f"#claim-group-{a.claim_id} .claim-group-counts .badge.stance-asserts")
    ).to_have_text("Стверджує 1")
    expect(panel.get_by_role("link", name="Відкрити твердження")).to_be_visible()

    # Cancelling a typed highlight asks first.
    drag_select(page, article.body, "Пєсков заперечив")
    form.get_by_label("Твердження", exact=True).fill("Пєсков заперечив привітання")
    form.get_by_role("button", name="Скасувати").click()
    prompt = form.get_by_role("alertdialog", name="Відкинути це виділення?")
    expect(prompt).to_be_visible()
    prompt.get_by_role("button", name="Відкинути").click()
    expect(form).to_be_hidden()

    # Deleting: the confirmation, then the notice with its Undo.
    page.locator(f'#article-body mark[data-annotations~="{a.pk}"]').first.click()
    popover = page.locator("#desk-popover")
    expect(popover.get_by_role("heading", name="Виділення")).to_be_visible()
    popover.get_by_role("link", name="Видалити").click()
    expect(popover.get_by_role("heading", name="Видалити це виділення?")).to_be_visible()
    popover.get_by_role("button", name="Видалити виділення").click()
    notice = page.locator("#panel-notice")
    expect(notice).to_contain_text(f"Виділення «{QUOTE}» видалено.")
    notice.get_by_role("button", name="Скасувати").click()
    expect(notice).to_have_text("Виділення повернуто.")
    assert Annotation.objects.count() == 1 and Claim.objects.count() == 1

    # And nothing English is left on the page as the editor leaves it.
    names = [editor.username]
    assert english_left(page.content(), names=names) == []


# The innermost elements reaching past the viewport's right edge (what to fix).
# Part 1's regions (the spread timeline's chart) are left out, as in the text check.
TOO_WIDE = """[...document.querySelectorAll('main *')]
  .filter(e => !e.closest('section.spread, section#radar'))
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > innerWidth + 1))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 40))"""

DESK_PAGES = ["desk", "article", "claim", "claim_list", "review", "activity", "correction"]


def test_desk_pages_hold_at_320_px_in_ukrainian(ukrainian_page, article):
    """Nothing of the desk's own reaches past a 320 px phone: Ukrainian's longer words wrap
    (the spread chart, part 1's, is measured by its own tests). Screenshots go to
    DESK_UK_SCREENSHOTS when it is set."""
    editor = factories.EditorFactory(username="редакторка")
    reviewer = factories.ReviewerFactory(username="рецензент")
    claim = factories.ClaimFactory(statement="Путін привітав Трампа з перемогою на виборах")
    factories.AnnotationFactory(article=article, claim=claim, author=editor, quote=QUOTE)
    draft = verdicts.verdict_save(
        claim=claim,
        user=editor,
        rating=Rating.MOSTLY_FALSE,
        summary="Кремль заперечив привітання; джерела видання не названо.",
        evidence=[],
        version=None,
    )
    verdicts.verdict_submit(verdict=draft, user=editor, version=draft.version)
    urls = {
        "desk": "/desk/",
        "article": article.get_absolute_url(),
        "claim": f"/desk/claims/{claim.pk}/",
        "claim_list": "/desk/claims/",
        "review": "/desk/review/?status=all",
        "activity": "/desk/activity/",
        "correction": reverse("article_correct", args=[article.pk]),
    }
    shots = os.environ.get("DESK_UK_SCREENSHOTS")
    wide = {}
    for name in DESK_PAGES:
        user = reviewer if name == "review" else editor
        page = ukrainian_page(user, viewport={"width": 320, "height": 700})
        page.goto(urls[name])
        assert page.locator("main").inner_text().strip()
        if too_wide := page.evaluate(TOO_WIDE):
            wide[name] = too_wide
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{shots}/{name}.png", full_page=True)
    assert wide == {}, wide
