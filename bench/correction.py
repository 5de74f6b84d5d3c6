"""A correction of a 50,000-word article carrying 1,000 highlights.

Prints the time of the whole ``article_correct`` (re-anchoring and every database write, in its
transaction) next to the same correction of the same article without highlights, the ratio,
and what happened to the highlights. The correction is a realistic mix: sentences inserted
and deleted, a paragraph moved, typos fixed and quotation marks and spaces changed inside
highlighted words; then two corrections that touch every paragraph. Runs against a throwaway
SQLite database, or the database in ``DATABASE_URL`` when it is set (e.g. under
tests/with_postgres.sh); prints numbers, asserts nothing.

Then the outcomes of a corpus of generated corrections of the seeds (issue 22,
tests/claims/correction_corpus.py: 24 kinds of correction, each in several variants, on each
seed, two typographic variants of it and two Cyrillic ones, every highlight of the article
judged against labels drawn from where each character came from): wrong placements (a live
highlight over words that are not its own), needless orphans (its words untouched, yet
orphaned), and the share of slight edits inside a quote that were re-anchored on the right
words; the same for the 22 kinds of the third round, and under the corpus's labels before
they followed what the text shows (issue 22, fourth round: tests/claims/correction_corpus.py,
``RETYPED_SAME``, ``WORDS_STAND``, ``STUTTER_EITHER``).

    .venv/bin/python bench/correction.py
    CORPUS_SEEDS=20-39 .venv/bin/python bench/correction.py   # other generator seeds
    tests/with_postgres.sh .venv/bin/python bench/correction.py
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = 50_000
ANNOTATIONS = 1_000
RUNS = 3
CORPUS_VARIANTS = 5  # corrections of each kind per text


def _seeds(spec: str) -> range:
    """``CORPUS_SEEDS``: "20" is generator seeds 0-19, "20-39" those seeds."""
    low, _, high = spec.partition("-")
    return range(int(low), int(high) + 1) if high else range(int(low))


CORPUS_SEEDS = _seeds(os.environ.get("CORPUS_SEEDS", "20"))  # generator seeds
HELD_OUT = 41_024  # outcomes in the held-out corpus: needless orphans are scaled to it


def make_body(rng: random.Random) -> str:
    syllables = ["ka", "ri", "mos", "tel", "va", "pu", "tin", "ber", "lo", "sen", "dra", "ko"]
    vocabulary = [
        "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(3000)
    ]
    vocabulary += ["Путін", "Trump", "🎉", "«Kremlin»", "“quote”", "it’s", "Peskov"]
    words = []
    for i in range(WORDS):
        word = rng.choice(vocabulary)
        separator = " "
        if i % 120 == 119:
            separator = ".\n\n"
        elif i % 15 == 14:
            separator = ". "
        elif rng.random() < 0.01:
            separator = "\u00a0"
        words.append(word + separator)
    return "".join(words)


def make_correction(body: str, rng: random.Random, quotes: list[tuple[int, int]]) -> str:
    """About forty edits, applied from the end so earlier offsets stay valid."""
    edits = []  # (start, end, replacement)
    for start, end in rng.sample(quotes, 12):  # small edits inside highlighted words
        middle = body.find(" ", start + 1, end)
        if middle != -1:
            edits.append((middle, middle + 1, "\u00a0"))
    for _ in range(10):  # sentences inserted at paragraph breaks
        at = body.find("\n\n", rng.randrange(len(body)))
        if at != -1:
            edits.append((at, at, "\n\nInserted sentence, according to Interfax."))
    for _ in range(10):  # words deleted
        at = body.find(" ", rng.randrange(len(body) - 100))
        nxt = body.find(" ", at + 1)
        edits.append((at, nxt, ""))
    for _ in range(8):  # typos fixed (a letter changed)
        at = rng.randrange(len(body) - 1)
        if body[at].isalpha():
            edits.append((at, at + 1, "x"))
    edits.sort(reverse=True)
    text, last = body, len(body) + 1
    for start, end, replacement in edits:
        if end <= last:  # skip overlapping edits
            text = text[:start] + replacement + text[end:]
            last = start
    # A paragraph moved from the middle to the end.
    first = text.find("\n\n", len(text) // 2)
    second = text.find("\n\n", first + 2)
    paragraph = text[first:second]
    return text[:first] + text[second:] + paragraph


def main() -> None:
    if "DATABASE_URL" not in os.environ:
        tmp = tempfile.mkdtemp(prefix="factcheck-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from articles.models import Article, Outlet
    from claims.models import Annotation, Claim
    from claims.services.corrections import article_correct

    call_command("migrate", verbosity=0)
    editor = get_user_model().objects.create_user("bench-corrector", password="x")
    outlet = Outlet.objects.create(name="Bench outlet (corrections)", domain="bench-c.example")
    claims = [Claim.objects.create(statement=f"Correction bench claim {n}") for n in range(20)]
    rng = random.Random(8)
    body = make_body(rng)

    # Spans of 3..60 words, starting anywhere: neighbours overlap, some nest.
    word_starts = [0] + [i + 1 for i, ch in enumerate(body) if ch in " \n\u00a0"]
    quotes = []
    context = Annotation.CONTEXT_LENGTH
    for _ in range(ANNOTATIONS):
        first = rng.randrange(len(word_starts) - 70)
        last = first + rng.randint(3, 60)
        start, end = word_starts[first], word_starts[last] - 1
        quotes.append((start, end))
    new_text = make_correction(body, rng, quotes)

    def measure(with_highlights: bool, text: str = new_text) -> tuple[float, object]:
        times, correction = [], None
        for run in range(RUNS):
            # Each run in a transaction rolled back: the same article, corrected afresh.
            with transaction.atomic():
                article = Article.objects.create(
                    outlet=outlet, title=f"Bench {with_highlights} {run}", body=body
                )
                if with_highlights:
                    Annotation.objects.bulk_create(
                        Annotation(
                            article=article,
                            claim=claims[n % len(claims)],
                            stance="asserts",
                            start=start,
                            end=end,
                            exact=body[start:end],
                            prefix=body[max(0, start - context) : start],
                            suffix=body[end : end + context],
                            author=editor,
                        )
                        for n, (start, end) in enumerate(quotes)
                    )
                t0 = time.perf_counter()
                correction = article_correct(
                    article=article, user=editor, new_text=text, reason="Bench"
                )
                times.append(time.perf_counter() - t0)
                transaction.set_rollback(True)
        return statistics.median(times), correction

    bare, _ = measure(False)
    busy, correction = measure(True)
    print(f"database: {connection.vendor}; article: {WORDS:,} words, {len(body):,} code points")
    print(f"correction without highlights:   {bare * 1000:8.1f} ms  (median of {RUNS})")
    label = f"correction with {ANNOTATIONS:,} highlights:"
    print(f"{label:<33}{busy * 1000:8.1f} ms  (median of {RUNS})")
    print(f"ratio (with / without):          {busy / bare:8.2f}")
    print(f"highlights: {correction.summary()}")
    # Corrections that touch every paragraph: the diff and the re-anchoring's worst cases.
    harder = {
        "a typo in every paragraph": "\n\n".join(p[:50] + "Q" + p[51:] for p in body.split("\n\n")),
        "every space a no-break space": body.replace(" ", "\u00a0"),
    }
    for name, text in harder.items():
        seconds, result = measure(True, text)
        print(f"{name}: {seconds * 1000:.1f} ms; {result.summary()}")
    corpus()


def corpus(variants: int = CORPUS_VARIANTS, seeds=None) -> None:
    """The corpus figures for each seed of the generator, then over all of them, with the
    needless orphans also per 41,024 outcomes (the size of the issue's held-out corpus)."""
    from tests.claims.correction_corpus import Tally, run

    seeds = CORPUS_SEEDS if seeds is None else seeds
    total, original, t0 = Tally(), Tally(), time.perf_counter()
    print(f"corpus of generated corrections of the seeds, generator seeds {seeds[0]}-{seeds[-1]}:")
    print(f"  {'seed':>4}{'outcomes':>10}{'wrong':>7}{'needless':>10}{'slight re-anchored':>26}")
    for seed in seeds:
        tally = run(seed=seed, variants=variants, original=original)
        row = f"{tally.outcomes:>10,}{tally.wrong:>7}{tally.needless:>10}"
        print(f"  {seed:>4}{row}{_share(tally):>26}")
        total.merge(tally)
    seconds = time.perf_counter() - t0
    print(f"  all seeds ({seconds:.0f} s, labelling included): {total.outcomes:,} outcomes")
    _figures(total)
    print("  the 22 kinds before the two edge kinds (issue 22, third round):")
    _figures(_without(total, EDGE_KINDS))
    print("  the same outcomes under the labels before they followed what the text shows:")
    _figures(original)
    print(f"  {'kind of correction':<36}{'outcomes':>9}{'wrong':>7}{'needless':>9}{'slight':>14}")
    for kind, (outcomes, wrong, needless, slight, live) in total.by_kind.items():
        print(f"  {kind:<36}{outcomes:>9}{wrong:>7}{needless:>9}{f'{live}/{slight}':>14}")


EDGE_KINDS = ("word duplicated at a quote edge", "word deleted at a quote edge")


def _figures(tally) -> None:
    per = tally.needless * HELD_OUT / tally.outcomes if tally.outcomes else 0.0
    print(f"  wrong placements:             {tally.wrong:6d}")
    print(f"  needless orphans:             {tally.needless:6d}  ({per:.1f} per {HELD_OUT:,})")
    print(f"  slight edits re-anchored:     {_share(tally)}")


def _without(tally, kinds):
    """The tally's counts without the given kinds of correction."""
    from tests.claims.correction_corpus import Tally

    rest = Tally()
    for kind, row in tally.by_kind.items():
        if kind not in kinds:
            rest.outcomes, rest.wrong, rest.needless = (
                rest.outcomes + row[0],
                rest.wrong + row[1],
                rest.needless + row[2],
            )
            rest.slight, rest.slight_live = rest.slight + row[3], rest.slight_live + row[4]
    return rest


def _share(tally) -> str:
    share = tally.slight_live / tally.slight if tally.slight else 0.0
    return f"{tally.slight_live} of {tally.slight} ({share:.1%})"


if __name__ == "__main__":
    main()
