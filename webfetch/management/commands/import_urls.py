from django.core.management.base import CommandError

from articles.importing import Outcome
from articles.management.reporting import ImportCommand
from articles.models import ImportBatch
from factcheck.errors import Refused
from factcheck.sanitize import is_http_url
from webfetch.pages import normalize_url
from webfetch.services import urls_import


class Command(ImportCommand):
    noun = ("address", "addresses")

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
            report = urls_import(urls=urls, via=ImportBatch.Via.COMMAND, progress=self.progress)
        except Refused as exc:
            raise CommandError(exc.message) from None
        self.finish(report)

    def line(self, result) -> str:
        line = result.line()
        if result.outcome == Outcome.DUPLICATE:
            line = line.replace("→ Article", "→ duplicate of Article", 1)
        return line
