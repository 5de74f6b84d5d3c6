from django.core.management.base import CommandError

from articles.importing import articles_import
from articles.management.reporting import ImportCommand
from articles.models import ImportBatch
from articles.sources import sources_from_paths


class Command(ImportCommand):
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
        self.finish(
            articles_import(sources=sources, via=ImportBatch.Via.COMMAND, progress=self.progress)
        )
