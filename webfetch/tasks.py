"""The worker's web tasks (Django's tasks framework; the worker is `manage.py worker`).

``web_schedule`` is the periodic one: it polls the feeds that are due, checks published
evidence not checked for EVIDENCE_CHECK_HOURS, and queues itself again a minute later. The
worker queues it when it starts (articles.tasks.worker_started), unless it is queued already.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import default_task_backend, task
from django.utils import timezone

from articles.models import ImportBatch
from webfetch import services

logger = logging.getLogger(__name__)

SCHEDULE_EVERY = timedelta(minutes=1)


@task()
def web_import(batch_id: int) -> None:
    services.web_batch_run(batch_id)


def web_import_queue(*, urls: list[str], user) -> ImportBatch:
    """Queue a desk or admin import of ``urls`` for the worker (README, "Background
    imports"): stored by ``services.web_import_prepare``, its task queued on commit."""
    with transaction.atomic(durable=True):
        batch = services.web_import_prepare(urls=urls, user=user)
        transaction.on_commit(lambda: web_import.enqueue(batch.pk))
    return batch


@task()
def evidence_archive(urls: list[str]) -> None:
    services.evidence_archive(urls=urls)


@task()
def web_schedule() -> None:
    try:
        for result in services.feeds_poll_due():
            if result.error:
                logger.warning("Feed %s failed: %s", result.feed.url, result.error)
        older = timezone.now() - timedelta(hours=settings.EVIDENCE_CHECK_HOURS)
        services.evidence_check_due(older_than=older)
    finally:
        schedule_ensure(after=SCHEDULE_EVERY, running=True)


def schedule_ensure(*, after: timedelta = timedelta(0), running: bool = False) -> bool:
    """Queue ``web_schedule`` unless it is queued already (``running``: the one queued is
    the one running now). Only a backend that can run a task later (the database's) keeps a
    schedule; True when it was queued."""
    if not default_task_backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    path = web_schedule.module_path
    waiting = DBTaskResult.objects.filter(task_path=path, status="READY")
    if waiting.exists() and not running:
        return False
    web_schedule.using(run_after=timezone.now() + after).enqueue()
    return True


def web_imports_resume() -> list[int]:
    """Queue again the web imports a stopped worker left running; each goes on from the
    first address without an outcome."""
    from articles.models import ImportBatch

    running = ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING, via=ImportBatch.Via.WEB)
    ids = list(running.values_list("pk", flat=True))
    for pk in ids:
        ImportBatch.objects.filter(pk=pk).update(status=ImportBatch.Status.QUEUED)
        web_import.enqueue(pk)
    return ids
