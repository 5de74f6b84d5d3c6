"""Layout in a real browser: the desk's tables on a phone (one card per row, nothing
scrolling sideways, every action in sight), the cards' first lines (no blank band) and the
site header on a phone (two short rows, every menu entry reachable)."""

import pytest
from playwright.sync_api import expect

from claims.models import Rating, Status, Verdict
from claims.services import verdicts
from tests import factories
from tests.claims.helpers import publish

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTH = 390
CHANGE_REQUEST = (
    "Rating 'True' for a denial is confusing — say what exactly is true, and add the Moscow "
    "Times link before this goes out."
)
OUTLETS = ["Caliber.az", "CNBC", "gazzeta.in.ua", "online.ua", "The Moscow Times"]


@pytest.fixture
def desk():
    """Five outlets' articles, a claim whose verdict came back with a request for changes
    and is waiting for review again, and the reviewer who may review it."""
    editor = factories.EditorFactory(username="eva")
    reviewer = factories.ReviewerFactory(username="rui")
    other_reviewer = factories.ReviewerFactory(username="ria")
    claim = factories.ClaimFactory(
        statement="Putin has no immediate plans to congratulate Trump", claimant="Dmitry Peskov"
    )
    for name in OUTLETS:
        article = factories.ArticleFactory(
            outlet=factories.OutletFactory(name=name),
            title=f"Kremlin says Putin has no immediate plans to congratulate Trump ({name})",
        )
        factories.AnnotationFactory(claim=claim, article=article, author=editor)
    fields = {"rating": Rating.TRUE, "summary": "Peskov said so on 6 November.", "evidence": []}
    verdict = verdicts.verdict_save_and_submit(claim=claim, user=editor, version=None, **fields)
    verdicts.verdict_request_changes(
        verdict=verdict, user=other_reviewer, version=verdict.version, comment=CHANGE_REQUEST
    )
    verdict.refresh_from_db()
    verdicts.verdict_save_and_submit(claim=claim, user=editor, version=verdict.version, **fields)
    assert Verdict.objects.get(pk=verdict.pk).status == Status.SUBMITTED
    return {"editor": editor, "reviewer": reviewer, "claim": claim}


def _inside_the_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH


def _overflowing(page) -> list[str]:
    """The page's own sideways scroll, and any table wider than the box it sits in (a
    table scrolling or clipped inside its own box hides columns just the same)."""
    return page.evaluate(
        """() => {
          const found = [];
          const root = document.documentElement;
          if (root.scrollWidth > root.clientWidth) found.push('page ' + root.scrollWidth);
          for (const el of document.querySelectorAll('main table, main .review-scroll')) {
            const box = el.getBoundingClientRect();
            if (el.scrollWidth > el.clientWidth + 1 || box.right > root.clientWidth + 1)
              found.push(el.className + ' ' + el.scrollWidth + '/' + el.clientWidth);
          }
          return found;
        }"""
    )


def test_desk_tables_read_on_a_phone(phone, login, desk):
    login(desk["reviewer"], phone)

    # The claim page: the reviewer's request for changes is read in full in the history.
    phone.goto(f"/desk/claims/{desk['claim'].pk}/")
    assert _overflowing(phone) == []
    comment = phone.locator("table.history td", has_text="Moscow Times link")
    expect(comment).to_be_visible()
    assert _inside_the_screen(phone, comment)
    expect(comment).to_have_attribute("data-label", "Comment")
    for name in ["Approve", "Request changes"]:
        button = phone.locator(".review-form").get_by_role("button", name=name)
        expect(button).to_be_visible()
        assert _inside_the_screen(phone, button), name

    # The review grid: the row's actions and every outlet's stance, without scrolling.
    phone.goto("/desk/review/")
    assert _overflowing(phone) == []
    row = phone.locator(f"#review-row-{desk['claim'].pk}")
    approve = row.get_by_role("button", name="Approve")
    request = row.get_by_text("Request changes")
    for control in [approve, request]:
        expect(control).to_be_visible()
        assert _inside_the_screen(phone, control)
    for outlet in OUTLETS:
        cell = row.locator(f'td[data-label="{outlet}"]')
        expect(cell).to_contain_text("asserts ×1")
        assert _inside_the_screen(phone, cell)
    request.click()
    send = row.get_by_role("button", name="Send request")
    expect(send).to_be_visible()
    assert _inside_the_screen(phone, send)
    assert _overflowing(phone) == []

    # The desk's article list: every column's value, under its name.
    login(desk["editor"], phone)
    phone.goto("/desk/")
    assert _overflowing(phone) == []
    first = phone.locator("table.desk-articles tbody tr").first
    for label in ["Outlet", "Published", "Annotations"]:
        cell = first.locator(f'td[data-label="{label}"]')
        expect(cell).to_be_visible()
        assert _inside_the_screen(phone, cell), label

    # The claims list too.
    phone.goto("/desk/claims/")
    assert _overflowing(phone) == []
    verdict = phone.locator('table.claims-table td[data-label="Verdict"]').first
    expect(verdict).to_contain_text("Submitted")
    assert _inside_the_screen(phone, verdict)


def test_desktop_tables_keep_their_columns(page, login, desk):
    """Above the phone breakpoint the tables stay tables, with their header row."""
    login(desk["reviewer"])
    page.goto("/desk/review/")
    expect(page.locator(".review-table thead")).to_be_visible()
    assert (
        page.locator(".review-table tbody tr").first.evaluate("tr => getComputedStyle(tr).display")
        == "table-row"
    )


def _gap_above_first_line(page, card) -> float:
    """Pixels between a card's top border and its first element's box."""
    return card.evaluate(
        """card => {
          const first = [...card.children].find(el => el.type !== 'hidden');
          return first.getBoundingClientRect().top - card.getBoundingClientRect().top;
        }"""
    )


def test_cards_start_with_their_heading(page, login, desk):
    """No blank band above a card's heading (QA: "Possible duplicates", "Public page", the
    merge confirmation): only the card's own padding (1rem)."""
    reviewer = desk["reviewer"]
    published = publish(
        factories.ClaimFactory(statement="Putin has no plans to congratulate Trump at all")
    ).claim
    factories.AnnotationFactory(claim=published)
    login(reviewer)
    page.goto(f"/desk/claims/{published.pk}/")
    for selector in [".duplicates", ".publication"]:
        card = page.locator(selector)
        expect(card).to_be_visible()
        assert _gap_above_first_line(page, card) <= 18, selector
    page.goto(f"/desk/claims/{desk['claim'].pk}/merge/?into={published.pk}")
    card = page.locator(".merge-confirm")
    expect(card).to_be_visible()
    assert _gap_above_first_line(page, card) <= 18


# How much of the element's width is in clear sight: inside the window and inside every box
# that clips it, out of a scrolling box's scroll-padding (the menu's faded end).
_SHOWN = """el => {
  const box = el.getBoundingClientRect();
  let [left, right] = [Math.max(box.left, 0), Math.min(box.right, innerWidth)];
  for (let up = el.parentElement; up; up = up.parentElement) {
    const style = getComputedStyle(up);
    if (style.overflowX === 'visible') continue;
    const clip = up.getBoundingClientRect();
    left = Math.max(left, clip.left + (parseFloat(style.scrollPaddingLeft) || 0));
    right = Math.min(right, clip.right - (parseFloat(style.scrollPaddingRight) || 0));
  }
  return Math.max(0, right - left) / box.width;
}"""
WHOLLY = 0.98  # a scroll position is whole pixels
HEADER_LINKS = ["Desk", "Claims", "Review", "Activity", "Fact checks", "About", "Admin"]


@pytest.mark.parametrize("path", ["/", "/uk/"])
def test_the_public_header_keeps_the_language_switch_beside_the_account_on_a_phone(phone, path):
    """QA: on a 390 px phone the language link took a third row of its own. It now sits on
    the first row, after the account; the header stays two rows and nothing overflows."""
    phone.goto(path)
    assert phone.locator(".site-header").bounding_box()["height"] <= 90
    switch, account = phone.locator(".language-switch"), phone.locator(".nav-user")
    expect(switch).to_be_visible()
    assert abs(switch.bounding_box()["y"] - account.bounding_box()["y"]) < 12  # one row
    assert _inside_the_screen(phone, switch) and switch.evaluate(_SHOWN) >= WHOLLY
    assert _overflowing(phone) == []


def test_the_signed_in_header_is_compact_on_a_phone(phone, new_page, login):
    """QA: on a 390 px phone the signed-in header wrapped to about 150 px. Now it is two short
    rows: the name and the account, then the menu, which scrolls sideways (its right edge
    fading out). Every entry is reached, wholly in clear sight: by Tab (the focused entry is
    the menu's one snap point: Chromium scrolls no further for an entry the edge only cuts)
    and by a finger scrolling the menu. The page never scrolls sideways."""
    user = factories.ReviewerFactory(username="reviewer-with-a-long-name", is_staff=True)
    login(user, phone)
    phone.goto("/desk/")
    header = phone.locator(".site-header")
    assert header.bounding_box()["height"] <= 90
    assert _overflowing(phone) == []
    menu = phone.locator(".nav-links")
    assert menu.evaluate("ul => ul.scrollWidth > ul.clientWidth")  # it does scroll
    # ... but the desk's own entries come first: a reviewer sees Review without scrolling.
    for name in ["Desk", "Claims", "Review"]:
        assert menu.get_by_role("link", name=name).evaluate(_SHOWN) >= WHOLLY, name
    for control in [phone.locator(".brand"), phone.get_by_role("button", name="Sign out")]:
        expect(control).to_be_visible()
        assert _inside_the_screen(phone, control)
        assert control.evaluate(_SHOWN) >= WHOLLY
    phone.locator(".brand").focus()
    for name in [*HEADER_LINKS, "Sign out"]:
        phone.keyboard.press("Tab")
        focused = phone.locator(":focus")
        expect(focused).to_have_text(name)
        assert focused.evaluate(_SHOWN) >= WHOLLY, name
        box = focused.bounding_box()
        assert box["y"] + box["height"] <= header.bounding_box()["height"], name
    for name in HEADER_LINKS:
        link = menu.get_by_role("link", name=name)
        link.evaluate("a => a.scrollIntoView({block: 'nearest', inline: 'nearest'})")
        assert link.evaluate(_SHOWN) >= WHOLLY, name
    assert phone.evaluate("scrollY") == 0 and _overflowing(phone) == []

    # On a desktop the header is one row with every entry in sight, nothing scrolling.
    page = new_page(viewport={"width": 1280, "height": 800})
    login(user, page)
    page.goto("/desk/")
    assert page.locator(".site-header").bounding_box()["height"] <= 60
    assert page.locator(".nav-links").evaluate("ul => ul.scrollWidth <= ul.clientWidth")
    for name in HEADER_LINKS:
        assert page.locator(".nav-links").get_by_role("link", name=name).evaluate(_SHOWN) == 1
