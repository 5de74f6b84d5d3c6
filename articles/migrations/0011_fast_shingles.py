"""The stored sketches recomputed with the shingle hash of ``articles.text`` (a run's hash
made from its words' hashes, several times faster at import than a digest per run), and
back with the digest per run on reverse."""

import hashlib
import heapq
import re

from django.db import migrations

SKETCH_SIZE = 32  # articles.importing.SKETCH_SIZE when this was written
BATCH = 5000


def _digest_sketch(text: str) -> list[int]:
    """The sketch as 0008 to 0010 stored it: blake2b of each run of four case-folded words
    joined by a space (a text shorter than four words is one run)."""
    words = [w.casefold() for w in re.findall(r"\w+", text)]
    runs = {" ".join(words[i : i + 4]) for i in range(max(len(words) - 3, 1))} if words else set()
    hashes = {
        int.from_bytes(hashlib.blake2b(r.encode(), digest_size=8).digest(), "big", signed=True)
        for r in runs
    }
    return heapq.nsmallest(SKETCH_SIZE, hashes)


def _resketch(apps, sketch) -> None:
    Article = apps.get_model("articles", "Article")
    ArticleShingle = apps.get_model("articles", "ArticleShingle")
    ArticleShingle.objects.all().delete()
    rows = []
    for pk, body in Article.objects.values_list("pk", "body").iterator(chunk_size=200):
        rows.extend(ArticleShingle(article_id=pk, hash=h) for h in sketch(body))
        if len(rows) >= BATCH:
            ArticleShingle.objects.bulk_create(rows)
            rows = []
    ArticleShingle.objects.bulk_create(rows)


def forwards(apps, schema_editor):
    from articles.text import shingle_sketch

    _resketch(apps, lambda body: shingle_sketch(body, SKETCH_SIZE))


def backwards(apps, schema_editor):
    _resketch(apps, _digest_sketch)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_i18n_site"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
