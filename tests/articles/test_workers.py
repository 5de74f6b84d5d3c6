"""Several background workers on one database (README, "Deploying"): each task is taken
once, each import runs once, and an import whose worker died is resumed by a free one."""

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article, ImportBatch, ImportUpload
from articles.tasks import STALE_AFTER, import_batch
from tests.servers import ROOT, app_environment, database_url

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
BATCHES, FILES = 6, 4


def _batch(admin_user, n: int) -> ImportBatch:
    batch = ImportBatch.objects.create(via=ImportBatch.Via.ADMIN, user=admin_user)
    for position in range(FILES):
        name = f"batch{n}-file{position}.txt"
        text = f"Headline {n}.{position}\n\nReport number {n}.{position} of the desk's import."
        ImportUpload.objects.create(
            batch=batch, position=position, name=name, file=SimpleUploadedFile(name, text.encode())
        )
    return batch


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="several worker processes share a database server, as in production: the "
    "PostgreSQL half of `make test` runs this",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_take_each_task_once_and_resume_a_dead_workers_import(
    roles_after_flush, admin_user, media_root
):
    with override_settings(TASKS=DATABASE_TASKS):
        queued = [_batch(admin_user, n) for n in range(BATCHES)]
        for batch in queued:
            import_batch.enqueue(batch.pk)
    # An import its worker died in: running, quiet for longer than STALE_AFTER.
    abandoned = _batch(admin_user, BATCHES)
    ImportBatch.objects.filter(pk=abandoned.pk).update(
        status="running", progress_at=timezone.now() - STALE_AFTER - timedelta(seconds=5)
    )
    env = app_environment({"DATABASE_URL": database_url(), "MEDIA_ROOT": str(media_root)})
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "worker", "-v0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if not ImportBatch.objects.exclude(status="done").exists():
                break
            assert all(w.poll() is None for w in workers), "a worker exited"
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    batches = ImportBatch.objects.order_by("pk")
    assert [(b.status, b.imported, b.duplicates, b.failed) for b in batches] == [
        ("done", FILES, 0, 0)
    ] * (BATCHES + 1)
    # Every file imported once (a batch run twice would have made duplicates).
    assert Article.objects.count() == FILES * (BATCHES + 1)
    # Each task ran once, to success: the six queued and the one resumed.
    # (Other apps queue their own periodic work when a worker starts: feeds, evidence.)
    tasks = DBTaskResult.objects.filter(task_path="articles.tasks.import_batch")
    assert tasks.count() == BATCHES + 1
    assert set(tasks.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert all(len(ids) == 1 for ids in tasks.values_list("worker_ids", flat=True))
