"""Add from the web in a real browser: an editor pastes two addresses, sees the import's
progress, opens the new article and highlights a claim in it."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from claims.models import Annotation
from tests.e2e.test_annotate import choose_claim_and_save, drag_select
from tests.webfetch.conftest import bench_page
from tests.webfetch.server import LocalWeb

pytestmark = pytest.mark.browser


@pytest.fixture
def web(settings):
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = True
    server = LocalWeb()
    yield server
    server.close()


def test_an_editor_adds_two_pages_and_annotates_one(page, login, editor, web):
    first = web.route("/harbour", html=bench_page("en-harbour-bridge"))
    second = web.route("/clinics", html=bench_page("en-clinic-waiting"))
    login(editor)
    page.goto("/desk/")
    page.get_by_role("link", name="Add from the web").click()
    page.get_by_label("Addresses of articles").fill(f"{first}\n{second}")
    page.get_by_role("button", name="Add articles").click()

    progress = page.locator(".web-import-progress")
    expect(progress.get_by_role("status")).to_have_text("2 imported, 0 duplicates, 0 failed.")
    expect(progress).to_contain_text("Pages done: 2 of 2")
    expect(page.locator("#web-progress")).to_have_attribute("value", "2")
    harbour = Article.objects.get(source_url=first)
    link = page.get_by_role("link", name=harbour.title)
    expect(page.locator(".web-import-results li")).to_have_count(2)

    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(harbour.title)
    quote = "at least £48 million"
    start, end = drag_select(page, harbour.body, quote)
    expect(page.locator("#annotate-form")).to_be_visible()
    choose_claim_and_save(page, "Harbour Bridge repairs will cost £48 million", "Asserts")
    annotation = Annotation.objects.get()
    assert (annotation.article, annotation.exact, annotation.start) == (harbour, quote, start)
