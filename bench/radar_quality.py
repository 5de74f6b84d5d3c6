"""The claim radar's quality on its labelled set (bench/radar_set.py): precision, recall, F1
and stance accuracy per language at the desk's threshold, a sweep of thresholds, and the
time. Pure: no database. Prints numbers, asserts nothing.

    .venv/bin/python bench/radar_quality.py
"""

import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.text import normalize_text  # noqa: E402
from bench.radar_set import ARTICLES, CLAIMS, LABELS  # noqa: E402
from radar.matching import THRESHOLD, Index, scan  # noqa: E402

CLAIM_IDS = {key: n for n, key in enumerate(CLAIMS, start=1)}


def gold_spans():
    bodies = {key: normalize_text(body) for key, _, body in ARTICLES}
    gold = defaultdict(list)  # article → [(claim id, start, end, stance)]
    for article, claim, quote, stance in LABELS:
        body = bodies[article]
        at = body.find(quote)
        assert at >= 0 and body.find(quote, at + 1) < 0, (article, quote)
        gold[article].append((CLAIM_IDS[claim], at, at + len(quote), stance))
    return bodies, gold


def evaluate(index, threshold, bodies, gold):
    per = defaultdict(
        lambda: {"tp": 0, "fp": 0, "fn": 0, "stance": 0, "fps": [], "stances": [], "fns": []}
    )
    for key, language, _ in ARTICLES:
        body = bodies[key]
        found = [m for m in scan(body, index) if m.score >= threshold]
        row = per[language]
        hit = set()
        for m in found:
            match = next(
                (
                    g
                    for g in gold[key]
                    if g[0] == m.claim_id and m.start < g[2] and g[1] < m.end and g not in hit
                ),
                None,
            )
            if match is None:
                row["fp"] += 1
                row["fps"].append((key, m.claim_id, body[m.start : m.end][:90]))
            else:
                hit.add(match)
                row["tp"] += 1
                row["stance"] += match[3] == m.stance
                if match[3] != m.stance:
                    row["stances"].append((key, m.stance, "labelled " + match[3], m.start))
        missed = [g for g in gold[key] if g not in hit]
        row["fn"] += len(missed)
        row["fns"] += [(key, g[0], body[g[1] : g[2]]) for g in missed]
    return per


def report(per, *, verbose=False):
    for language in ("en", "uk", "ru"):
        r = per[language]
        p = r["tp"] / ((r["tp"] + r["fp"]) or 1)
        rec = r["tp"] / ((r["tp"] + r["fn"]) or 1)
        f1 = 2 * p * rec / ((p + rec) or 1)
        stance = r["stance"] / (r["tp"] or 1)
        print(
            f"  {language}: precision {p:.2f}  recall {rec:.2f}  F1 {f1:.2f}  "
            f"stance accuracy {stance:.2f}  (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})"
        )
        if verbose:
            for fp in r["fps"]:
                print("     false positive:", fp)
            for wrong in r["stances"]:
                print("     stance:", wrong)
            for fn in r["fns"]:
                print("     missed:", fn)


def main():
    bodies, gold = gold_spans()
    every = [(CLAIM_IDS[key], text) for key, texts in CLAIMS.items() for text in texts.values()]
    english = [(CLAIM_IDS[key], wordings["en"]) for key, wordings in CLAIMS.items()]
    started = time.perf_counter()
    index = Index.build(every)
    per = evaluate(index, THRESHOLD, bodies, gold)
    took = time.perf_counter() - started
    print(
        f"Labelled set: {len(ARTICLES)} articles, {len(LABELS)} labelled passages, "
        f"{len(CLAIMS)} claims; threshold {THRESHOLD}"
    )
    print("Every wording (en, uk, ru):")
    report(per, verbose="-v" in sys.argv)
    print("English wordings only (cross-language: Ukrainian and Russian recall):")
    report(evaluate(Index.build(english), THRESHOLD, bodies, gold))
    print("Threshold sweep (every wording; en / uk / ru precision-recall):")
    for threshold in (0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        per_t = evaluate(index, threshold, bodies, gold)
        cells = []
        for language in ("en", "uk", "ru"):
            r = per_t[language]
            precision = r["tp"] / ((r["tp"] + r["fp"]) or 1)
            recall = r["tp"] / ((r["tp"] + r["fn"]) or 1)
            cells.append(f"{precision:.2f}/{recall:.2f}")
        print(f"  {threshold:.1f}: " + "  ".join(cells))
    print(f"Time: {took * 1000:.0f} ms for the set (first use loads the lemma dictionaries)")


if __name__ == "__main__":
    main()
