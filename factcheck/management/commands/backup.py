from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from factcheck import backups


class Command(BaseCommand):
    help = (
        "Back up the database (README, 'Backups'): SQLite with its backup API, PostgreSQL "
        "with pg_dump -Fc. Prints the file's path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="the file to write (default: backups/<time>.<ext>)"
        )

    def handle(self, *args, output, **options):
        if output is None:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            output = settings.BASE_DIR / "backups" / f"factcheck-{stamp}{backups.suffix()}"
        output.parent.mkdir(parents=True, exist_ok=True)
        backups.backup(output)
        self.stdout.write(str(output))
