"""What the second language costs the public site (issue 20).

Prints, against a throwaway SQLite database with the in-memory cache (in process, median of
RUNS GETs, each drawn: the server's kept copy dropped first):

- a full sitemap page (``public.sitemaps.LIMIT`` addresses: half as many fact checks in two
  languages, each with its three hreflang alternates): time and size, against the server
  cache's size limit;
- a fact check's public page in English and in Ukrainian (the same revision).

Prints numbers, asserts nothing.

    .venv/bin/python bench/languages.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FACT_CHECKS = 2600  # more than one sitemap page's worth in two languages
RUNS = 7


def build(n: int) -> str:
    """``n`` published fact checks (rows written in bulk); the slug of one of them."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from claims.models import Claim, PublishedRevision, Rating, statement_key

    user = get_user_model().objects.create_user("bench-languages")
    claims = Claim.objects.bulk_create(
        Claim(
            statement=f"Bench claim number {i}",
            key=statement_key(f"Bench claim number {i}"),
            slug=f"bench-claim-number-{i}",
        )
        for i in range(n)
    )
    now = timezone.now()
    revisions = PublishedRevision.objects.bulk_create(
        PublishedRevision(
            claim=claim,
            number=1,
            slug=claim.slug,
            statement=claim.statement,
            rating=Rating.FALSE,
            summary_html="<p>No evidence.</p>",
            summary_text="No evidence.",
            published_by=user,
            published_at=now,
            first_published_at=now,
            is_current=True,  # what publishing sets on a claim's current revision
        )
        for claim in claims
    )
    for claim, revision in zip(claims, revisions, strict=True):
        claim.published_revision = revision
    Claim.objects.bulk_update(claims, ["published_revision"], batch_size=500)
    return claims[0].slug


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="factcheck-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["CACHE_BACKEND"] = "django.core.cache.backends.locmem.LocMemCache"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from public.views.pages import SERVER_CACHE_MAX_BYTES

    call_command("migrate", verbosity=0)
    slug = build(FACT_CHECKS)
    client = Client()

    def timed(path: str) -> tuple[float, int]:
        cache.clear()
        t0 = time.perf_counter()
        response = client.get(path)
        seconds = time.perf_counter() - t0
        assert response.status_code == 200, path
        return seconds * 1000, len(response.content)

    from public.sitemaps import LIMIT

    full_page = f"sitemap page ({LIMIT:,} addresses)"
    rows = {
        full_page: "/sitemap-claims.xml?p=1",
        "fact check, English": f"/claims/{slug}/",
        "fact check, Ukrainian": f"/uk/claims/{slug}/",
    }
    times = {name: [] for name in rows}
    sizes = {}
    for n in range(2 + RUNS):
        for name, path in rows.items():
            ms, sizes[name] = timed(path)
            if n >= 2:
                times[name].append(ms)
    print(f"public site in two languages (SQLite, in process, median of {RUNS}, drawn each time):")
    for name in rows:
        print(f"  {name:32} {statistics.median(times[name]):7.1f} ms  {sizes[name] / 1024:7.0f} KB")
    kept = sizes[full_page] <= SERVER_CACHE_MAX_BYTES
    print(
        f"  a full sitemap page is {'kept' if kept else 'NOT kept'} by the server cache "
        f"(limit {SERVER_CACHE_MAX_BYTES / 1024:.0f} KB)"
    )


if __name__ == "__main__":
    main()
