"""The site at newsroom scale: gunicorn (3 sync workers, DEBUG=0) against PostgreSQL.

    .venv/bin/python bench/site.py                     # the 20,000-article archive
    .venv/bin/python bench/site.py --articles 4000     # smaller, faster

Starts a throwaway PostgreSQL server with normal durability (tests/with_postgres.sh),
generates two archives with ``manage.py make_archive`` (``--articles`` and a tenth of it,
for the growth rows) and runs ``VACUUM ANALYZE`` on them as autovacuum would, collects the
static files into a temporary folder, serves each archive with gunicorn on 127.0.0.1 and
prints every row of issue 9's table: a page's median time as a ratio against a static file
served by the same gunicorn in the same round (requests alternate: static, page, static,
page...), the absolute medians beside it, and the growth rows as (page / static at 100%) /
(page / static at 10%), with both archives served side by side and fetched in the same
rounds. Also the import row (in-process, three alternating rounds: importing files vs
reading them and a plain bulk insert). Bounded: ``--requests`` per row (default 25), one row with
``--users`` concurrent clients for ``--seconds``; all traffic on 127.0.0.1. Prints numbers,
asserts nothing.
"""

import argparse
import contextlib
import http.client
import itertools
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.servers import redis_server  # noqa: E402  (redis-server, as the tests start it)

PYTHON = sys.executable
STATIC = "/static/css/site.css"
ROWS: list[tuple[str, str, str]] = []  # (row, measured, target)
# One key for gunicorn and the helper that signs the benchmark's session in.
SECRET_KEY = os.environ.get("FACTCHECK_BENCH_SECRET_KEY") or secrets.token_urlsafe(50)


# --- helpers run in a subprocess with Django set up on one archive --------------------------


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()


def facts_main(username: str) -> None:
    """Print what the benchmark needs from an archive as JSON: a signed-in session for
    ``username``, the pages to fetch and words to highlight."""
    _django()
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from articles.models import Article
    from claims.models import Claim, Status

    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"  # axes comes first
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    public = Claim.objects.filter(verdicts__status=Status.APPROVED).distinct()
    top = public.order_by("-appearance_count").first()
    popular = list(public.filter(outlet_count__gte=10).order_by("-appearance_count"))
    typical = popular[len(popular) // 2] if popular else top
    pair = {}
    for key, title in (("busy", "Bench: busy article"), ("empty", "Bench: empty article")):
        article = Article.objects.get(title=title)
        words, position = [], len(title) + 2
        body = article.body
        # Every 37th word after the title: places to highlight, one per save.
        for n, word in enumerate(body[position:].split(" ")):
            if n % 37 == 0 and word.isalpha():
                words.append((position, position + len(word), word))
            position += len(word) + 1
        pair[key] = {"pk": article.pk, "words": words[:1000]}
    print(
        json.dumps(
            {
                "session": session.session_key,
                "top_claim": top.slug,
                "top_claim_pk": top.pk,
                "top_claim_appearances": top.appearance_count,
                "top_claim_outlets": top.outlet_count,
                "typical_claim": typical.slug,
                "typical_claim_outlets": typical.outlet_count,
                "claim_pk": Claim.objects.order_by("pk").first().pk,
                "articles": Article.objects.count(),
                **pair,
            }
        )
    )


def publish_main() -> None:
    """Publish the most quoted fact check again (its next revision, as a reviewer would)."""
    _django()
    from django.db import transaction

    from claims.models import Claim, Status, Verdict
    from claims.services.publishing import publish_revision

    with transaction.atomic():
        claim = (
            Claim.objects.select_for_update()
            .filter(published_revision__isnull=False)
            .order_by("-appearance_count")
            .first()
        )
        verdict = Verdict.objects.filter(claim=claim, status=Status.APPROVED).latest("approved_at")
        publish_revision(claim=claim, user=verdict.reviewer, verdict=verdict)
    print(json.dumps({"claim": claim.slug}))


def import_main(count: int) -> None:
    """Import ``count`` generated files (with a manifest that gives outlet, title and
    language) vs reading the same files and one bulk insert; print the median seconds of
    each, over three alternating rounds, as JSON."""
    _django()
    import random

    from articles.extract import decode_article_bytes
    from articles.importing import articles_import
    from articles.models import Article, ImportBatch
    from articles.sources import sources_from_paths
    from articles.text import content_hash, normalize_text

    rng = random.Random(5)
    vocabulary = [
        "the",
        "Kremlin",
        "said",
        "Putin",
        "congratulated",
        "Trump",
        "via",
        "intermediaries",
        "on",
        "Thursday",
    ]
    folder = Path(tempfile.mkdtemp(prefix="factcheck-import-"))
    manifest = ["[files]"]
    for n in range(count):
        words = rng.choices(vocabulary, k=rng.randint(500, 5000))
        text = f"Bench import {n}\n\n" + " ".join(words) + f"\n\nFile {n}.\n"
        (folder / f"{n:05d}.txt").write_text(text, encoding="utf-8")
        manifest.append(
            f'[files."{n:05d}.txt"]\noutlet = "Import outlet"\ntitle = "File {n}"\nlanguage = "en"'
        )
    (folder / "manifest.toml").write_text("\n".join(manifest[1:]) + "\n", encoding="utf-8")

    def plain():
        rows = []
        for path in sorted(folder.glob("*.txt")):
            text, encoding = decode_article_bytes(path.read_bytes())
            body = normalize_text(text)
            rows.append(
                Article(title=path.stem, body=body, content_hash=content_hash(body), language="en")
            )
        Article.objects.bulk_create(rows)

    def imported():
        report = articles_import(sources=sources_from_paths([folder]), via=ImportBatch.Via.COMMAND)
        if report.imported != count:  # a timing of anything else would mean nothing
            raise RuntimeError(report.summary())

    # Three rounds of each, alternating, on an emptied table each time: the medians.
    times = {plain: [], imported: []}
    for _ in range(3):
        for run_once in (plain, imported):
            Article.objects.all().delete()
            t0 = time.perf_counter()
            run_once()
            times[run_once].append(time.perf_counter() - t0)
    shutil.rmtree(folder)
    baseline, imported_in = (statistics.median(times[f]) for f in (plain, imported))
    print(json.dumps({"baseline": baseline, "import": imported_in, "imported": count}))


# --- the orchestration ----------------------------------------------------------------------


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def database_url(base: str, name: str) -> str:
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def create_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(base: str, name: str, articles: int, password: str) -> dict:
    url = database_url(base, name)
    create_database(base, name)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY}
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    t0 = time.perf_counter()
    make = ["make_archive", "--articles", str(articles), f"--password={password}"]
    run([PYTHON, "manage.py", *make], env)
    print(f"   {name}: archive made in {time.perf_counter() - t0:.0f} s", flush=True)
    # What autovacuum does to a live archive (statistics, visibility map) after a bulk load.
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return {"url": url, "env": env}


class Server:
    """gunicorn with 3 sync workers, DEBUG=0, on a free port of 127.0.0.1; the shared cache
    in ``redis_url`` when given (else each worker's memory)."""

    def __init__(
        self, db_url: str, static_root: str, redis_url: str = "", extra_env: dict | None = None
    ):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": static_root,
            "LOG_LEVEL": "WARNING",
            "REDIS_URL": redis_url,
            **(extra_env or {}),
        }
        gunicorn = str(Path(PYTHON).parent / "gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "factcheck.wsgi", "-w", "3", "-b", f"127.0.0.1:{self.port}"]
            + ["--log-level", "warning"],
            env=env,
            cwd=ROOT,
        )
        deadline = time.time() + 60
        while time.time() < deadline and self.process.poll() is None:
            try:
                if request(self.port, STATIC)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def worker_rss_mb(self) -> list[float]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        sizes = []
        for pid in children.read_text().split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def request(port, path, *, method="GET", headers=None, body=None):
    """One request on a new connection: (status, seconds, bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t0 = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - t0
    conn.close()
    return response.status, elapsed, len(data)


class Client:
    def __init__(self, port: int, session: str = ""):
        self.port = port
        self.csrf = secrets.token_hex(16)  # a 32-character secret, sent as cookie and header
        self.headers = {"Cookie": f"sessionid={session}; csrftoken={self.csrf}"} if session else {}

    def get(self, path):
        status, seconds, size = request(self.port, path, headers=self.headers)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        return seconds, size

    def post(self, path, fields: dict):
        headers = {
            **self.headers,
            "X-CSRFToken": self.csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = urllib.parse.urlencode(fields)
        status, seconds, size = request(self.port, path, method="POST", headers=headers, body=body)
        if status != 200:
            raise RuntimeError(f"POST {path}: {status}")
        return seconds, size

    def static(self):
        status, seconds, _ = request(self.port, STATIC)
        return seconds


def median_ms(values) -> float:
    return statistics.median(values) * 1000


def compare(client: Client, fetch, n: int) -> dict:
    """Alternate the static file and ``fetch()`` ``n`` times (after 3 warm-ups)."""
    for _ in range(3):
        fetch()
        client.static()
    static, page, size = [], [], 0
    for _ in range(n):
        static.append(client.static())
        seconds, size = fetch()
        page.append(seconds)
    return {
        "ratio": statistics.median(page) / statistics.median(static),
        "ms": median_ms(page),
        "static_ms": median_ms(static),
        "bytes": size,
    }


def concurrent(client: Client, path: str, users: int, seconds: float) -> dict:
    """``users`` threads fetching ``path`` back to back for ``seconds``: median latency."""
    times: list[float] = []
    errors: list[str] = []
    stop = time.time() + seconds

    def user():
        while time.time() < stop:
            try:
                times.append(client.get(path)[0])
            except (OSError, RuntimeError) as error:  # a timeout, a worker killed under load
                errors.append(str(error))

    threads = [threading.Thread(target=user) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    drain(client)
    return {"ms": median_ms(times) if times else float("nan"), "errors": len(errors)}


def drain(client: Client, limit: float = 180) -> None:
    """Wait until the server answers the static file quickly again (queued requests done)."""
    deadline = time.time() + limit
    while time.time() < deadline:
        try:
            if client.static() < 0.05:
                return
        except OSError:
            pass
        time.sleep(1)


def attempt(measure) -> str:
    """``measure()``, or why it failed: one overloaded page must not lose the other rows."""
    try:
        return measure()
    except (OSError, RuntimeError) as error:
        return f"failed: {error!r}"


def row(name: str, measured: str, target: str) -> None:
    ROWS.append((name, measured, target))
    print(f"   {name}: {measured}", flush=True)


def fmt(result: dict) -> str:
    return f"{result['ratio']:.1f}× (p50 {result['ms']:.0f} ms, {result['bytes'] / 1024:.0f} KB)"


GROWTH_PAGES = {
    "desk article search ('putin')": "/desk/?q=putin",
    "public search drawn ('putin trump')": "/?q=putin+trump&bench=drawn",
    "desk list": "/desk/",
    "claims list": "/desk/claims/",
    "claims list, by statement": "/desk/claims/?sort=statement&page=3",
}


def spread_claim_main() -> None:
    """Add bench/spread.py's 700-appearance published claim to an archive; print its slug."""
    import importlib.util

    _django()
    # bench/spread.py, by its path: "spread" is also the app's name.
    spec = importlib.util.spec_from_file_location("bench_spread", ROOT / "bench" / "spread.py")
    bench_spread = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_spread)
    print(json.dumps({"slug": bench_spread.build_claim()}))


def measure_spread(archive: dict, static_root: str, n: int) -> str:
    """The public fact check of a claim with a 700-appearance spread timeline, served as
    is and with the timeline turned off (SPREAD_PUBLIC_TIMELINE=0), two servers side by side
    fetched in the same rounds. Every request is drawn (a query parameter the page does not
    read keeps the server's page cache out); the timeline is kept per revision, as served."""
    out = run(
        [PYTHON, __file__, "--spread-claim"], archive["env"], capture_output=True, text=True
    ).stdout
    path = f"/claims/{json.loads(out)['slug']}/?bench="
    servers = [
        Server(archive["url"], static_root),
        Server(archive["url"], static_root, extra_env={"SPREAD_PUBLIC_TIMELINE": "0"}),
    ]
    try:
        clients = [Client(server.port) for server in servers]
        times: list[list[float]] = [[], []]
        for i in range(6 + n):  # warm-ups: each of the three workers draws it once
            for client, found in zip(clients, times, strict=True):
                seconds, _ = client.get(f"{path}{i}")
                if i >= 6:
                    found.append(seconds)
    finally:
        for server in servers:
            server.stop()
    with_it, without = (median_ms(found) for found in times)
    return f"{with_it / without:.2f}× ({with_it:.0f} ms vs {without:.0f} ms)"


def measure_growth(small: Client, full: Client, n: int) -> dict:
    """Each growth page on both archives, served side by side and fetched in the same
    rounds (static, page on the 10% archive, then on the 100% one): a drift of the machine
    between two separate runs would otherwise read as growth."""
    results = {}
    for name, path in GROWTH_PAGES.items():
        for _ in range(3):
            for client in (small, full):
                client.get(path)
                client.static()
        times = {small: ([], []), full: ([], [])}
        for _ in range(n):
            for client in (small, full):
                static, page = times[client]
                static.append(client.static())
                page.append(client.get(path)[0])
        results[name] = {
            key: {
                "ratio": statistics.median(times[c][1]) / statistics.median(times[c][0]),
                "ms": median_ms(times[c][1]),
            }
            for key, c in (("small", small), ("full", full))
        }
    return results


# Words of the archive's claims: two of them make a search term no server has seen.
VOCABULARY = [
    "putin", "trump", "kremlin", "election", "congratulated", "sanctions", "ukraine",
    "ceasefire", "minister", "report", "denied", "call", "peace", "talks",
]  # fmt: skip


def scale_rows(args, f, public, editor, server, full, static_root, redis_url, n) -> None:
    """Issue 23's rows: pages drawn (not kept) against the static file, the desk claim page
    of the most quoted claim, highlights saved by 8 editors at once, and the redraws after
    one publish with two servers of three workers on one Redis."""
    counter = itertools.count()
    terms = itertools.cycle(itertools.combinations(VOCABULARY, 2))
    top = f"/claims/{f['top_claim']}/"
    drawn = {
        "public home": lambda: f"/?bench={next(counter)}",
        f"most quoted claim ({f['top_claim_outlets']} outlets)": (
            lambda: f"{top}?bench={next(counter)}"
        ),
        "search, a new term each request": (
            lambda: "/?q=" + "+".join(next(terms)) + f"&x={next(counter)}"
        ),
        "sitemap page (1,000 addresses)": (lambda: f"/sitemap-claims.xml?bench={next(counter)}"),
    }
    for name, path in drawn.items():
        # A query parameter the page does not read: drawn every time, never kept.
        measured = attempt(lambda path=path: fmt(compare(public, lambda: public.get(path()), n)))
        row(f"drawn: {name}", measured, "≤ 10×")
    desk_claim = f"/desk/claims/{f['top_claim_pk']}/"
    row(
        f"desk claim page, most quoted claim ({f['top_claim_appearances']} appearances)",
        attempt(lambda: fmt(compare(editor, lambda: editor.get(desk_claim), n))),
        "≤ 150 ms and < 200 KB",
    )
    article = f"/desk/articles/{f['empty']['pk']}/"
    words = iter(f["empty"]["words"][n + 3 :])  # the ones the save row above left
    lock = threading.Lock()

    def save():
        with lock:
            start, end, exact = next(words)
        return editor.post(
            f"{article}annotations/",
            {"start": start, "end": end, "exact": exact, "stance": "asserts",
             "claim": f["claim_pk"]},
        )  # fmt: skip

    seconds = min(args.seconds, 5)
    views = concurrent_calls(lambda: editor.get(article), args.users, seconds)
    saves = concurrent_calls(save, args.users, seconds)
    drain(editor)
    row(
        f"saving a highlight vs viewing the article, {args.users} editors at once",
        f"{saves['ms'] / views['ms']:.2f}× ({saves['ms']:.0f} ms vs {views['ms']:.0f} ms; "
        f"{saves['count']} saves, {saves['errors'] + views['errors']} failed)",
        "≤ 2×",
    )
    row(
        "redraws after one publish, 2 servers × 3 workers, home + claim + sitemap page",
        attempt(lambda: redraws(full, static_root, redis_url, server, top)),
        "one per page, not per worker",
    )


def concurrent_calls(call, users: int, seconds: float) -> dict:
    """``users`` threads calling ``call()`` back to back for ``seconds``: median latency."""
    times: list[float] = []
    errors: list[str] = []
    stop = time.time() + seconds

    def user():
        while time.time() < stop:
            try:
                times.append(call()[0])
            except StopIteration:
                return
            except (OSError, RuntimeError) as error:
                errors.append(str(error))

    threads = [threading.Thread(target=user) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "ms": median_ms(times) if times else float("nan"),
        "errors": len(errors),
        "count": len(times),
    }


def redraws(full, static_root, redis_url, server, top) -> str:
    """Pages kept in Redis (SET commands) after one publish while two servers of three
    workers each serve home, the most quoted claim and the first sitemap page, 12 requests
    each per server: once per page with the shared cache (per-worker memory would keep up to
    6 copies of each, one per worker that is asked)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    second = Server(full["url"], static_root, redis_url)
    try:
        servers = [Client(server.port), Client(second.port)]
        pages = ["/", top, "/sitemap-claims.xml"]
        host = {"Host": "127.0.0.1"}  # behind one address, as a load balancer sends them
        for c in servers:
            c.headers = host
        for _ in range(4):
            for c in servers:
                for page in pages:
                    c.get(page)

        def counts():
            # SET commands, and keys other than kept pages (parts kept once per revision: the
            # spread timeline, a fact check's JSON-LD, its appearances, its card).
            sets = client.info("commandstats").get("cmdstat_set", {}).get("calls", 0)
            others = sum(1 for key in client.scan_iter() if b"public-page:" not in key)
            return sets, others

        before = counts()
        run([PYTHON, __file__, "--publish-one"], full["env"], capture_output=True)
        for _ in range(12):
            for c in servers:
                for page in pages:
                    c.get(page)
        after = counts()
    finally:
        second.stop()
    kept = (after[0] - before[0]) - (after[1] - before[1])
    return f"{kept} for {len(pages)} pages (72 requests over 6 workers)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=25)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--import-files", type=int, default=200)
    parser.add_argument("--facts", help=argparse.SUPPRESS)
    parser.add_argument("--import-only", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--spread-claim", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--publish-one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.facts:
        return facts_main(args.facts)
    if args.publish_one:
        return publish_main()
    if args.import_only:
        return import_main(args.import_only)
    if args.spread_claim:
        return spread_claim_main()
    if not os.environ.get("FACTCHECK_BENCH_PG"):
        # Re-run under a throwaway PostgreSQL server with normal durability.
        env = {**os.environ, "FACTCHECK_BENCH_PG": "1", "PG_SERVER_OPTIONS": ""}
        script = str(ROOT / "tests" / "with_postgres.sh")
        os.execve(script, [script, PYTHON, __file__, *sys.argv[1:]], env)
    base = os.environ["DATABASE_URL"]
    stack = contextlib.ExitStack()
    with stack:
        run_all(args, base, stack)


def run_all(args, base: str, stack: contextlib.ExitStack) -> None:
    n = args.requests
    password = secrets.token_urlsafe(16)
    small_size = max(10, args.articles // 10)
    print(f"== archives: {args.articles:,} articles and {small_size:,} (10%)", flush=True)
    small = prepare(base, "bench_small", small_size, password)
    full = prepare(base, "bench_full", args.articles, password)
    static_root = tempfile.mkdtemp(prefix="factcheck-static-")
    run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        {**full["env"], "DEBUG": "0", "STATIC_ROOT": static_root, "SECRET_KEY": "collect"},
    )

    def facts(archive, username="bench-editor"):
        out = run(
            [PYTHON, __file__, "--facts", username], archive["env"], capture_output=True, text=True
        ).stdout
        return json.loads(out)

    print("== 100% archive", flush=True)
    f = facts(full)
    # The shared cache, as docker-compose runs it (README, "Deploying"); both archives' servers
    # keep their pages there (databases 0 and 1).
    redis_url = stack.enter_context(redis_server())
    server = Server(full["url"], static_root, redis_url)
    try:
        public = Client(server.port)
        editor = Client(server.port, f["session"])
        top = f"/claims/{f['top_claim']}/"
        rss_before = server.worker_rss_mb()
        row(
            f"public claim page, most quoted claim ({f['top_claim_outlets']} outlets)",
            attempt(lambda: fmt(compare(public, lambda: public.get(top), n))),
            "≤ 10× and < 100 KB",
        )
        busy = concurrent(public, top, args.users, args.seconds)
        busy32 = concurrent(public, top, 32, args.seconds / 2)
        row(
            "  same page under load",
            f"p50 {busy['ms']:.0f} ms at {args.users} users, {busy32['ms']:.0f} ms at 32"
            f" ({busy['errors'] + busy32['errors']} failed); "
            f"worker RSS {max(rss_before):.0f} → {max(server.worker_rss_mb()):.0f} MB",
            "worker RSS < 150 MB",
        )
        typical = f"/claims/{f['typical_claim']}/"
        row(
            f"typical popular claim page ({f['typical_claim_outlets']} outlets)",
            attempt(lambda: fmt(compare(public, lambda: public.get(typical), n))),
            "≤ 8×",
        )
        for name, path, target in (
            ("public home", "/", "≤ 8×"),
            ("home search", "/?q=putin", "≤ 10×"),
            ("sitemap index", "/sitemap.xml", "≤ 10×"),
            ("sitemap page (kept)", "/sitemap-claims.xml", "≤ 10×"),
            ("Atom feed", "/claims/feed/", "≤ 10×"),
            # The public API (issue 21): a page of the list, and the most quoted fact
            # check's detail (its first 25 appearances, every revision).
            ("API list", "/api/v1/fact-checks", "≤ 5×"),
            ("API detail, most quoted claim", f"/api/v1/fact-checks/{f['top_claim']}", "≤ 5×"),
            ("API detail, typical claim", f"/api/v1/fact-checks/{f['typical_claim']}", "≤ 5×"),
        ):
            measured = attempt(lambda path=path: fmt(compare(public, lambda: public.get(path), n)))
            row(name, measured, target)
        for q in ("putin trump", "kremlin congratulations", "issue 4711"):
            path = "/desk/?q=" + urllib.parse.quote_plus(q)
            row(
                f"desk article search ({q!r})",
                fmt(compare(editor, lambda path=path: editor.get(path), n)),
                "≤ 150 ms",
            )
        pages = {
            key: compare(editor, lambda key=key: editor.get(f"/desk/articles/{f[key]['pk']}/"), n)
            for key in ("busy", "empty")
        }
        row(
            "desk article page, 1,000 highlights vs none",
            f"{pages['busy']['ms'] / pages['empty']['ms']:.2f}× "
            f"({fmt(pages['busy'])} vs {fmt(pages['empty'])})",
            "≤ 2×",
        )
        saves = {}
        for key in ("busy", "empty"):
            words = iter(f[key]["words"])

            def save(key=key, words=words):
                start, end, exact = next(words)
                return editor.post(
                    f"/desk/articles/{f[key]['pk']}/annotations/",
                    {
                        "start": start,
                        "end": end,
                        "exact": exact,
                        "stance": "asserts",
                        "claim": f["claim_pk"],
                    },
                )

            saves[key] = compare(editor, save, n)
        row(
            "saving a highlight, 1,000-highlight article vs empty",
            f"{saves['busy']['ms'] / saves['empty']['ms']:.2f}× "
            f"({saves['busy']['ms']:.0f} ms, {saves['busy']['bytes'] / 1024:.0f} KB vs "
            f"{saves['empty']['ms']:.0f} ms, {saves['empty']['bytes'] / 1024:.0f} KB)",
            "≤ 1.5×",
        )
        scale_rows(args, f, public, editor, server, full, static_root, redis_url, n)
        print("== growth: the 10% and the 100% archive side by side", flush=True)
        small_server = Server(small["url"], static_root, redis_url[:-1] + "1")
        try:
            growth = measure_growth(Client(small_server.port, facts(small)["session"]), editor, n)
        finally:
            small_server.stop()
    finally:
        server.stop()
    for name, result in growth.items():
        big, little = result["full"], result["small"]
        row(
            f"{name}, 100% vs 10% of the archive",
            f"{big['ratio'] / little['ratio']:.2f}× ({big['ms']:.0f} ms vs {little['ms']:.0f} ms)",
            "≤ 1.3×",
        )

    row(
        "public fact check with a 700-appearance spread timeline vs without it",
        attempt(lambda: measure_spread(full, static_root, n)),
        "≤ 1.3×",
    )

    print("== import", flush=True)
    imp_url = database_url(base, "bench_import")
    create_database(base, "bench_import")
    imp_env = {**os.environ, "DATABASE_URL": imp_url, "SECRET_KEY": SECRET_KEY}
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], imp_env)
    out = run(
        [PYTHON, __file__, "--import-only", str(args.import_files)],
        imp_env,
        capture_output=True,
        text=True,
    ).stdout
    imp = json.loads(out)
    row(
        f"import of {imp['imported']} files vs reading + bulk insert",
        f"{imp['import'] / imp['baseline']:.2f}× ({imp['imported'] / imp['import']:.0f} vs "
        f"{imp['imported'] / imp['baseline']:.0f} articles/s)",
        "≤ 2×",
    )
    shutil.rmtree(static_root, ignore_errors=True)

    print()
    print(
        f"Archive: {f['articles']:,} articles (10%: {small_size:,}); "
        f"{n} requests per row, alternating with {STATIC}."
    )
    print("| page | measured | target |")
    print("|---|---|---|")
    for name, measured, target in ROWS:
        print(f"| {name} | {measured} | {target} |")


if __name__ == "__main__":
    main()
