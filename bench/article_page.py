"""The article page with 1,000 overlapping highlights on a 50,000-word article.

Prints the server time of the page (median of several GETs through django.test.Client, as an
editor) next to the same page without highlights, the ratio, and the page's size. Runs
against a throwaway SQLite database; prints numbers, asserts nothing.

    .venv/bin/python bench/article_page.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = 50_000
ANNOTATIONS = 1_000
RUNS = 7


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="factcheck-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DEBUG", "1")
    # The test client's host. Not setup_test_environment(): its template instrumentation
    # copies every context and would be measured as server time.
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    from articles.models import Article, Outlet
    from claims.models import Annotation, Claim
    from factcheck import roles

    call_command("migrate", verbosity=0)
    editor = get_user_model().objects.create_user("bench-editor", password="x")
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    outlet = Outlet.objects.create(name="Bench outlet", domain="bench.example")

    vocabulary = [
        "Путін",
        "congratulated",
        "Trump",
        "🎉",
        "via",
        "intermediaries,",
        "the",
        "Kremlin",
    ]
    words = [
        vocabulary[i % len(vocabulary)] + ("\n\n" if i % 120 == 119 else " ") for i in range(WORDS)
    ]
    body = "".join(words)
    bare = Article.objects.create(outlet=outlet, title="Without highlights", body=body)
    busy = Article.objects.create(outlet=outlet, title="With highlights", body=body + " ")
    claims = [Claim.objects.create(statement=f"Bench claim {n}") for n in range(20)]

    # Spans of 20..200 words, starting every ~50 words: neighbours overlap, some nest.
    starts, position = [], 0
    for w in words:
        starts.append(position)
        position += len(w)
    context = Annotation.CONTEXT_LENGTH
    annotations = []
    for n in range(ANNOTATIONS):
        first = (n * 47) % (WORDS - 250)
        last = first + 20 + (n * 37) % 180
        start, end = starts[first], starts[last] - 1
        annotations.append(
            Annotation(
                article=busy,
                claim=claims[n % len(claims)],
                stance=["asserts", "attributes", "disputes"][n % 3],
                start=start,
                end=end,
                exact=body[start:end],
                prefix=body[max(0, start - context) : start],
                suffix=body[end : end + context],
                author=editor,
            )
        )
    Annotation.objects.bulk_create(annotations)

    client = Client()
    client.force_login(editor)

    def measure(article):
        client.get(article.get_absolute_url())  # warm caches and sessions
        times, size = [], 0
        for _ in range(RUNS):
            t0 = time.perf_counter()
            response = client.get(article.get_absolute_url())
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200, response.status_code
            size = len(response.content)
        return statistics.median(times), size

    if os.environ.get("TIMINGS"):
        import collections

        from claims.selectors import article as selectors
        from claims.views import annotate

        spent = collections.Counter()

        def timed(name, fn):
            def wrapper(*args, **kwargs):
                t0 = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    spent[name] += time.perf_counter() - t0

            return wrapper

        for name in ("spans", "panel", "render_segments", "segment_bounds"):
            setattr(selectors, name, timed(name, getattr(selectors, name)))
        annotate.render = timed("render", annotate.render)
        for article in (bare, busy):
            spent.clear()
            measure(article)
            print(article.title)
            for name, seconds in spent.items():
                print(f"  {name:<16}{seconds / (RUNS + 1) * 1000:8.1f} ms")
        return
    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        cProfile.runctx("measure(busy)", globals(), locals(), "/tmp/article.prof")
        pstats.Stats("/tmp/article.prof").sort_stats("cumulative").print_stats(25)
        return
    bare_time, bare_size = measure(bare)
    busy_time, busy_size = measure(busy)
    print(f"article: {WORDS:,} words, {len(body):,} code points; median of {RUNS} GETs")
    print(f"without highlights:        {bare_time * 1000:8.1f} ms  {bare_size:>10,} bytes")
    label = f"with {ANNOTATIONS:,} highlights:"
    print(f"{label:<27}{busy_time * 1000:8.1f} ms  {busy_size:>10,} bytes")
    print(f"ratio (with / without):    {busy_time / bare_time:8.2f}")


if __name__ == "__main__":
    main()
