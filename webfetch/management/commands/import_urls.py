from django.core.management.base import BaseCommand, CommandError

from articles.importing import Outcome
from articles.models import ImportBatch
from factcheck.errors import Refused
from factcheck.sanitize import is_http_url
from webfetch.pages import normalize_url
from webfetch.services import urls_import


class Command(BaseCommand):
    help = (
        "Import articles from web pages: one line per address (imported, duplicate of which "
        "article, or failed with the reason) and a summary; exits with status 1 if any failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="+", metavar="URL", help="http:// or https:// address")

    def handle(self, *args, urls, **options):
        # An address that is not http(s) still gets its line: the fetcher says why not.
        urls = list(dict.fromkeys(normalize_url(u) if is_http_url(u) else u for u in urls))
        try:
            report = urls_import(urls=urls, via=ImportBatch.Via.COMMAND, progress=self._progress)
        except Refused as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            report.summary().replace("file", "address").replace("addresss", "addresses")
            + f" (import {report.batch.pk})"
        )
        if report.failed:
            raise CommandError(
                f"{report.failed} address{'' if report.failed == 1 else 'es'} failed: see above",
                returncode=1,
            )

    def _progress(self, done, total, result):
        style = {
            Outcome.IMPORTED: self.style.SUCCESS,
            Outcome.DUPLICATE: self.style.WARNING,
            Outcome.FAILED: self.style.ERROR,
        }[result.outcome]
        line = result.line()
        if result.outcome == Outcome.DUPLICATE:
            line = line.replace("→ Article", "→ duplicate of Article", 1)
        self.stdout.write(style(line))
