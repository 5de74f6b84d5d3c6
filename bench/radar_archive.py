"""The claim radar's archive scan: a new claim against make_archive's 20,000 articles, as the
worker runs it (radar.tasks.scan_archive), with the scan's progress rows written as it goes.
Builds the archive in a throwaway SQLite database first (several minutes at full size);
prints numbers, asserts nothing.

    .venv/bin/python bench/radar_archive.py [ARTICLES]    # default 20,000
    .venv/bin/python bench/radar_archive.py --reuse PATH  # an archive this script built
    tests/with_postgres.sh .venv/bin/python bench/radar_archive.py   # on PostgreSQL
"""

import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    reuse = sys.argv[2] if sys.argv[1:2] == ["--reuse"] else ""
    articles = int(sys.argv[1]) if len(sys.argv) > 1 and not reuse else 20_000
    path = reuse or f"{tempfile.mkdtemp(prefix='factcheck-bench-')}/bench.sqlite3"
    if reuse or "DATABASE_URL" not in os.environ:  # else: tests/with_postgres.sh's server
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    path = os.environ["DATABASE_URL"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    from articles.models import Article
    from claims.models import Claim
    from radar.models import Scan, Suggestion
    from radar.tasks import scan_archive

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not reuse:
        call_command("make_archive", articles=articles, verbosity=0, stdout=io.StringIO())
    print(f"Database: {path}")
    print(
        f"Archive: {Article.objects.count()} articles, built in "
        f"{time.perf_counter() - started:.0f} s"
    )
    for statement in (
        "Putin congratulated Trump on his election victory",
        "Путін привітав Трампа з перемогою",
    ):
        # bulk_create: no signal, so the scan below is the only one.
        Claim.objects.filter(key=statement.casefold()).delete()
        claim = Claim.objects.bulk_create(
            [Claim(statement=statement, key=statement.casefold(), slug=f"bench-{len(statement)}")]
        )[0]
        scan = Scan.objects.create(claim=claim)
        started = time.perf_counter()
        scan_archive.call(scan.pk, claim.pk)
        took = time.perf_counter() - started
        scan.refresh_from_db()
        print(
            f"New claim {statement!r}: archive scanned in {took:.1f} s "
            f"({scan.total} candidate articles read, "
            f"{Suggestion.objects.filter(claim=claim).count()} suggestions) — target ≤ 30 s"
        )
    _site_meanwhile(path, claim)


def _site_meanwhile(path: str, claim) -> None:
    """The same scan in another process (as the worker runs it) while this one asks for the
    desk's claims list and the public home page every 0.2 s: their times during the scan
    against before it."""
    import statistics
    import subprocess

    from django.contrib.auth import get_user_model
    from django.test import Client

    from radar.models import Scan

    editor = get_user_model().objects.get(username="bench-editor")
    client = Client()
    client.force_login(editor)

    def rounds(seconds: float) -> list[float]:
        spent, until = [], time.perf_counter() + seconds
        while time.perf_counter() < until:
            for url in ("/desk/claims/", "/"):
                started = time.perf_counter()
                assert client.get(url).status_code == 200
                spent.append(time.perf_counter() - started)
            time.sleep(0.2)
        return spent

    before = rounds(5)
    scan = Scan.objects.create(claim=claim)
    code = (
        "import django; django.setup(); from radar.tasks import scan_archive; "
        f"scan_archive.call({scan.pk}, {claim.pk})"
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, env=os.environ.copy(), stderr=subprocess.DEVNULL
    )
    during = []
    while worker.poll() is None:
        during += rounds(1)
    print(
        f"Site while a worker scans: {len(during)} requests, median "
        f"{statistics.median(during) * 1000:.0f} ms, max {max(during) * 1000:.0f} ms (before: "
        f"median {statistics.median(before) * 1000:.0f} ms, max {max(before) * 1000:.0f} ms), "
        f"0 failed; worker exit {worker.returncode}"
    )


if __name__ == "__main__":
    main()
