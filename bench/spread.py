"""The public fact check with a 700-appearance spread timeline vs the same page without it.

The claim appears 700 times (60 outlets, three languages, 200 days, a few articles without a
date); its fact check is published. Prints the server time of the public page (median of
GETs through django.test.Client, each drawn: a query parameter the page does not read keeps
the server's page cache out) in three ways:

- without the timeline (``SPREAD_PUBLIC_TIMELINE`` off): the baseline;
- with it, as served: the timeline of a revision is drawn once and kept in the cache;
- with it drawn every time (its kept copy dropped before each request): the first visitor
  of a new revision, per worker.

Runs against a throwaway SQLite database with the in-memory cache; prints numbers, asserts
nothing. The same comparison is a row of ``make bench-site`` (bench/site.py) on PostgreSQL.

    .venv/bin/python bench/spread.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APPEARANCES = 700
RUNS = 25


def build_claim(appearances: int = APPEARANCES, outlets: int = 60):
    """A published claim with ``appearances`` appearances; its slug."""
    from datetime import date, timedelta

    from django.contrib.auth import get_user_model

    from articles.models import Article, Outlet
    from claims.models import Annotation, Claim, Rating, Status, Verdict
    from claims.services.publishing import publish_revision

    user = get_user_model().objects.create_user(f"bench-spread-{appearances}")
    claim = Claim.objects.create(statement=f"Bench spread claim with {appearances} appearances")
    sources = Outlet.objects.bulk_create(
        Outlet(name=f"Spread outlet {n}", domain=f"spread{n}-{appearances}.example")
        for n in range(outlets)
    )
    body = "Putin congratulated Trump via intermediaries, a source said. " * 3
    articles = Article.objects.bulk_create(
        Article(
            outlet=sources[(n * 7) % outlets],
            title=f"Spread article {n}",
            url=f"https://spread.example/{appearances}/{n}",
            published_on=None if n % 50 == 0 else date(2024, 5, 1) + timedelta(days=n % 200),
            language=("en", "ru", "uk")[n % 3],
            body=body + f" {appearances}-{n}",
            content_hash=f"spread-{appearances}-{n}",
        )
        for n in range(appearances)
    )
    stances = ("asserts", "attributes", "disputes")
    Annotation.objects.bulk_create(
        Annotation(
            article=article,
            claim=claim,
            stance=stances[n % 3],
            start=0,
            end=5,
            exact="Putin",
            suffix=body[5:37],
            author=user,
        )
        for n, article in enumerate(articles)
    )
    Claim.objects.filter(pk=claim.pk).refresh_reach()
    verdict = Verdict.objects.create(
        claim=claim,
        rating=Rating.FALSE,
        summary="No evidence.",
        summary_html="<p>No evidence.</p>",
        status=Status.APPROVED,
        approved_at=date(2024, 12, 1),
        author=user,
        last_edited_by=user,
    )
    claim.refresh_from_db()
    publish_revision(claim=claim, user=user, verdict=verdict)
    return claim.slug


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="factcheck-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["CACHE_BACKEND"] = "django.core.cache.backends.locmem.LocMemCache"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    slug = build_claim()
    client = Client()
    counter = iter(range(10**9))

    def get(timeline: bool, drop_kept: bool) -> tuple[float, int]:
        settings.SPREAD_PUBLIC_TIMELINE = timeline
        if drop_kept:
            cache.clear()
        t0 = time.perf_counter()
        response = client.get(f"/claims/{slug}/", {"bench": next(counter)})
        seconds = time.perf_counter() - t0
        assert response.status_code == 200
        return seconds, len(response.content)

    variants = {"without": (False, False), "kept": (True, False), "drawn": (True, True)}
    times = {name: [] for name in variants}
    sizes = {}
    for n in range(3 + RUNS):  # the variants alternate, so a busy machine slows all alike
        for name, (timeline, drop_kept) in variants.items():
            seconds, sizes[name] = get(timeline, drop_kept)
            if n >= 3:
                times[name].append(seconds)
    without, kept, drawn = (statistics.median(times[name]) * 1000 for name in variants)
    without_size, kept_size = sizes["without"], sizes["kept"]
    print(f"public fact check, {APPEARANCES} appearances (SQLite, in process, median of {RUNS}):")
    print(f"  without the timeline:         {without:6.1f} ms  ({without_size / 1024:.0f} KB)")
    print(
        f"  with it (kept per revision):  {kept:6.1f} ms  ({kept_size / 1024:.0f} KB)"
        f"  → {kept / without:.2f}×"
    )
    print(f"  with it drawn every time:     {drawn:6.1f} ms  → {drawn / without:.2f}×")


if __name__ == "__main__":
    main()
