from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factcheck import backups


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup made by `manage.py backup` (README, "
        "'Backups'): SQLite with its backup API, PostgreSQL with pg_restore --clean. Stop "
        "the app and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args, file, interactive, **options):
        if interactive:
            answer = input(f"Replace everything in the database with {file}? Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")
        backups.restore(file)
        self.stdout.write(f"Restored {file}.")
