"""What the import commands print (manage.py import_articles, import_urls): one line per
source as it is done, in its outcome's colour, a progress mark on long runs, the summary, and
exit status 1 when any source failed."""

from django.core.management.base import BaseCommand, CommandError

from articles.importing import ImportReport, Outcome

PROGRESS_EVERY = 50


class ImportCommand(BaseCommand):
    # What one source is called in the summary: ("file", "files"), ("address", "addresses").
    noun = ("file", "files")

    def line(self, result) -> str:
        return result.line()

    def progress(self, done: int, total: int, result) -> None:
        style = {
            Outcome.IMPORTED: self.style.SUCCESS,
            Outcome.DUPLICATE: self.style.WARNING,
            Outcome.UPDATED: self.style.WARNING,
            Outcome.FAILED: self.style.ERROR,
        }[result.outcome]
        self.stdout.write(style(self.line(result)))
        # Large batches: a progress mark so a person can tell how far along it is.
        if total >= PROGRESS_EVERY and (done % PROGRESS_EVERY == 0 or done == total):
            self.stdout.write(f"[{done}/{total}]")

    def finish(self, report: ImportReport) -> None:
        self.stdout.write(report.summary(noun=self.noun) + f" (import {report.batch.pk})")
        if report.failed:
            one, many = self.noun
            raise CommandError(
                f"{report.failed} {one if report.failed == 1 else many} failed: see above",
                returncode=1,
            )
