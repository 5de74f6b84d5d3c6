"""``manage.py suggest_claims [ARTICLE_PK ...] --json``: the suggestions the desk would show,
computed afresh (no worker), as one JSON array (README, "Claim radar")."""

import json

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from radar import scanning


class Command(BaseCommand):
    help = "Print the claim radar's suggestions for these articles (every article by default)."

    def add_arguments(self, parser):
        parser.add_argument("articles", nargs="*", type=int, metavar="ARTICLE_PK")
        parser.add_argument("--json", action="store_true", help="Print one JSON array.")

    def handle(self, *args, articles: list[int], json: bool, **options):
        found_ids = set()
        rows = Article.objects.only("pk", "body").order_by("pk")
        if articles:
            rows = rows.filter(pk__in=articles)
        index = scanning.known_claims()
        suggestions = []
        for article in rows.iterator(chunk_size=200):
            found_ids.add(article.pk)
            suggestions += [f.as_json() for f in scanning.article_suggestions(article, index)]
        missing = sorted(set(articles) - found_ids)
        if missing:
            raise CommandError(f"No article with id {', '.join(map(str, missing))}.")
        if json:
            self.stdout.write(_dumps(suggestions))
            return
        for s in suggestions:
            self.stdout.write(
                f"article {s['article']} claim {s['claim']} {s['stance']:<10} {s['score']:.2f} "
                f"[{s['start']}:{s['end']}] {s['exact'][:80]!r}"
            )


def _dumps(rows) -> str:
    return json.dumps(rows, ensure_ascii=False)
