"""The word shingles that find copies of one story: the same numbers in every process (they
are stored), the same whether a text is read whole or in pieces, and the stored sketches
recomputed by the migration that changed how they are made."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from articles import text
from articles.importing import SKETCH_SIZE
from tests.migrations import migrate_to

ROOT = Path(__file__).resolve().parents[2]
TEXT = "The Kremlin said Putin congratulated Trump. Кремль заявив: Путін привітав Трампа!"
# The sketch of TEXT, as stored. If a Python release ever hashes tuples of ints differently,
# this fails first: the stored sketches must then be recomputed (as 0011_fast_shingles does).
PINNED = [
    -6133140440912169018,
    -3283976873748678287,
    -2345726320200679851,
    -1090699813755948822,
]


def _sketch_in_a_process(seed: str) -> list[int]:
    code = "from articles.text import shingle_sketch as s; import sys; print(s(sys.argv[1], 4))"
    out = subprocess.run(
        [sys.executable, "-c", code, TEXT],
        cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [int(n) for n in re.findall(r"-?\d+", out)]


def test_shingle_hashes_are_the_same_in_every_process():
    """Sketches are stored and compared with the sketches of later imports, made by other
    processes whose str hashes are salted differently."""
    assert _sketch_in_a_process("1") == _sketch_in_a_process("2") == text.shingle_sketch(TEXT, 4)
    assert text.shingle_sketch(TEXT, 4) == PINNED


def _runs(body: str, size: int = text.SHINGLE_WORDS) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", body.casefold())
    return {tuple(words[i : i + size]) for i in range(max(len(words) - size + 1, 1))}


@pytest.mark.parametrize(
    "body",
    [
        "",
        "one",
        "two words",
        "Exactly four words here",
        "ПУТІН привітав Трампа, сказав Кремль; путін ПРИВІТАВ трампа.",
    ],
)
def test_a_shingle_is_a_run_of_four_case_folded_words_and_a_short_text_is_one(body):
    assert len(text.shingle_set(body)) == (len(_runs(body)) if body else 0)
    if body:  # the same runs give the same numbers, whatever their case
        assert text.shingle_set(body.upper()) == text.shingle_set(body.lower())


def test_a_long_text_read_in_pieces_has_every_run_once_across_the_cuts():
    """A text longer than a piece is read a piece at a time: the runs that cross a cut are
    all there, and the sketch is the smallest of all of them."""
    words = [f"w{(n * 7919) % 3001}" for n in range(120_000)]  # about 750 KB: three pieces
    body = " ".join(words)
    assert len(body) > 2 * 256 * 1024
    whole = text.shingle_set(body)
    assert len(whole) == len(_runs(body))
    assert text.shingle_sketch(body, SKETCH_SIZE) == sorted(whole)[:SKETCH_SIZE]
    # a run across a cut is the same number as that run in a short text
    assert text.shingle_set(" ".join(words[43_000:43_004])) <= whole


BEFORE = [("articles", "0010_i18n_site")]
AFTER = [("articles", "0011_fast_shingles")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_the_stored_sketches_are_made_again_with_the_new_hash_and_back():
    """0011_fast_shingles: the sketches stored with a digest per run become the sketches the
    import now makes (so a copy of an article stored before is still found), and back."""
    migration = importlib.import_module("articles.migrations.0011_fast_shingles")
    apps = migrate_to(BEFORE)
    Article = apps.get_model("articles", "Article")
    ArticleShingle = apps.get_model("articles", "ArticleShingle")
    bodies = {"a": TEXT, "b": "Putin congratulated Trump on his victory, the Kremlin said. " * 40}
    for name, body in bodies.items():
        article = Article.objects.create(title=name, body=body, content_hash=name)
        ArticleShingle.objects.bulk_create(
            ArticleShingle(article=article, hash=h) for h in migration._digest_sketch(body)
        )

    def stored(apps):
        rows = apps.get_model("articles", "ArticleShingle").objects.order_by("hash")
        found = {}
        for row in rows.select_related("article"):
            found.setdefault(row.article.title, []).append(row.hash)
        return found

    before = stored(apps)
    assert before == {name: migration._digest_sketch(body) for name, body in bodies.items()}
    after = stored(migrate_to(AFTER))
    assert after == {name: text.shingle_sketch(body, SKETCH_SIZE) for name, body in bodies.items()}
    assert after != before
    assert stored(migrate_to(BEFORE)) == before  # and back
    call_command("migrate", verbosity=0)  # leave the schema as the other tests expect it
