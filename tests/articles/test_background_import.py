"""Admin uploads run in the background: queued at once, run by the worker with progress,
resumed after a stopped worker, failed with what was done after an error; memory bounded."""

import tracemalloc
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from articles import importing
from articles.models import Article, ImportBatch, ImportUpload
from articles.tasks import STALE_AFTER, batches_resume, import_batch
from tests.articles.helpers import RUSSIAN, UKRAINIAN

IMPORT_URL = "/admin/articles/article/import/"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

FILES = [
    ("one.txt", b"First headline here\n\nFirst body of text."),
    ("two.txt", RUSSIAN.encode("cp1251")),
    ("three.txt", UKRAINIAN.encode("utf-8")),
]


def uploads():
    return [SimpleUploadedFile(name, data) for name, data in FILES]


def batch_page(client, batch):
    return client.get(f"/admin/articles/importbatch/{batch.pk}/change/").text


def stored_batch(admin_user) -> ImportBatch:
    """A batch as the admin upload leaves it: queued, its files stored."""
    batch = ImportBatch.objects.create(via=ImportBatch.Via.ADMIN, user=admin_user)
    for position, (name, data) in enumerate(FILES):
        ImportUpload.objects.create(
            batch=batch, position=position, name=name, file=SimpleUploadedFile(name, data)
        )
    return batch


# Transactional: the worker closes its database connection between tasks, as a real one does.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_upload_returns_at_once_and_the_worker_imports(admin_client, media_root):
    response = admin_client.post(IMPORT_URL, {"files": uploads()})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == "queued" and not Article.objects.exists()
    assert len(list(media_root.rglob("*.txt"))) == 3  # stored for the worker
    page = batch_page(admin_client, batch)
    assert "Waiting for the background worker" in page
    assert '<meta http-equiv="refresh" content="3">' in page

    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.imported, batch.failed) == ("done", 3, 3, 0)
    assert batch.finished_at is not None
    assert Article.objects.count() == 3
    assert not list(media_root.rglob("*.txt"))  # deleted once imported
    page = batch_page(admin_client, batch)
    assert "Files done: 3 of 3" in page
    assert '<progress id="import-progress-bar" max="3" value="3">' in page
    assert 'http-equiv="refresh"' not in page


def test_a_queued_batch_hints_when_no_worker_picks_it_up(admin_client, admin_user):
    batch = stored_batch(admin_user)
    page = batch_page(admin_client, batch)
    assert "Waiting for the background worker to pick it up" in page
    assert "may not be running" not in page and "A worker is importing it" not in page
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=timezone.now() - timedelta(minutes=2))
    page = batch_page(admin_client, batch)
    assert "No worker has picked this import up for 2\xa0minutes" in page
    assert "the worker may not be running" in page
    # Picked up: running, said as such, and no hint.
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", progress_at=timezone.now())
    page = batch_page(admin_client, batch)
    assert "A worker is importing it" in page
    assert "Waiting for the background worker" not in page and "may not be running" not in page


def test_the_batch_page_shows_progress_while_running(admin_client, admin_user):
    batch = stored_batch(admin_user)
    batch.status, batch.total, batch.imported = "running", 3, 1
    batch.progress_at = timezone.now()
    batch.save()
    page = batch_page(admin_client, batch)
    assert "Files done: 1 of 3" in page
    assert '<progress id="import-progress-bar" max="3" value="1">' in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "seems to have stopped" not in page
    # No sign of life for ten minutes: said plainly.
    batch.progress_at = timezone.now() - timedelta(minutes=10)
    batch.save()
    assert "seems to have stopped" in batch_page(admin_client, batch)


def test_a_batch_stopped_midway_resumes_where_it_got_to(admin_user, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_FILES", 1)  # each file stored on its own
    batch = stored_batch(admin_user)
    real = importing._decode
    calls = []

    def killed_on_the_second_file(source):
        calls.append(source.name)
        if len(calls) == 2:
            raise SystemExit(1)  # the worker stopped (a second Ctrl-C, SIGTERM)
        return real(source)

    with (
        mock.patch.object(importing, "_decode", killed_on_the_second_file),
        pytest.raises(SystemExit),
    ):
        import_batch.call(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "running" and batch.done == 1 and batch.total == 3
    assert batch.uploads.count() == 3  # kept for the next worker

    # A worker that is alive keeps it: it made progress a moment ago.
    assert batches_resume() == []
    # Quiet for STALE_AFTER: its worker is gone, and the next worker to look takes it back
    # (queued again and, here, finished at once).
    quiet = timezone.now() - STALE_AFTER - timedelta(seconds=1)
    ImportBatch.objects.filter(pk=batch.pk).update(progress_at=quiet)
    assert batches_resume() == [batch.pk]
    batch.refresh_from_db()
    assert (batch.status, batch.imported, batch.duplicates, batch.failed) == ("done", 3, 0, 0)
    assert list(batch.records.values_list("filename", flat=True)) == [n for n, _ in FILES]
    assert Article.objects.count() == 3
    assert not batch.uploads.exists()


def test_files_imported_before_are_duplicates_not_second_articles(admin_user):
    # Idempotent per file: the content hash keeps a re-run from storing an article twice.
    import_batch.call(stored_batch(admin_user).pk)
    again = stored_batch(admin_user)
    import_batch.call(again.pk)
    again.refresh_from_db()
    assert (again.imported, again.duplicates) == (0, 3)
    assert Article.objects.count() == 3


def test_an_error_midway_fails_the_batch_saying_what_was_done(
    admin_client, admin_user, monkeypatch
):
    monkeypatch.setattr(importing, "CHUNK_FILES", 1)
    batch = stored_batch(admin_user)
    real = importing._decode

    def broken_on_the_third_file(source):
        if source.name == "three.txt":
            raise RuntimeError("disk on fire")
        return real(source)

    with (
        mock.patch.object(importing, "_decode", broken_on_the_third_file),
        pytest.raises(RuntimeError),
    ):
        import_batch.call(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.finished_at is not None
    assert batch.error.startswith("Stopped after 2 of 3 files: disk on fire.")
    assert batch.records.count() == 2 and Article.objects.count() == 2
    assert not batch.uploads.exists()
    page = batch_page(admin_client, batch)
    assert "Stopped after 2 of 3 files" in page and "one.txt" in page
    assert 'http-equiv="refresh"' not in page
    # The worker starting again does not pick up a failed batch.
    assert batches_resume() == []


def test_an_error_while_storing_a_chunk_keeps_the_files_before_it(admin_user):
    """The three files are one chunk; storing the third raises something unexpected: the
    chunk goes file by file, so the first two are stored and recorded before the batch
    stops at the third."""
    batch = stored_batch(admin_user)
    real = importing.extract_metadata

    def broken_on_the_third_file(text, **kwargs):
        if text.startswith(UKRAINIAN[:20]):
            raise RuntimeError("metadata on fire")
        return real(text, **kwargs)

    with (
        mock.patch.object(importing, "extract_metadata", broken_on_the_third_file),
        pytest.raises(RuntimeError),
    ):
        import_batch.call(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert batch.error.startswith("Stopped after 2 of 3 files: metadata on fire.")
    assert list(batch.records.values_list("filename", flat=True)) == ["one.txt", "two.txt"]
    assert Article.objects.count() == 2


def test_a_missing_stored_file_fails_the_batch(admin_user):
    batch = stored_batch(admin_user)
    batch.uploads.first().file.delete(save=False)
    with pytest.raises(FileNotFoundError):
        import_batch.call(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed" and "Stopped after 0 of ? files" in batch.error


def test_the_command_import_stays_synchronous(db, tmp_path):
    (tmp_path / "a.txt").write_bytes(FILES[0][1])
    call_command("import_articles", str(tmp_path), stdout=mock.MagicMock())
    batch = ImportBatch.objects.get()
    assert (batch.via, batch.status, batch.imported, batch.total) == ("command", "done", 1, 1)


def test_a_5_mb_cyrillic_file_imports_in_bounded_memory(admin_user):
    line = "Путін привітав Трампа через посередників, повідомило джерело. Кремль заперечив.\n"
    data = (line * (5 * 1024 * 1024 // len(line.encode("cp1251")))).encode("cp1251")
    batch = ImportBatch.objects.create(via=ImportBatch.Via.ADMIN, user=admin_user)
    ImportUpload.objects.create(
        batch=batch, position=0, name="big.txt", file=SimpleUploadedFile("big.txt", data)
    )
    del data
    tracemalloc.start()
    try:
        import_batch.call(batch.pk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    batch.refresh_from_db()
    assert batch.imported == 1
    assert Article.objects.get().language == "uk"
    assert peak < 100 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB"


def test_the_worker_command_resumes_then_runs_the_queue(admin_user):
    batch = stored_batch(admin_user)
    quiet = timezone.now() - STALE_AFTER - timedelta(seconds=1)
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", progress_at=quiet)
    with mock.patch("articles.management.commands.worker.call_command") as db_worker:
        call_command("worker", stdout=mock.MagicMock())
    batch.refresh_from_db()
    assert batch.status == "done"  # resumed (the tests' task backend runs it at once)
    db_worker.assert_called_once_with("db_worker", reload=False, interval=1.0, verbosity=1)


def test_a_batch_is_run_by_one_worker_even_if_queued_twice(admin_user, monkeypatch):
    batch = stored_batch(admin_user)
    runs = []
    real = importing.import_sources
    monkeypatch.setattr(
        importing, "import_sources", lambda *a, **k: runs.append(1) or real(*a, **k)
    )
    import_batch.call(batch.pk)
    import_batch.call(batch.pk)  # a second copy of the task: the batch is done, nothing runs
    assert len(runs) == 1
    batch = stored_batch(admin_user)
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", progress_at=timezone.now())
    import_batch.call(batch.pk)  # running on another worker, alive: left alone
    batch.refresh_from_db()
    assert batch.status == "running" and batch.done == 0 and len(runs) == 1
