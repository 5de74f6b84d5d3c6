"""How long keeping page furniture out of an imported file's body takes
(articles.furniture.without_furniture): the five seed files, and a 5 MB file (the largest an
import takes) of prose lines with a share/print footer. Prints numbers, asserts nothing.

    .venv/bin/python bench/furniture.py
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.extract import article_body  # noqa: E402
from articles.furniture import without_furniture  # noqa: E402
from articles.text import normalize_text  # noqa: E402

LINES = [
    "Путін привітав Трампа через посередників, повідомило джерело {n}. Кремль заперечив.",
    "The Kremlin said report {n} was pure fiction, and no call took place on that day.",
    "Share",
    "",
]
FOOTER = "\n\nПоділитися\nFacebook\nTelegram\nВерсія для друку\nСтежте за нами у Telegram\n"


def best_of(runs: int, func, *args) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func(*args)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    bodies = [article_body(normalize_text(path.read_text(encoding="utf-8"))) for path in seeds]
    total = sum(best_of(20, without_furniture, body) for body in bodies)
    chars = sum(len(body) for body in bodies)
    print(f"seeds: {len(bodies)} files, {chars:,} characters: {total * 1000:.2f} ms in all")
    lines, size, n = [], 0, 0
    while size < 5_000_000:
        line = LINES[n % len(LINES)].format(n=n)
        lines.append(line)
        size += len(line.encode("utf-8")) + 1
        n += 1
    big = "\n".join(lines) + FOOTER
    seconds = best_of(3, without_furniture, big)
    mb = len(big.encode("utf-8")) / 1e6
    print(f"one {mb:.1f} MB file ({len(lines):,} lines): {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
