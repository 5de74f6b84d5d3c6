"""Background work (Django's tasks framework; the worker is `manage.py worker`)."""

from django.dispatch import Signal
from django.tasks import task

from articles.importing import batch_run
from articles.models import ImportBatch

# Sent by `manage.py worker` as it starts, before it runs tasks: apps with periodic work
# (webfetch: feeds, evidence checks) queue it here.
worker_started = Signal()


@task()
def import_batch(batch_id: int) -> None:
    batch_run(batch_id)


def batches_resume() -> list[int]:
    """Queue again the batches a stopped worker left running (README, "Background imports":
    one worker runs the imports, so when it starts, no other is running them)."""
    running = ImportBatch.objects.filter(
        status=ImportBatch.Status.RUNNING, via=ImportBatch.Via.ADMIN
    )
    ids = list(running.values_list("pk", flat=True))
    for pk in ids:
        ImportBatch.objects.filter(pk=pk).update(status=ImportBatch.Status.QUEUED)
        import_batch.enqueue(pk)
    return ids
