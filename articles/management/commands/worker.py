import logging
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection, connections

from articles.tasks import RESUME_EVERY, batches_resume, worker_started

logger = logging.getLogger("articles.worker")

# Waiting for the database to come back: 1 s, then twice as long each time, at most this.
RETRY_MAX_SECONDS = 30


class Command(BaseCommand):
    help = (
        "The background worker (README, 'Background imports'): queues again the imports a "
        "stopped worker left unfinished, then runs tasks as they come (django-tasks-db's "
        "db_worker), looking for abandoned imports every minute. When the database goes away "
        "(a restart), it waits for it and goes on. Run as many as needed, on as many hosts: "
        "each task and each import is taken by one of them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks for new tasks."
        )

    def handle(self, *args, **options):
        delay = 1.0
        while True:
            started = time.monotonic()
            try:
                self._run(options)
                return  # stopped (SIGTERM, Ctrl-C)
            except DatabaseError as error:
                if time.monotonic() - started > RETRY_MAX_SECONDS:
                    delay = 1.0  # it had been running: a new outage
                # The database restarted or is unreachable: drop the broken connections,
                # wait, and start again (resuming the import that was running).
                logger.warning("Database unavailable (%s); retrying in %.0f s", error, delay)
                self.stderr.write(f"Database unavailable; retrying in {delay:.0f} s: {error}")
                connections.close_all()
                time.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_SECONDS)

    def _run(self, options):
        resumed = batches_resume()
        if resumed:
            self.stdout.write(f"Resuming imports left unfinished: {resumed}")
        worker_started.send(sender=self.__class__)
        stop = threading.Event()
        watcher = threading.Thread(target=_resume_every, args=(stop,), daemon=True)
        watcher.start()
        try:
            # No autoreload: a restart would leave the running import to another worker.
            call_command(
                "db_worker",
                reload=False,
                interval=options["interval"],
                verbosity=options["verbosity"],
            )
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
