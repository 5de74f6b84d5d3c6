from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.tasks import batches_resume, worker_started


class Command(BaseCommand):
    help = (
        "The background worker (README, 'Background imports'): queues again the imports a "
        "stopped worker left unfinished, then runs tasks as they come (django-tasks-db's "
        "db_worker). Run exactly one."
    )

    def handle(self, *args, **options):
        resumed = batches_resume()
        if resumed:
            self.stdout.write(f"Resuming imports left unfinished: {resumed}")
        worker_started.send(sender=self.__class__)
        # No autoreload: a restart would leave the running import to the next start.
        call_command("db_worker", reload=False, verbosity=options["verbosity"])
