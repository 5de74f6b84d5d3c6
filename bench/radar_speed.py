"""The claim radar's speed: one 1,000-word article against 10,000 claims, and the desk's
article page with 50 suggestions against the same page without. Runs against a throwaway
SQLite database; prints numbers, asserts nothing. (The archive scan for one new claim is
bench/radar_archive.py: it needs make_archive's 20,000 articles.)

    .venv/bin/python bench/radar_speed.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLAIMS = 10_000
WORDS = 1_000
SUGGESTIONS = 50
RUNS = 15
NAMES = ["Putin", "Trump", "Zelensky", "Kremlin", "Peskov", "Biden", "NATO", "Ukraine", "Macron"]
VERBS = ["congratulated", "denied", "confirmed", "called", "praised", "criticised", "met"]


def _article_text() -> str:
    """About WORDS words of the labelled set's English articles (names, look-alikes)."""
    from bench.radar_set import ARTICLES

    text = "\n\n".join(body for _, language, body in ARTICLES if language == "en")
    words = text.split(" ")
    return " ".join(words[:WORDS])


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="factcheck-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    from articles.models import Article, Outlet
    from claims.models import Claim, statement_key
    from factcheck import roles
    from radar import matching, scanning
    from radar.models import Suggestion

    call_command("migrate", verbosity=0)
    claims = []
    for n in range(CLAIMS):
        who, verb, whom = NAMES[n % 9], VERBS[(n // 9) % 7], NAMES[(n // 63) % 9]
        statement = f"{who} {verb} {whom} over issue {n}"
        claims.append(Claim(statement=statement, key=statement_key(statement), slug=f"c-{n}"))
    Claim.objects.bulk_create(claims, batch_size=1000)  # no signals: no archive scans
    Claim.objects.create(statement="Putin congratulated Trump on his election victory")
    outlet = Outlet.objects.create(name="Bench outlet")
    body = _article_text()
    article = Article.objects.create(outlet=outlet, title="Bench article", body=body)
    print(f"Article of {len(body.split())} words, {Claim.objects.count()} claims")

    started = time.perf_counter()
    scanning.known_claims()
    print(
        f"  index of every claim's wordings, built once per process: "
        f"{time.perf_counter() - started:.2f} s (lemma dictionaries included)"
    )
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        found = scanning.article_suggestions(article)
        times.append(time.perf_counter() - started)
    print(
        f"  scan of the article: median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms ({len(found)} suggestions) — target ≤ 1 s"
    )

    # The article page with 50 suggestions and without (same text, one more space).
    editor = get_user_model().objects.create_user("bench-editor", password="x")
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    page_body = "\n\n".join(f"Paragraph {n}. {body[:600]}" for n in range(10))
    bare = Article.objects.create(outlet=outlet, title="Without suggestions", body=page_body)
    busy = Article.objects.create(outlet=outlet, title="With suggestions", body=page_body + " ")
    spans = [(m.start, m.end) for m in matching.scan(page_body, scanning.known_claims())]
    claim_ids = list(Claim.objects.values_list("pk", flat=True)[:SUGGESTIONS])
    rows = []
    for n in range(SUGGESTIONS):
        start, end = spans[n % len(spans)] if spans else (0, 10)
        rows.append(
            Suggestion(
                article=busy,
                claim_id=claim_ids[n],
                start=start,
                end=end,
                exact=page_body[start:end],
                stance="asserts",
                score=0.8,
                reason="bench",
            )
        )
    Suggestion.objects.bulk_create(rows)
    client = Client()
    client.force_login(editor)

    def median_get(article) -> float:
        client.get(article.get_absolute_url())
        spent = []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get(article.get_absolute_url())
            spent.append(time.perf_counter() - started)
            assert response.status_code == 200
        return statistics.median(spent)

    without, with_ = median_get(bare), median_get(busy)
    print(
        f"Article page: without suggestions {without * 1000:.1f} ms, with {SUGGESTIONS} "
        f"{with_ * 1000:.1f} ms, ratio {with_ / without:.2f} — target ≤ 1.3"
    )


if __name__ == "__main__":
    main()
