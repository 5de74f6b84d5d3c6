"""Add from the web in a real browser: an editor pastes two addresses, watches the import's
progress as the worker reads them, opens the new article and highlights a claim in it."""

import threading

import pytest
from django.db import connection
from playwright.sync_api import expect

from articles.models import Article, ImportBatch
from claims.models import Annotation
from tests.e2e.test_annotate import choose_claim_and_save, drag_select
from tests.webfetch.conftest import bench_page
from tests.webfetch.server import LocalWeb, Route
from webfetch.services import web_batch_run
from webfetch.tasks import web_import

pytestmark = pytest.mark.browser


@pytest.fixture
def web(settings):
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = True
    # The database's task queue, as in production: the import waits for a worker.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    server = LocalWeb()
    yield server
    server.close()


def test_an_editor_adds_two_pages_and_annotates_one(page, login, editor, web):
    from django_tasks_db.models import DBTaskResult

    first = web.route("/harbour", html=bench_page("en-harbour-bridge"))
    second_page = bench_page("en-clinic-waiting").encode()
    release = threading.Event()

    def slow(handler):  # the second page answers only when the test lets it
        release.wait(30)
        return Route(200, second_page, {"Content-Type": "text/html; charset=utf-8"})

    web.routes["/clinics"] = slow
    second = web.url("/clinics")

    login(editor)
    page.goto("/desk/")
    page.get_by_role("link", name="Add from the web").click()
    page.get_by_label("Addresses of articles").fill(f"{first}\n{second}")
    page.get_by_role("button", name="Add articles").click()

    progress = page.locator(".web-import-progress")
    expect(progress).to_contain_text("Waiting for the background worker")
    expect(progress).to_contain_text("Pages done: 0 of 2")
    expect(page.locator(".web-import-results .outcome-waiting")).to_have_count(2)
    batch = ImportBatch.objects.get()
    queued = DBTaskResult.objects.get(task_path=web_import.module_path, status="READY")
    assert queued.args_kwargs["args"] == [batch.pk]

    # The worker's task, in a thread (what `manage.py worker` runs for the queued task).
    def worker():
        try:
            web_batch_run(batch.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        # The page reloads itself every 2 seconds and shows each page as it is done.
        expect(progress).to_contain_text("Pages done: 1 of 2", timeout=15_000)
        expect(page.locator(".web-import-results .outcome-imported")).to_have_count(1)
        expect(page.locator(".web-import-results .outcome-waiting")).to_have_count(1)
    finally:
        release.set()
        thread.join(30)
    expect(progress.get_by_role("status")).to_have_text(
        "2 imported, 0 duplicates, 0 failed.", timeout=15_000
    )
    expect(page.locator("#web-progress")).to_have_attribute("value", "2")

    harbour = Article.objects.get(source_url=first)
    page.get_by_role("link", name=harbour.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(harbour.title)
    page.wait_for_load_state("load")  # the desk's modules have run (they load after the text)
    quote = "at least £48 million"
    start, _ = drag_select(page, harbour.body, quote)
    expect(page.locator("#annotate-form")).to_be_visible()
    choose_claim_and_save(page, "Harbour Bridge repairs will cost £48 million", "Asserts")
    annotation = Annotation.objects.get()
    assert (annotation.article, annotation.exact, annotation.start) == (harbour, quote, start)
