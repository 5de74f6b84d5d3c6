from django.core.management.base import BaseCommand, CommandError

from articles.importing import Outcome, articles_import
from articles.models import ImportBatch
from articles.sources import sources_from_paths

PROGRESS_EVERY = 50


class Command(BaseCommand):
    help = (
        "Import article files: text files, folders (recursively) and .zip archives. "
        "Prints one line per file and a summary; exits with status 1 if any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="file, folder or .zip")

    def handle(self, *args, paths, **options):
        sources = sources_from_paths(paths)
        if not sources:
            raise CommandError("No files found in " + ", ".join(paths))
        report = articles_import(
            sources=sources, via=ImportBatch.Via.COMMAND, progress=self._progress
        )
        self.stdout.write(report.summary() + f" (import {report.batch.pk})")
        if report.failed:
            raise CommandError(
                f"{report.failed} file{'' if report.failed == 1 else 's'} failed: see above",
                returncode=1,
            )

    def _progress(self, done, total, result):
        style = {
            Outcome.IMPORTED: self.style.SUCCESS,
            Outcome.DUPLICATE: self.style.WARNING,
            Outcome.FAILED: self.style.ERROR,
        }[result.outcome]
        self.stdout.write(style(result.line()))
        # Large batches: a progress mark so a person can tell how far along it is.
        if total >= PROGRESS_EVERY and (done % PROGRESS_EVERY == 0 or done == total):
            self.stdout.write(f"[{done}/{total}]")
