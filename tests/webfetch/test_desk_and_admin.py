"""The desk's "Add from the web" and the admin's import from the web: one service, the
same rule, the background worker (run at once by the tests' task backend)."""

import pytest

from articles.models import Article, ImportBatch
from tests import factories
from tests.webfetch.conftest import bench_page
from webfetch.models import QueuedUrl

pytestmark = pytest.mark.django_db


def test_an_editor_adds_two_pages_and_sees_each_outcome(
    web, editor_client, django_capture_on_commit_callbacks
):
    first = web.route("/one", html=bench_page("en-harbour-bridge"))
    second = web.route("/two", html=bench_page("uk-school-buses"))
    page = editor_client.get("/desk/web/")
    assert page.status_code == 200 and b"Addresses of articles" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post("/desk/web/", {"urls": f"{first}\n\n  {second}\n{first}"})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/web/imports/{batch.pk}/"
    assert (batch.via, batch.total) == ("web", 2)  # the repeated address is asked for once
    progress = editor_client.get(response["Location"]).content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.imported) == ("done", 2)
    assert "Pages done: 2 of 2" in progress
    for article in Article.objects.all():
        assert f'href="/desk/articles/{article.pk}/"' in progress
    assert 'http-equiv="refresh"' not in progress  # finished: no more reloading
    assert not QueuedUrl.objects.exists()  # the worker's list is gone once done


def test_a_running_import_reloads_and_lists_what_waits(editor, editor_client):
    batch = ImportBatch.objects.create(via="web", user=editor, status="running", total=2)
    QueuedUrl.objects.create(batch=batch, position=0, url="https://example.org/a")
    QueuedUrl.objects.create(batch=batch, position=1, url="https://example.org/b")
    page = editor_client.get(f"/desk/web/imports/{batch.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page
    assert "Pages done: 0 of 2" in page
    # Picked up by a worker: said so, one page being read and the other next, never
    # "waiting for the worker" (issue 25).
    assert '<h2 id="progress-heading">Running</h2>' in page
    assert page.count("Reading now</span>") == 1 and page.count("Next in line</span>") == 1
    assert "Waiting for the" not in page and "may not be running" not in page


def test_a_queued_import_says_it_waits_and_hints_when_no_worker_takes_it(editor, editor_client):
    from datetime import timedelta

    from django.utils import timezone

    batch = ImportBatch.objects.create(via="web", user=editor, total=2)
    QueuedUrl.objects.create(batch=batch, position=0, url="https://example.org/a")
    QueuedUrl.objects.create(batch=batch, position=1, url="https://example.org/b")
    url = f"/desk/web/imports/{batch.pk}/"
    page = editor_client.get(url).content.decode()
    assert '<h2 id="progress-heading">Waiting for the worker</h2>' in page
    assert page.count("Waiting for the worker</span>") == 2
    assert "Reading now" not in page and "may not be running" not in page
    # Nobody took it for three minutes: the worker may not be running.
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=timezone.now() - timedelta(minutes=3))
    page = editor_client.get(url).content.decode()
    assert "No worker has picked this import up for 3\xa0minutes" in page
    assert "the worker may not be running" in page
    # Taken, then quiet for ten minutes: the worker seems to have stopped.
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="running", progress_at=timezone.now() - timedelta(minutes=10)
    )
    page = editor_client.get(url).content.decode()
    assert "may not be running" not in page
    assert "No progress for 10\xa0minutes: the worker seems to have stopped" in page


def test_lines_that_are_not_web_addresses_change_nothing(editor_client):
    response = editor_client.post(
        "/desk/web/", {"urls": "https://example.org/ok\nfile:///etc/passwd\njavascript:alert(1)"}
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "Only http:// and https:// addresses can be imported" in text
    assert "file:///etc/passwd" in text  # what was typed is kept
    assert not ImportBatch.objects.exists() and not QueuedUrl.objects.exists()


def test_too_many_addresses_are_refused(editor_client):
    urls = "\n".join(f"https://example.org/{n}" for n in range(51))
    response = editor_client.post("/desk/web/", {"urls": urls})
    assert response.status_code == 422
    assert "At most 50 addresses at a time (51 given)." in response.content.decode()


def test_only_editors_add_from_the_web(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/desk/web/").status_code == 403
    assert client.post("/desk/web/", {"urls": "https://example.org/"}).status_code == 403
    assert not ImportBatch.objects.exists()


def test_the_service_refuses_users_without_the_role(reviewer):
    from factcheck.errors import NotAllowed
    from webfetch.tasks import web_import_queue

    with pytest.raises(NotAllowed):
        web_import_queue(urls=["https://example.org/"], user=reviewer)
    assert not ImportBatch.objects.exists()


def test_the_desk_links_to_add_from_the_web(editor_client):
    page = editor_client.get("/desk/").content.decode()
    assert 'href="/desk/web/"' in page and 'href="/desk/feeds/"' in page


def test_an_admin_imports_from_the_web(web, admin_client, django_capture_on_commit_callbacks):
    url = web.route("/a", html=bench_page("ru-budget-analysis"))
    assert admin_client.get("/admin/webfetch/queuedurl/add/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/webfetch/queuedurl/add/", {"urls": url})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/articles/importbatch/{batch.pk}/change/"
    batch.refresh_from_db()
    assert batch.imported == 1
    assert Article.objects.get().outlet.domain == "delovoy-obzor.example"
    page = admin_client.get(response["Location"]).content.decode()
    assert "1 imported, 0 duplicates, 0 failed." in page


def test_staff_without_the_import_permission_cannot_import(client):
    staff = factories.UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/webfetch/queuedurl/add/").status_code == 403
