"""Background work (Django's tasks framework; the worker is `manage.py worker`, as many
processes on as many hosts as needed: README, "Background imports" and "Deploying").

django-tasks-db hands each queued task to one worker (a row lock taken with SKIP LOCKED).
An import batch is also claimed by a conditional update when it starts (``batch_run``), so
it runs once even if it was queued twice; a batch whose worker died (running, no progress
for ``STALE_AFTER``) is queued again by whichever worker looks first (``batches_resume``:
when a worker starts, and every ``RESUME_EVERY`` while it runs)."""

from datetime import timedelta

from django.db.models import Q
from django.dispatch import Signal
from django.tasks import task
from django.utils import timezone

from articles.importing import batch_run
from articles.models import ImportBatch

# Sent by `manage.py worker` as it starts, before it runs tasks: apps with periodic work
# (webfetch: feeds, evidence checks) queue it here.
worker_started = Signal()
# A chunk of files is stored in seconds: a running import quiet for this long has lost its
# worker (the admin calls it stalled after the same time).
STALE_AFTER = timedelta(minutes=5)
RESUME_EVERY = timedelta(minutes=1)


@task()
def import_batch(batch_id: int) -> None:
    batch_run(batch_id)


def _stale(now) -> Q:
    cutoff = now - STALE_AFTER
    return Q(status=ImportBatch.Status.RUNNING, via=ImportBatch.Via.ADMIN) & (
        Q(progress_at__lt=cutoff) | Q(progress_at__isnull=True, started_at__lt=cutoff)
    )


def batches_resume() -> list[int]:
    """Queue again the imports whose worker stopped (running, no progress for STALE_AFTER).
    Each is taken back by a conditional update: of several workers looking at once, one
    queues it."""
    now = timezone.now()
    ids = []
    for pk in ImportBatch.objects.filter(_stale(now)).values_list("pk", flat=True):
        taken = (
            ImportBatch.objects.filter(_stale(now), pk=pk)
            .update(status=ImportBatch.Status.QUEUED, progress_at=now)
        )  # fmt: skip
        if taken:
            ids.append(pk)
            import_batch.enqueue(pk)
    return ids
