"""``manage.py rebuild_search_words``: the public search's vocabulary (the words its second
try corrects a misspelt query to) made again from what is published now, so the words of
superseded and merged fact checks go. Safe to run at any time; a nightly cron is plenty."""

from django.core.management.base import BaseCommand

from public.models import vocabulary_rebuilt


class Command(BaseCommand):
    help = "Rebuild the public search's vocabulary from the current published fact checks."

    def handle(self, *args, **options):
        kept, removed = vocabulary_rebuilt()
        self.stdout.write(f"Search vocabulary: {kept:,} words ({removed:,} removed).")
