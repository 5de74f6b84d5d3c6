"""A corpus of generated corrections of the seeds, each highlight's outcome labelled from where
every character of the new text came from (issue 22). Pure: no database.

Used by ``bench/correction.py`` (the figures) and ``tests/claims/test_correction_outcomes.py``
(a slice of it, asserted).

Every correction is a list of edits applied to a *tracked* text: each character keeps the old
offset it came from (a moved passage keeps its origins; a typographic swap — NBSP ↔ space,
curly ↔ straight quote — keeps its origin too), or is new (typed, or a pasted copy). A
highlight's label follows from its own characters alone:

- ``same``: all its (non-space) characters are still there, in order, with nothing typed
  between them: it must stay live on exactly those characters. Orphaning it is a *needless
  orphan*.
- ``slight``: a few characters typed or deleted among its own (at most ``SLIGHT`` of each, no
  line break, no old words from elsewhere): it must be re-anchored over them.
- ``gone``: its characters are gone, or split by a line, sentence or clause (more than
  ``BIG`` characters typed among them, or old words moved in): it must not be live at all.
- ``either``: between ``slight`` and ``gone``; a quote of fewer than ``SHORT`` letters
  edited; or its words with their context occur twice (identical twins, a paragraph pasted
  twice): orphaned is fine; live only on its own (or a twin's) characters.

Labels follow what the text shows, not what an edit's history hides (``RETYPED_SAME``): a
character typed in place of exactly one old character, and the same character (a letter
doubled, then one of the two dropped), is that old character — no text could tell them
apart, so no re-anchoring could be judged on the difference. This holds for any corpus built
from tracked edits.

Two more, for a *slight* edit the highlight must follow (a live highlight is still judged,
so neither weakens what counts as wrong; each applies to any corpus):

- ``WORDS_STAND``: an edit that deleted whole words of the quote and left no more of its words
  intact than it deleted or changed ("a statement" → "a", "suggested that" → "suggesed") is
  not a slight edit of those words: ``either``.
- ``STUTTER_EITHER``: words typed at a quote's edge right beside a copy of themselves (give
  or take a typo), the quote's words edited as well ("congratulated Trump" → "congratualted
  Trump Trump"): the text shows two copies and nothing of which one the quote had — typed
  after its own "Trump" or before it, the new text is the same and the right span is not —
  so ``either``.

A live highlight is *wrong* when it covers a (non-space) character that is neither its own
nor typed inside or at the edge of its own words, or when it misses one of its own.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from articles.text import normalize_text
from claims.anchoring import Anchor, Reanchorer, fold

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SHORT = 4  # a quote of fewer letters edited is "either": any changed letter can make another word
SLIGHT = 12  # at most this many characters typed, and deleted, for a slight edit
BIG = 24  # more than this many typed or deleted: the quote is not the same passage
CONTEXT = 32
RETYPED_SAME = True  # a character typed over the same old character counts as carried
WORDS_STAND = True  # a quote that lost whole words, keeping no more than it lost: "either"
STUTTER_EITHER = True  # words typed beside a copy of themselves at a quote's edge: "either"

# Words and sentences an editor might type (inserted lines, rewrites).
SENTENCES = [
    "Part of the plan, he said, would force Kyiv to cede land.",
    "The Kremlin denied the report later, according to Interfax.",
    "Peskov did not say whether a message had been sent.",
    "This article has been updated with a statement from the Foreign Ministry.",
    "Officials in Washington declined to comment on Thursday.",
    "“We will see what happens in January,” he added.",
    "Russia’s position, the source said, had not changed.",
    "The vote was certified on Friday.",
    "Updated at 14:05 to add the spokesman’s remarks",
    "Editor’s note: an earlier version misstated the date.",
]
WORDS = ["also", "reportedly", "then", "in fact", "not", "still", "Trump", "Putin", "said"]
TYPOGRAPHY = {'"': "\u201c", "\u201c": '"', "\u201d": '"', "'": "\u2019", "\u2019": "'"}


@dataclass
class Tracked:
    """A text being corrected; each character is (char, origin, kind): origin is the old
    offset (None for typed text), kind ``"old"``, ``"new"`` (typed) or ``"copy"`` (pasted
    from ``origin``)."""

    chars: list = field(default_factory=list)
    cuts: list = field(default_factory=list)  # (lowest, highest) old offsets of each cut
    _index: tuple | None = None
    source: str = ""  # the old text

    @classmethod
    def of(cls, text: str) -> Tracked:
        return cls([(ch, i, "old") for i, ch in enumerate(text)], source=text)

    @property
    def text(self) -> str:
        return "".join(c[0] for c in self.chars)

    def index(self) -> tuple[dict, dict]:
        """Where each old character is now ({origin: position}), and its pasted copies
        ({origin: [positions]})."""
        if self._index is None:
            if RETYPED_SAME:
                self._retyped_same()
            carried, copies = {}, {}
            for i, c in enumerate(self.chars):
                if c[2] == "old":
                    carried[c[1]] = i
                elif c[2] == "copy":
                    copies.setdefault(c[1], []).append(i)
            self._index = carried, copies
        return self._index

    def _retyped_same(self) -> None:
        """Labels follow what the text shows (``RETYPED_SAME``): the one character typed in
        place of one old character, the same character, becomes that old character."""
        carried, retyped = set(), {}
        for i, c in enumerate(self.chars):
            if c[2] == "old":
                carried.add(c[1])
            elif len(c) > 3 and c[3][0] == c[3][1] == int(c[3][0]):
                retyped.setdefault(int(c[3][0]), []).append(i)
        for origin, (i, *more) in retyped.items():
            same = self.source[origin : origin + 1] == self.chars[i][0]
            if not more and same and origin not in carried:
                self.chars[i] = (self.chars[i][0], origin, "old")

    def typed(self, text: str) -> list:
        return [(ch, None, "new") for ch in text]

    def replace(self, start: int, end: int, items: list) -> None:
        """Replace chars[start:end]; typed characters remember which old characters they
        replaced, or between which they were inserted: ``(lowest, highest)`` old offsets."""
        # A pasted copy's characters stand for their origins: a typo in a copy is a typo in
        # the words it copies.
        replaced = [c[1] for c in self.chars[start:end] if c[2] in ("old", "copy")]
        solid = [c[1] for c in self.chars[start:end] if c[2] == "old" and not c[0].isspace()]
        retyped = [c[3] for c in self.chars[start:end] if len(c) > 3]
        if solid:
            self.cuts.append((min(solid), max(solid)))
        if replaced or retyped:  # typed over old text, or over typed text (a typo in it)
            lows = [*replaced, *(w[0] for w in retyped)]
            highs = [*replaced, *(w[1] for w in retyped)]
            where = (min(lows), max(highs))
        else:
            left = next((c[1] for c in reversed(self.chars[:start]) if c[2] == "old"), -1)
            right = next((c[1] for c in self.chars[end:] if c[2] == "old"), 1 << 30)
            where = (left + 0.5, right - 0.5)
        self._index = None
        self.chars[start:end] = [
            (c[0], c[1], c[2], where) if c[2] == "new" and len(c) == 3 else c for c in items
        ]

    def where(self, old_offset: int) -> int | None:
        for i, c in enumerate(self.chars):
            if c[1] == old_offset and c[2] == "old":
                return i
        return None


# -- text units ---------------------------------------------------------------------------

_WORD = re.compile(r"\S+")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'\u201d\u2019)]*)?")


def word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text)]


def line_spans(text: str) -> list[tuple[int, int]]:
    spans, at = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"(?:[^\n]+\n?)+", text):
        start, end = m.span()
        spans.append((start, end))
    return [s for s in spans if text[s[0] : s[1]].strip()]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _SENTENCE.finditer(text):
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        if end - start > 12:
            spans.append((start, end))
    return spans


# -- the texts and their highlights ------------------------------------------------------


def base_texts() -> list[tuple[str, str]]:
    """Each seed as imported, and in two typographic variants (runs of no-break spaces,
    straight quotes): (name, text)."""
    texts = []
    for path in SEEDS:
        text = normalize_text(path.read_text(encoding="utf-8"))
        name = path.stem[:3]
        texts.append((name, text))
        draws = random.Random(name)
        spaced = "".join(
            "\u00a0\u00a0" if part == " " and draws.random() < 0.04 else part
            for part in re.split(r"((?<=\w) (?=\w))", text)
        )
        texts.append((name + "-nbsp", spaced))
        texts.append((name + "-straight", fold(text)))
        if name in CYRILLIC_SEEDS:
            texts.append((name + "-cyrillic", cyrillic(text)))
    return texts


# Latin letters → Cyrillic ones (case kept): the seeds' structure in another script, so that
# words, case and word edges of Cyrillic text are exercised.
_CYRILLIC = dict(zip("abcdefghijklmnopqrstuvwxyz", "абцдефгхіжклмнопкрстуввхуз", strict=True))
CYRILLIC_SEEDS = ("000", "003")


def cyrillic(text: str) -> str:
    return "".join(
        (_CYRILLIC[ch.lower()].upper() if ch.isupper() else _CYRILLIC[ch])
        if ch.lower() in _CYRILLIC
        else ch
        for ch in text
    )


def pick_highlights(text: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """Spans between word edges: short (1–3 words), medium (4–12), long (a sentence or two,
    up to 300 characters)."""
    words = word_spans(text)
    sentences = sentence_spans(text)
    found = set()
    while len(found) < count:
        kind = rng.random()
        if kind < 0.3:
            first = rng.randrange(len(words))
            last = min(len(words) - 1, first + rng.randint(0, 2))
            span = (words[first][0], words[last][1])
        elif kind < 0.65:
            first = rng.randrange(len(words))
            last = min(len(words) - 1, first + rng.randint(3, 11))
            span = (words[first][0], words[last][1])
        elif kind < 0.75:  # across a paragraph's end: its last words and the next's first
            breaks = [m.start() for m in re.finditer(r"\S\n+\s*\S", text)]
            at = rng.choice(breaks) + 1
            before = [w for w in words if w[1] <= at][-rng.randint(1, 6) :]
            after = [w for w in words if w[0] > at][: rng.randint(1, 6)]
            span = (before[0][0], after[-1][1]) if before and after else words[0]
        else:
            first = rng.randrange(len(sentences))
            last = min(len(sentences) - 1, first + rng.randint(0, 1))
            span = (sentences[first][0], sentences[last][1])
            if span[1] - span[0] > 300:
                span = (sentences[first][0], sentences[first][1])
        if text[span[0] : span[1]].strip():
            found.add(span)
    return sorted(found)


# -- corrections ---------------------------------------------------------------------------


def _boundaries(text: str, start: int, end: int) -> list[int]:
    """Offsets in [start, end] just before a word."""
    return [
        i
        for i in range(start, end + 1)
        if i == 0 or (text[i - 1].isspace() and i < len(text) and not text[i].isspace())
    ]


def _near(rng, text, at, reach=120) -> int:
    bounds = _boundaries(text, max(0, at - reach), min(len(text), at + reach))
    return rng.choice(bounds) if bounds else at


def _position(tracked: Tracked, old_offset: int) -> int:
    where = tracked.where(old_offset)
    return where if where is not None else min(old_offset, len(tracked.chars))


def _line_text(rng) -> str:
    return rng.choice(SENTENCES)


def insert_line_inside(rng, t: Tracked, q):
    """A new line or sentence typed inside the quote."""
    s = _position(t, q[0])
    e = _position(t, q[1] - 1) + 1
    text = t.text
    bounds = [b for b in _boundaries(text, s + 1, e - 1)]
    if not bounds:
        return
    at = rng.choice(bounds)
    line = _line_text(rng)
    shape = rng.choice(["\n{}\n", "{} ", "{}\n", "\n\n{}\n\n"])
    t.replace(at, at, t.typed(shape.format(line)))


def move_line_inside(rng, t: Tracked, q):
    """A line or sentence from elsewhere moved into the quote."""
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    units = [u for u in line_spans(text) + sentence_spans(text) if u[1] <= s or u[0] >= e]
    if not units:
        return
    a, b = rng.choice(units)
    moved = t.chars[a:b] + [(rng.choice([" ", "\n"]), None, "new")]
    t.replace(a, b, [])
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    bounds = _boundaries(text, s + 1, e - 1)
    if bounds:
        at = rng.choice(bounds)
        t.replace(at, at, moved)


def insert_line_near(rng, t: Tracked, q):
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    text = t.text
    side = rng.choice([s, e])
    at = _near(rng, text, side, rng.choice([10, 60, 200]))
    if s < at < e:
        at = rng.choice([s, e])
    line = _line_text(rng)
    if at == e:  # after the quote's last word
        shape = rng.choice(["\n{}", " {}", "\n\n{}"])
    else:  # before a word
        shape = rng.choice(["{}\n", "{} ", "{}\n\n"])
    t.replace(at, at, t.typed(shape.format(line)))


def move_line_near(rng, t: Tracked, q):
    """Another line or sentence moved to just before or after the quote."""
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    units = [u for u in line_spans(text) + sentence_spans(text) if u[1] < s - 1 or u[0] > e + 1]
    if not units:
        return
    a, b = rng.choice(units)
    moved = t.chars[a:b] + [(rng.choice([" ", "\n"]), None, "new")]
    t.replace(a, b + 1 if b < len(t.chars) and t.chars[b][0].isspace() else b, [])
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    at = rng.choice([s, e])
    if at == e:  # after the quote's last word: the moved words go after a space
        moved = [(" ", None, "new")] + moved[:-1]
    t.replace(at, at, moved)


def delete_near(rng, t: Tracked, q):
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    units = [
        u
        for u in line_spans(text) + sentence_spans(text)
        if (u[1] <= s and s - u[1] < 200) or (u[0] >= e and u[0] - e < 200)
    ]
    if units:
        a, b = rng.choice(units)
        t.replace(a, b, [])


def delete_own(rng, t: Tracked, q):
    """The sentence or line holding the quote deleted."""
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    units = [u for u in line_spans(text) + sentence_spans(text) if u[0] <= s and e <= u[1]]
    if units:
        a, b = rng.choice(units)
        t.replace(a, b, [])


def rewrite_own(rng, t: Tracked, q):
    """The quote's sentence rewritten, some of its words kept (typed anew, in another
    order)."""
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    units = [u for u in sentence_spans(text) if u[0] <= s and e <= u[1]]
    if not units:
        return
    a, b = units[0]
    words = text[a:b].split()[::-1]  # no two of its words in the same order
    if len(words) < 4:
        words = []  # too short to keep any: another sentence
    rewritten = " ".join(words[: max(3, len(words) // 2)] + [rng.choice(SENTENCES)])
    t.replace(a, b, t.typed(rewritten))


def duplicate_near(rng, t: Tracked, q):
    """A nearby paragraph (or line) pasted twice."""
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    units = [
        u
        for u in paragraph_spans(text) + line_spans(text)
        if (u[1] <= s and s - u[1] < 300) or (u[0] >= e and u[0] - e < 300)
    ]
    if units:
        a, b = rng.choice(units)
        copy = [(c[0], c[1], "copy") for c in t.chars[a:b]]
        sep = t.typed(rng.choice(["\n", "\n\n"]))
        t.replace(b, b, sep + copy)


def duplicate_own(rng, t: Tracked, q):
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    units = [u for u in paragraph_spans(text) + line_spans(text) if u[0] <= s and e <= u[1]]
    if units:
        a, b = rng.choice(units)
        copy = [(c[0], c[1], "copy") for c in t.chars[a:b]]
        t.replace(b, b, t.typed("\n") + copy)


def move_own(rng, t: Tracked, q):
    """The paragraph (or line) holding the quote moved elsewhere."""
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    units = [u for u in paragraph_spans(text) + line_spans(text) if u[0] <= s and e <= u[1]]
    if not units:
        return
    a, b = rng.choice(units)
    moved = t.chars[a:b]
    t.replace(a, b, [])
    text = t.text
    targets = [0, len(text)] + [p[0] for p in paragraph_spans(text)]
    at = rng.choice(targets)
    t.replace(at, at, moved + t.typed("\n"))


def _typo(rng, t: Tracked, at: int) -> None:
    ch = t.chars[at][0]
    kind = rng.choice(["replace", "double", "drop", "swap"])
    if kind == "replace":
        t.replace(at, at + 1, t.typed("a" if ch != "a" else "e"))
    elif kind == "double":
        t.replace(at, at + 1, t.typed(ch + ch))
    elif kind == "drop":
        t.replace(at, at + 1, [])
    elif at + 1 < len(t.chars) and t.chars[at + 1][0].isalpha() and t.chars[at + 1][0] != ch:
        nxt = t.chars[at + 1][0]
        t.replace(at, at + 2, t.typed(nxt + ch))


def typos_context(rng, t: Tracked, q):
    """One to three typos in the words just before and after the quote."""
    for _ in range(rng.randint(1, 3)):
        text = t.text
        s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
        reach = rng.choice([3, 8, 20, 30])
        spots = [
            i
            for i in list(range(max(0, s - reach), s)) + list(range(e, min(len(text), e + reach)))
            if text[i].isalpha()
        ]
        if spots:
            _typo(rng, t, rng.choice(spots))


def whitespace(rng, t: Tracked, q):
    """Whitespace only, inside and around the quote: NBSP ↔ space, runs collapsed or
    doubled, a line break ↔ a space."""
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    lo, hi = max(0, s - 40), min(len(text), e + 40)
    spots = [i for i in range(lo, hi) if text[i].isspace()]
    rng.shuffle(spots)
    for i in sorted(spots[: rng.randint(1, 6)], reverse=True):
        ch = t.chars[i][0]
        origin = t.chars[i][1]
        kind = rng.choice(["nbsp", "newline", "collapse", "double"])
        if kind == "nbsp":
            new = " " if ch == "\u00a0" else "\u00a0"
            t.replace(i, i + 1, [(new, origin, t.chars[i][2])])
        elif kind == "newline":
            new = " " if ch == "\n" else "\n"
            t.replace(i, i + 1, [(new, origin, t.chars[i][2])])
        elif kind == "collapse":
            j = i
            while j < len(t.chars) and t.chars[j][0].isspace():
                j += 1
            t.replace(i, j, [(" ", origin, t.chars[i][2])])
        else:
            t.replace(i, i + 1, [(ch, origin, t.chars[i][2]), ("\u00a0", None, "new")])


def slight_inside(rng, t: Tracked, q):
    """A small edit of the quote's own words: a typo or two, a word changed, added or
    dropped, quotation marks or case changed."""
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    letters = [i for i in range(s, e) if text[i].isalpha()]
    words = [w for w in word_spans(text) if s <= w[0] and w[1] <= e]
    kind = rng.choice(["typo", "typos", "word", "add", "drop", "quotes", "case", "comma"])
    if kind in ("typo", "typos") and letters:
        for at in sorted(rng.sample(letters, min(len(letters), 1 if kind == "typo" else 2)))[::-1]:
            _typo(rng, t, at)
    elif kind == "word" and words:
        a, b = rng.choice(words)
        bare = text[a:b].strip(".,;:!?\"'\u201c\u201d\u2019()")
        t.replace(a, b, t.typed(rng.choice([w for w in WORDS if w != bare])))
    elif kind == "add" and len(words) > 1:
        a, _ = rng.choice(words[1:])
        t.replace(a, a, t.typed(rng.choice(WORDS) + " "))
    elif kind == "drop" and len(words) > 2:
        a, b = rng.choice(words[1:-1])
        if b - a <= 10:
            t.replace(a, b + 1, [])
    elif kind == "quotes":
        spots = [i for i in range(s, e) if text[i] in TYPOGRAPHY]
        for i in spots:
            t.replace(i, i + 1, [(TYPOGRAPHY[text[i]], t.chars[i][1], t.chars[i][2])])
        if not spots and letters:
            _typo(rng, t, rng.choice(letters))
    elif kind == "comma" and len(words) > 1:
        _, b = rng.choice(words[:-1])
        if text[b - 1] in ",;":
            t.replace(b - 1, b, [])
        else:
            t.replace(b, b, t.typed(","))
    elif letters:
        i = rng.choice(letters)
        ch = text[i]
        t.replace(i, i + 1, t.typed(ch.lower() if ch.isupper() else ch.upper()))
    if rng.random() < 0.3:  # and a space inside made a no-break space
        whitespace(rng, t, q)


def slight_and_context(rng, t: Tracked, q):
    slight_inside(rng, t, q)
    typos_context(rng, t, q)


def edit_elsewhere(rng, t: Tracked, q):
    """A far paragraph edited: a typo, a sentence rewritten, or a line deleted."""
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    far = [u for u in sentence_spans(text) if u[1] < s - 100 or u[0] > e + 100]
    if not far:
        return
    a, b = rng.choice(far)
    choice = rng.random()
    if choice < 0.4:
        letters = [i for i in range(a, b) if text[i].isalpha()]
        if letters:
            _typo(rng, t, rng.choice(letters))
    elif choice < 0.7:
        t.replace(a, b, t.typed(rng.choice(SENTENCES)))
    else:
        t.replace(a, b, [])


def edit_a_twin(rng, t: Tracked, q):
    """The article pastes the quote's line twice; later one copy is edited (the correction:
    both happen here, as two edits of one correction)."""
    duplicate_own(rng, t, q)
    text = t.text
    copies = [i for i, c in enumerate(t.chars) if c[2] == "copy" and text[i].isalpha()]
    if copies:
        _typo(rng, t, rng.choice(copies))


# -- what outlets' corrections also do (issue 22, second round) ---------------------------

NOTES = [
    "Update, 7 November 2024: This article has been updated with a statement from the Kremlin.",
    "Correction: An earlier version of this article misspelled the spokesman’s name.",
    "Editor’s note: This story was updated at 18:20 Kyiv time.",
    "UPDATE: Peskov later said the Kremlin had “nothing to add”.",
]
BOILERPLATE = [
    "Follow us on Instagram",
    "Read also:",
    "Advertisement",
    "Subscribe to our Telegram channel",
    "Читайте також",
]
# Spellings an outlet changes throughout an article (transliteration, house style).
RESPELLINGS = [
    ("Kiev", "Kyiv"),
    ("Zelensky", "Zelenskyy"),
    ("Dmitry", "Dmytro"),
    ("Medvedev", "Medvediev"),
    ("Matvienko", "Matviyenko"),
    ("Volodymyr", "Volodimir"),
    ("Peskov", "Peskow"),
    ("Putin", "Poutine"),
    ("Путин", "Путін"),
]
TYPESET = {'"': "“", "'": "’", "-": "—", " ": " "}


def _respell(t: Tracked, at: int, old: str, new: str) -> None:
    """``old`` at ``at`` made ``new``, letter by letter: the letters both have keep their
    origins, the others are typed."""
    from difflib import SequenceMatcher

    items = []
    chars = t.chars[at : at + len(old)]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        items += chars[i1:i2] if tag == "equal" else t.typed(new[j1:j2])
    t.replace(at, at + len(old), items)


def respell_throughout(rng, t: Tracked, q):
    """A name's spelling changed everywhere in the article (Kiev → Kyiv)."""
    text = t.text
    pairs = [(a, b) for a, b in RESPELLINGS + [(cyrillic(a), cyrillic(b)) for a, b in RESPELLINGS]]
    present = [(a, b) for a, b in pairs if a in text]
    if not present:
        return
    old, new = rng.choice(present)
    for at in reversed([m.start() for m in re.finditer(re.escape(old), text)]):
        _respell(t, at, old, new)


def typeset_throughout(rng, t: Tracked, q):
    """Typography changed everywhere: straight quotes made curly, hyphens dashes, some
    spaces no-break spaces (what a CMS's "smart punctuation" does)."""
    text = t.text
    chosen = rng.sample(sorted(TYPESET), rng.randint(1, 3))
    for i, ch in enumerate(text):
        if ch in chosen and (ch != " " or rng.random() < 0.2):
            if ch == "-" and not (0 < i < len(text) - 1 and text[i - 1] == text[i + 1] == " "):
                continue  # only a hyphen between spaces is a dash
            c = t.chars[i]
            t.chars[i] = (TYPESET[ch], *c[1:])
    t._index = None


def reorder_paragraphs(rng, t: Tracked, q):
    """Two paragraphs swapped, often the quote's own."""
    text = t.text
    paragraphs = paragraph_spans(text)
    if len(paragraphs) < 3:
        return
    s = _position(t, q[0])
    own = [p for p in paragraphs if p[0] <= s < p[1]]
    first = own[0] if own and rng.random() < 0.6 else rng.choice(paragraphs)
    second = rng.choice([p for p in paragraphs if p != first])
    (a1, b1), (a2, b2) = sorted([first, second])
    one, two = t.chars[a1:b1], t.chars[a2:b2]
    t.replace(a2, b2, one)
    t.replace(a1, b1, two)


def insert_note(rng, t: Tracked, q):
    """An update or correction note put in as a paragraph: at the top, at the end, or just
    before or after the quote's paragraph."""
    text = t.text
    note = rng.choice(NOTES)
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    before = text.rfind("\n", 0, s) + 1
    after = text.find("\n", e)
    after = len(text) if after == -1 else after
    at = rng.choice([0, len(text), before, after])
    shape = "\n\n{}" if at == after or at == len(text) else "{}\n\n"
    t.replace(at, at, t.typed(shape.format(note)))


def repeat_boilerplate(rng, t: Tracked, q):
    """A boilerplate line ("Follow us on Instagram") put in at two or three line breaks,
    one of them next to the quote's line."""
    text = t.text
    line = rng.choice(BOILERPLATE)
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    breaks = [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    if not breaks:
        return
    near = min(breaks, key=lambda b: min(abs(b - s), abs(b - e)))
    spots = {near, *rng.sample(breaks, min(len(breaks), rng.randint(1, 2)))}
    for at in sorted(spots, reverse=True):
        t.replace(at, at, t.typed(line + "\n"))


def rewrite_neighbour(rng, t: Tracked, q):
    """The sentence just before or just after the quote rewritten."""
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    sentences = sentence_spans(text)
    before = [u for u in sentences if u[1] <= s]
    after = [u for u in sentences if u[0] >= e]
    choices = ([before[-1]] if before else []) + ([after[0]] if after else [])
    if choices:
        a, b = rng.choice(choices)
        t.replace(a, b, t.typed(rng.choice(SENTENCES)))


_SIGNS = ".,;:!?\"'()\u201c\u201d\u2019\u00ab\u00bb"


def _edge_words(rng, t: Tracked, q) -> list[tuple[int, int]] | None:
    """One or two words at an edge of the quote: its first or last, or the one(s) just
    before or after it (None when there are none)."""
    text = t.text
    s, e = _position(t, q[0]), _position(t, q[1] - 1) + 1
    words = word_spans(text)
    inside = [w for w in words if s <= w[0] and w[1] <= e]
    before = [w for w in words if w[1] <= s]
    after = [w for w in words if w[0] >= e]
    n = 2 if rng.random() < 0.25 else 1
    groups = [g for g in (inside[:n], inside[-n:], before[-n:], after[:n]) if len(g) == n]
    return rng.choice(groups) if groups else None


def duplicate_at_edge(rng, t: Tracked, q):
    """A word (or two) at a quote's edge typed twice: the quote's first or last word(s), or
    the word(s) just before or after it, typed again just before or just after themselves
    ("congratulated Trump on" → "congratulated Trump Trump on"), so the copy falls inside
    or outside the quote."""
    group = _edge_words(rng, t, q)
    if group is None:
        return
    text = t.text
    (a, _), (_, b) = group[0], group[-1]
    a += len(text[a:b]) - len(text[a:b].lstrip(_SIGNS))
    b -= len(text[a:b]) - len(text[a:b].rstrip(_SIGNS))
    words = " ".join(text[a:b].split())
    if not words.strip(_SIGNS) or "\n" in text[a:b]:
        return  # words typed twice are typed on one line
    if rng.random() < 0.5:
        t.replace(a, a, t.typed(words + " "))  # the copy typed first
    else:
        t.replace(b, b, t.typed(" " + words))  # the copy typed after
    _and_a_typo(rng, t, q)


def _and_a_typo(rng, t: Tracked, q):
    """Now and then, a typo inside the quote as well: then its exact words are gone, and
    only the edited words can place it."""
    if rng.random() < 1 / 3:
        text = t.text
        s, e = _position(t, q[0]), min(len(text), _position(t, q[1] - 1) + 1)
        # A letter of a word of two letters or more: a typo, not a word deleted.
        letters = [i for i in range(s, e) if text[i].isalpha() and _in_a_word(text, i)]
        if letters:
            _typo(rng, t, rng.choice(letters))


def _in_a_word(text: str, i: int) -> bool:
    return (i > 0 and text[i - 1].isalnum()) or (i + 1 < len(text) and text[i + 1].isalnum())


def delete_at_edge(rng, t: Tracked, q):
    """A word (or two) at a quote's edge deleted with one space: the quote's first or last
    word(s), or the word(s) just before or after it."""
    group = _edge_words(rng, t, q)
    if group is None:
        return
    text = t.text
    (a, _), (_, b) = group[0], group[-1]
    if b < len(text) and text[b] == " ":
        b += 1
    elif a > 0 and text[a - 1] == " ":
        a -= 1
    t.replace(a, b, [])
    _and_a_typo(rng, t, q)


KINDS = {
    "line inserted inside": insert_line_inside,
    "line moved inside": move_line_inside,
    "line inserted near": insert_line_near,
    "line moved near": move_line_near,
    "line deleted near": delete_near,
    "own sentence deleted": delete_own,
    "own sentence rewritten": rewrite_own,
    "paragraph pasted twice near": duplicate_near,
    "own paragraph pasted twice": duplicate_own,
    "own paragraph moved": move_own,
    "typos in context": typos_context,
    "whitespace only": whitespace,
    "slight edit inside": slight_inside,
    "slight edit and typos in context": slight_and_context,
    "edit elsewhere": edit_elsewhere,
    "pasted twice, one copy edited": edit_a_twin,
    "spelling changed throughout": respell_throughout,
    "typography changed throughout": typeset_throughout,
    "paragraphs reordered": reorder_paragraphs,
    "update note inserted": insert_note,
    "boilerplate line repeated": repeat_boilerplate,
    "neighbouring sentence rewritten": rewrite_neighbour,
    "word duplicated at a quote edge": duplicate_at_edge,
    "word deleted at a quote edge": delete_at_edge,
}


# -- labels and verdicts -------------------------------------------------------------------


def label(old: str, tracked: Tracked, span: tuple[int, int]) -> tuple[str, list]:
    """The expected outcome of the highlight ``span`` (see the module's docstring) and the
    new positions of its own characters."""
    s, e = span
    chars = tracked.chars
    carried, copies = tracked.index()
    own = sorted(carried[o] for o in range(s, e) if o in carried)
    solid = [i for i in own if not chars[i][0].isspace()]
    copied = any(o in copies for o in range(s, e))
    if not solid:
        return ("either" if copied or _twin_line(old, s, e) else "gone"), own
    quote_solid = sum(1 for ch in old[s:e] if not ch.isspace())
    deleted = quote_solid - len(solid)
    lo, hi = solid[0], solid[-1]
    in_order = all(chars[a][1] < chars[b][1] for a, b in zip(solid, solid[1:], strict=False))
    typed = moved_in = 0
    newline = False
    own_set = set(own)
    for i in range(lo, hi + 1):
        if i in own_set:
            continue
        ch, origin, kind = chars[i][:3]
        if ch.isspace():
            continue
        if kind == "new":
            typed += 1
        else:
            moved_in += 1
    for i in range(lo, hi + 1):
        if chars[i][0] == "\n" and chars[i][2] == "new":
            newline = True
    window = fold(old[max(0, s - CONTEXT) : e + CONTEXT])
    twin_line = _twin_line(old, s, e)
    twins = copied or twin_line or fold(old).count(window) > 1
    if not in_order or moved_in or typed > BIG or deleted > BIG or newline and typed:
        verdict = "gone"
    elif typed == 0 and deleted == 0:
        verdict = "same"
    elif typed <= SLIGHT and deleted <= SLIGHT:
        verdict = "slight"
    else:
        verdict = "either"
    if verdict == "slight" and any(_across(cut, s, e) for cut in tracked.cuts):
        verdict = "either"  # cut across its edge (a sentence or a line deleted with its words)
    if verdict == "slight" and _passage(old, s, e, carried, chars, lo, hi, own_set):
        verdict = "either"  # a line, sentence or clause deleted or typed: not slight
    if verdict == "slight" and sum(ch.isalnum() for ch in old[s:e]) < SHORT:
        verdict = "either"  # "by" → "my": a word this short edited is as likely another word
    if twins and verdict in ("same", "slight", "gone"):
        verdict = "either" if verdict != "gone" or copied or twin_line else verdict
    if verdict == "slight" and WORDS_STAND and _words_lost(old, s, e, carried):
        verdict = "either"  # "a statement" → "a": most of its words gone
    if verdict == "slight" and STUTTER_EITHER and _stutter_at(chars, lo, hi):
        verdict = "either"  # "congratualted Trump Trump": which "Trump" is its own?
    return verdict, own


def _words_lost(old: str, s: int, e: int, carried: dict) -> bool:
    """``WORDS_STAND``: whether whole words of the quote were deleted and no more of its
    words stand intact (every character carried, in one piece) than were deleted or
    changed."""
    standing = lost = changed = 0
    for m in _WORD.finditer(old, s, e):
        mine = [carried.get(o) for o in range(m.start(), m.end())]
        if all(i is None for i in mine):
            lost += 1
        elif None not in mine and mine[-1] - mine[0] == len(mine) - 1:
            standing += 1
        else:
            changed += 1
    return lost > 0 and standing <= lost + changed


def _key(word: str) -> str:
    return re.sub(r"[\W_]+", "", word).casefold() or word


def _alike(a: str, b: str) -> bool:
    """Two word keys the same, give or take two typos (as in ``_typo``)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 2 or not a or not b:
        return False
    from difflib import SequenceMatcher

    same = sum(block.size for block in SequenceMatcher(None, a, b).get_matching_blocks())
    return max(len(a), len(b)) - same <= 2 and same >= min(len(a), len(b)) / 2


def _stutter_at(chars: list, lo: int, hi: int) -> bool:
    """``STUTTER_EITHER``: whether words typed at the quote's edge (touching its first or
    last own character, inside or outside) are a copy of the words right beside them: then
    the text shows two copies and no sign of which is the quote's own."""
    text = "".join(c[0] for c in chars)
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, max(0, lo - 200), hi + 200)]
    typed = [all(chars[i][2] == "new" for i in range(a, b)) for a, b in words]
    near = [k for k, (a, b) in enumerate(words) if b >= lo - 1 and a <= hi + 1]
    edges = {near[0], near[-1]} if near else set()
    for k in range(len(words)):
        if not typed[k]:
            continue
        for n in (1, 2, 3):
            for first in range(k - n + 1, k + 1):  # a run of n typed words holding word k
                run = range(first, first + n)
                if first < 0 or first + n > len(words) or not all(typed[j] for j in run):
                    continue
                for twin in (range(first - n, first), range(first + n, first + 2 * n)):
                    if twin.start < 0 or twin.stop > len(words):
                        continue
                    pair = [_key(text[slice(*words[j])]) for j in (*run, *twin)]
                    touches = edges & {*run, *twin}
                    if touches and all(
                        _alike(x, y) for x, y in zip(pair[:n], pair[n:], strict=True)
                    ):
                        return True
    return False


_CLAUSE = re.compile(r"[.!?;:,]")


def _passage(old, s, e, carried, chars, lo, hi, own_set) -> bool:
    """Whether the characters deleted from the highlight, or typed among its own, hold a
    whole line, or two words or more with a sentence's or a clause's end."""
    runs, current = [], []
    for i in range(s, e):
        if i not in carried and not old[i].isspace():
            current.append(i)
        elif not old[i].isspace() and current:
            runs.append(old[current[0] : current[-1] + 1])
            current = []
    if current:
        runs.append(old[current[0] : current[-1] + 1])
    typed, current = [], ""
    for i in range(lo, hi + 1):
        if i in own_set:
            if current.strip():
                typed.append(current)
            current = ""
        else:
            current += chars[i][0]
    for run in runs + typed:
        words = run.split()
        if len(words) > 1 and (_CLAUSE.search(run) or "\n" in run):
            return True
    for line_start in [s] + [i + 1 for i in range(s, e) if old[i] == "\n"]:
        line_end = old.find("\n", line_start)
        line_end = len(old) if line_end == -1 else line_end
        whole = (line_start == 0 or old[line_start - 1] == "\n") and line_end <= e
        solid = [i for i in range(line_start, min(line_end, e)) if not old[i].isspace()]
        if whole and solid and all(i not in carried for i in solid):
            return True  # a whole line of it deleted
    return False


def _twin_line(old: str, s: int, e: int) -> bool:
    """Whether a line holding part of the highlight occurs again, identical, in the old
    text: which of two identical lines a correction moved or deleted is the diff's guess."""
    start = old.rfind("\n", 0, s) + 1
    end = old.find("\n", e)
    lines = [line for line in old[start : len(old) if end == -1 else end].split("\n") if line]
    every = old.split("\n")
    return any(every.count(line) > 1 for line in lines)


def _across(cut, s, e) -> bool:
    """Whether a cut of old offsets (lowest, highest) took characters on both sides of an
    edge of the highlight [s, e)."""
    low, high = cut
    return low < s <= high or low < e - 1 < high or (low < s and high >= e)


def placed_right(old: str, tracked: Tracked, span, own, got: Anchor) -> bool:
    """Whether a live highlight covers its own characters (or a copy's, or a twin's) and no
    other words than those typed inside or at the edge of them."""
    if _covers(tracked, span, got, kinds=("old",)):
        return True
    if _covers(tracked, span, got, kinds=("copy",)):
        return True
    if _same_origins(tracked.chars, span, got, old):
        return True  # the end of a copy and the start of the original: the same words
    if _slid(tracked, span, got, old):
        return True  # "not plan" → "not not plan": which "not" was typed is not in the text
    # An identical twin in the old text (same words, same context): its characters count.
    s, e = span
    window = fold(old[max(0, s - CONTEXT) : e + CONTEXT])
    folded = fold(old)
    shift = s - max(0, s - CONTEXT)
    at = folded.find(window)
    while at != -1:
        twin = (at + shift, at + shift + (e - s))
        if twin != span and _covers(tracked, twin, got, kinds=("old",)):
            return True
        at = folded.find(window, at + 1)
    # Identical lines (one of them moved or deleted): the same words, none of them typed.
    solid = [c for c in tracked.chars[got.start : got.end] if not c[0].isspace()]
    same_words = squeeze_fold(got.exact) == squeeze_fold(old[s:e])
    return _twin_line(old, s, e) and same_words and all(c[2] == "old" for c in solid)


def _slid(tracked: Tracked, span, got: Anchor, old: str) -> bool:
    """Whether the highlight is on exactly its own words, over its own characters' place:
    a word typed (or deleted) beside its twin ("not" → "not not") can be read on either
    side of it, and the text is the same either way."""
    s, e = span
    carried, _ = tracked.index()
    own = [carried[o] for o in range(s, e) if o in carried and not old[o].isspace()]
    if squeeze_fold(got.exact) != squeeze_fold(old[s:e]) or not own:
        return False
    return got.start <= own[-1] and got.end > own[0]


def squeeze_fold(text: str) -> str:
    return " ".join(fold(text).split())


def _same_origins(chars, span, got: Anchor, old: str) -> bool:
    """Whether the highlight's span holds its own characters, once each, in order, whether
    carried or pasted (the end of a copy, then the original's start), from its first to its
    last, with at most ``SLIGHT`` of them gone and nothing typed but among them."""
    s, e = span
    inside = chars[got.start : got.end]
    origins = [c[1] for c in inside if not c[0].isspace() and c[2] in ("old", "copy")]
    if any(not c[0].isspace() and c[2] == "new" and not _typed_inside(c, s, e) for c in inside):
        return False
    wanted = [i for i in range(s, e) if not old[i].isspace()]
    if not origins or origins[0] != wanted[0] or origins[-1] != wanted[-1]:
        return False
    ordered = all(a < b for a, b in zip(origins, origins[1:], strict=False))
    return ordered and len(wanted) - len(origins) <= SLIGHT


def _covers(tracked: Tracked, span, got: Anchor, kinds) -> bool:
    s, e = span
    chars = tracked.chars
    carried, copies = tracked.index()
    if kinds == ("old",):
        mine = [carried[o] for o in range(s, e) if o in carried]
    else:
        mine = [i for o in range(s, e) for i in copies.get(o, ())]
    mine = sorted(i for i in mine if not chars[i][0].isspace())
    if not mine:
        return False
    if kinds == ("copy",):  # the copy nearest the highlight
        groups, current = [], [mine[0]]
        for i in mine[1:]:
            if i - current[-1] > (e - s) + 4:
                groups.append(current)
                current = [i]
            else:
                current.append(i)
        groups.append(current)
        return any(_covers_group(chars, g, got, kinds, span) for g in groups)
    return _covers_group(chars, mine, got, kinds, span)


def _covers_group(chars, mine, got: Anchor, kinds, span) -> bool:
    s, e = span
    if not (got.start <= mine[0] and mine[-1] < got.end):
        return False
    mine_set = set(mine)
    for i in range(got.start, got.end):
        ch, origin, kind = chars[i][:3]
        if ch.isspace() or i in mine_set:
            continue
        if kind == "new" and _typed_inside(chars[i], s, e):
            continue
        if kind == "new" and _typed_at_edge(chars, i, mine[0], mine[-1]):
            continue
        if kind in kinds and origin is not None and s <= origin < e:
            continue
        return False
    return True


def _typed_inside(char, s, e) -> bool:
    """A character typed in place of the highlight's own, or between two of them."""
    low, high = char[3]
    if low == int(low):  # typed over the old characters low..high
        return low < e and high >= s
    return s <= low - 0.5 and high + 0.5 < e  # typed between two old characters


def _typed_at_edge(chars, i, first, last) -> bool:
    """A typed character inside the highlight's own words, or in the same word as its first
    or last character."""
    if first <= i <= last:
        return True
    lo, hi = (i, first) if i < first else (last, i)
    return all(not chars[j][0].isspace() for j in range(lo, hi + 1))


@dataclass
class Tally:
    outcomes: int = 0
    wrong: int = 0
    needless: int = 0
    slight: int = 0
    slight_live: int = 0
    by_kind: dict = field(default_factory=dict)
    examples: list = field(default_factory=list)

    def merge(self, other: Tally) -> None:
        """Add another tally's counts (the examples are not kept)."""
        for name in ("outcomes", "wrong", "needless", "slight", "slight_live"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, row in other.by_kind.items():
            mine = self.by_kind.setdefault(kind, [0, 0, 0, 0, 0])
            mine[:] = [a + b for a, b in zip(mine, row, strict=True)]

    def add(self, kind: str, verdict: str, result, right: bool | None, example) -> None:
        self.outcomes += 1
        row = self.by_kind.setdefault(
            kind, [0, 0, 0, 0, 0]
        )  # outcomes, wrong, needless, slight, live
        row[0] += 1
        live = result.anchor is not None
        if live and right is False:
            self.wrong += 1
            row[1] += 1
            self.examples.append(("wrong", kind, verdict, example))
        if verdict == "same" and not live:
            self.needless += 1
            row[2] += 1
            self.examples.append(("needless", kind, verdict, example))
        if verdict == "slight":
            self.slight += 1
            row[3] += 1
            if live and right:
                self.slight_live += 1
                row[4] += 1
            else:
                self.examples.append(("slight", kind, verdict, example))


def corrections(seed: int = 22, variants: int = 6, highlights: int = 30):
    """Yield (kind, old, tracked, spans): ``variants`` corrections of each kind for each base
    text, each aimed at one of the text's ``highlights`` highlights (all of them are judged).
    Some corrections add a second, unrelated edit elsewhere."""
    rng = random.Random(seed)
    for _name, old in base_texts():
        spans = pick_highlights(old, rng, highlights)
        for kind, edit in KINDS.items():
            for _ in range(variants * (3 if kind.startswith("slight") else 1)):
                tracked = Tracked.of(old)
                target = rng.choice(spans)
                edit(rng, tracked, target)
                if rng.random() < 0.3:
                    other = rng.choice(spans)
                    rng.choice([typos_context, edit_elsewhere, insert_line_near])(
                        rng, tracked, other
                    )
                if tracked.text != old:
                    yield kind, old, tracked, spans


def judge(kind, old, tracked, spans, tally: Tally, original: Tally | None = None) -> None:
    """Re-anchor every highlight of one correction and count the outcomes in ``tally``;
    and in ``original`` too, if given, under the labels without the principles that make
    them follow what the text shows (``RETYPED_SAME``, ``WORDS_STAND``,
    ``STUTTER_EITHER``): the figures before the relabelling."""
    new = tracked.text
    reanchorer = Reanchorer(old, new)
    results = [reanchorer.reanchor(Anchor.at(old, span[0], span[1])) for span in spans]
    if original is not None:
        with _original_labels(tracked):
            _count(kind, old, tracked, spans, results, original)
    _count(kind, old, tracked, spans, results, tally)


class _original_labels:  # noqa: N801 (a context manager, named as it reads)
    """The labels without the relabelling principles, for one tracked text."""

    def __init__(self, tracked: Tracked):
        self.tracked = tracked

    def __enter__(self):
        global RETYPED_SAME, WORDS_STAND, STUTTER_EITHER
        self.saved = RETYPED_SAME, WORDS_STAND, STUTTER_EITHER
        RETYPED_SAME = WORDS_STAND = STUTTER_EITHER = False
        self.tracked._index = None

    def __exit__(self, *exc):
        global RETYPED_SAME, WORDS_STAND, STUTTER_EITHER
        RETYPED_SAME, WORDS_STAND, STUTTER_EITHER = self.saved
        self.tracked._index = None


def _count(kind, old, tracked, spans, results, tally: Tally) -> None:
    new = tracked.text
    for span, result in zip(spans, results, strict=True):
        verdict, own = label(old, tracked, span)
        right = None
        if result.anchor is not None:
            got = result.anchor
            assert new[got.start : got.end] == got.exact
            right = verdict != "gone" and placed_right(old, tracked, span, own, got)
        tally.add(kind, verdict, result, right, (old, new, span, result, tracked))


def run(original: Tally | None = None, **kwargs) -> Tally:
    tally = Tally()
    for kind, old, tracked, spans in corrections(**kwargs):
        judge(kind, old, tracked, spans, tally, original)
        if original is not None:
            original.examples.clear()
    return tally
