"""The worker's side: the periodic task queued once, and web imports resumed."""

import pytest

from articles.models import Article, ImportBatch, ImportRecord
from articles.tasks import worker_started
from tests.webfetch.conftest import bench_page
from webfetch.models import QueuedUrl
from webfetch.tasks import schedule_ensure, web_schedule

pytestmark = pytest.mark.django_db


def test_the_schedule_is_queued_once_with_the_database_backend(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    worker_started.send(sender=None)
    assert schedule_ensure() is False  # already queued
    waiting = DBTaskResult.objects.filter(task_path=web_schedule.module_path, status="READY")
    assert waiting.count() == 1


def test_the_immediate_backend_keeps_no_schedule():
    assert schedule_ensure() is False


def test_a_web_import_left_running_resumes_where_it_got_to(web, editor):
    first = web.route("/1", html=bench_page("en-wheat-prices"))
    second = web.route("/2", html=bench_page("uk-school-buses"))
    batch = ImportBatch.objects.create(via="web", user=editor, status="running", total=2)
    QueuedUrl.objects.create(batch=batch, position=0, url=first)
    QueuedUrl.objects.create(batch=batch, position=1, url=second)
    ImportRecord.objects.create(batch=batch, filename=first, outcome="failed", reason="stopped")
    ImportBatch.objects.filter(pk=batch.pk).update(failed=1)
    worker_started.send(sender=None)  # the tests' backend runs the resumed import at once
    batch.refresh_from_db()
    assert (batch.status, batch.imported, batch.failed) == ("done", 1, 1)
    assert [path for path, _ in web.requests] == ["/2"]
    assert Article.objects.get().source_url == second


def test_the_periodic_task_polls_due_feeds_and_checks_published_evidence(web, editor):
    from articles.models import Outlet
    from tests.claims.helpers import publish
    from webfetch.models import EvidenceCheck, Feed

    page = web.route("/a", html=bench_page("en-harbour-bridge"))
    item = f"<item><link>{page}</link></item>"
    rss = f'<rss version="2.0"><channel><title>x</title>{item}</channel></rss>'
    web.route("/rss", body=rss.encode(), headers={"Content-Type": "application/rss+xml"})
    outlet = Outlet.objects.create(name="Herald", domain="coastalherald.example")
    Feed.objects.create(outlet=outlet, url=web.url("/rss"), added_by=editor)
    gone = web.route("/gone", status=404, body=b"", headers={"Content-Type": "text/html"})
    publish(evidence=[{"url": gone, "title": "Gone"}])
    web_schedule.call()
    assert Article.objects.get().source_url == page
    assert Feed.objects.get().last_success_at is not None
    assert EvidenceCheck.objects.get(url=gone).dead
