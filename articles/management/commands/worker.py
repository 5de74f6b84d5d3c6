import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from articles.tasks import RESUME_EVERY, batches_resume

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "The background worker (README, 'Background imports'): queues again the imports a "
        "stopped worker left unfinished, then runs tasks as they come (django-tasks-db's "
        "db_worker), looking for abandoned imports every minute. Run as many as needed, on "
        "as many hosts: each task and each import is taken by one of them."
    )

    def handle(self, *args, **options):
        resumed = batches_resume()
        if resumed:
            self.stdout.write(f"Resuming imports left unfinished: {resumed}")
        stop = threading.Event()
        watcher = threading.Thread(target=_resume_every, args=(stop,), daemon=True)
        watcher.start()
        try:
            # No autoreload: a restart would leave the running import to another worker.
            call_command("db_worker", reload=False, verbosity=options["verbosity"])
        finally:
            stop.set()


def _resume_every(stop: threading.Event) -> None:
    """While the worker runs: queue again any import whose worker died meanwhile."""
    while not stop.wait(RESUME_EVERY.total_seconds()):
        try:
            resumed = batches_resume()
            if resumed:
                logger.warning("Resuming imports whose worker stopped: %s", resumed)
        except Exception:
            logger.exception("Looking for abandoned imports failed")
        finally:
            close_old_connections()
    connection.close()
