"""Articles from the web, measured: extraction quality, time per page, and a 50 MB answer.

1. Serves the labelled pages of bench/web_pages/ (news pages with navigation, share
   buttons, related links, cookie notices, captions, comments; English, Ukrainian and
   Russian; each NAME.html with its hand-checked main text NAME.txt) from a local HTTP
   server, imports them through `webfetch` (fetch + extract + store, into a throwaway SQLite
   database) and prints, per page and overall, the 4-gram word-shingle precision, recall
   and F1 of the stored body against the label — and the same for trafilatura's defaults
   (`trafilatura.extract(html)`) on the same pages.
2. The time per page of that import.
3. A 50 MB answer (no Content-Length): how many bytes the fetcher read before refusing it,
   and the peak memory of the fetch (tracemalloc).

Prints numbers, asserts nothing.   .venv/bin/python bench/web_import.py
"""

import os
import sys
import tempfile
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "bench" / "web_pages"
sys.path.insert(0, str(ROOT))


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    import re

    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i : i + n]) for i in range(max(len(words) - n + 1, 0))}


def scores(found: str, label: str) -> tuple[float, float, float]:
    got, want = shingles(found), shingles(label)
    if not got or not want:
        return 0.0, 0.0, 0.0
    common = len(got & want)
    precision, recall = common / len(got), common / len(want)
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return precision, recall, f1


class Pages(BaseHTTPRequestHandler):
    sent = 0

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            block = b"<p>" + b"x" * (1024 * 1024 - 3)
            try:
                for _ in range(50):
                    self.wfile.write(block)
                    Pages.sent += len(block)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        path = PAGES / (self.path.strip("/") + ".html")
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="factcheck-bench-web-"))
    os.environ.update(
        {
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            "FETCH_ALLOW_PRIVATE_NETWORKS": "127.0.0.1/32",
        }
    )
    import django

    django.setup()
    import trafilatura
    from django.core.management import call_command

    from articles.models import Article, ImportBatch
    from webfetch.fetcher import PAGE, FetchError, fetch
    from webfetch.services import urls_import

    call_command("migrate", verbosity=0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    names = sorted(p.stem for p in PAGES.glob("*.html"))
    start = time.perf_counter()
    report = urls_import(urls=[f"{base}/{name}" for name in names], via=ImportBatch.Via.COMMAND)
    elapsed = time.perf_counter() - start
    print(f"imported {report.imported} of {len(names)} pages; failed {report.failed}")

    ours_all, defaults_all = [], []
    print(f"{'page':<26} {'ours P':>7} {'R':>6} {'F1':>6}   {'defaults P':>10} {'R':>6} {'F1':>6}")
    for name in names:
        label = (PAGES / f"{name}.txt").read_text(encoding="utf-8")
        article = Article.objects.filter(source_url=f"{base}/{name}").first()
        ours = scores(article.body if article else "", label)
        html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
        defaults = scores(trafilatura.extract(html) or "", label)
        ours_all.append(ours)
        defaults_all.append(defaults)
        print(
            f"{name:<26} {ours[0]:7.3f} {ours[1]:6.3f} {ours[2]:6.3f}   "
            f"{defaults[0]:10.3f} {defaults[1]:6.3f} {defaults[2]:6.3f}"
        )

    def mean(rows, i):
        return sum(r[i] for r in rows) / len(rows)

    print(
        f"{'MEAN':<26} {mean(ours_all, 0):7.3f} {mean(ours_all, 1):6.3f} {mean(ours_all, 2):6.3f}"
        f"   {mean(defaults_all, 0):10.3f} {mean(defaults_all, 1):6.3f} "
        f"{mean(defaults_all, 2):6.3f}"
    )
    print(f"time per page (local fetch + extract + store): {elapsed / len(names) * 1000:.0f} ms")

    from django.conf import settings

    tracemalloc.start()
    try:
        fetch(f"{base}/huge", use=PAGE)
        print("50 MB answer: NOT refused")
    except FetchError as exc:
        _, peak = tracemalloc.get_traced_memory()
        print(f"50 MB answer: refused ({exc})")
        print(
            f"  limit {settings.FETCH_MAX_BYTES:,} bytes; body bytes read {exc.read:,}; "
            f"peak memory of the fetch {peak / 1024 / 1024:.1f} MB; the server had written "
            f"{Pages.sent / 1024 / 1024:.1f} MB into the socket (kernel buffers) when it closed"
        )
    finally:
        tracemalloc.stop()
    server.shutdown()


if __name__ == "__main__":
    main()
