"""Property-based tests of re-anchoring (issue 8), with hypothesis.

Texts mix Latin, Cyrillic, right-to-left scripts, emoji (flags and ZWJ sequences), combining
marks, CRLF line breaks (normalised, as the importer does) and repeated passages; edits
insert, delete, replace, duplicate and move passages, fix typos and change typography. Each
edit keeps, for every character of the new text, the old offset it came from (None when
inserted): the ground truth a highlight must respect.

Invariants:
- every highlight that is not orphaned points at its words: ``new[start:end] == exact``;
- kept or moved highlights keep their words, land where at least one side of the stored
  context is intact or the context still resembles it (rule 3), and never on other old words:
  a landing span carried from the old text is the highlight's own span;
- fuzzy re-anchoring (``reanchored``) has a score and lands on the highlight's own words
  edited, never on words from elsewhere;
- identical twins are never silently chosen: when a correction leaves the quote with both
  sides of its context in more than one place (and it was in one before), the result is
  ``ambiguous``.

The service-level property runs the same edits through ``annotation_create`` and
``article_correct`` on the test database (SQLite, and PostgreSQL under with_postgres.sh).
"""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.text import normalize_text
from claims.anchoring import BOTH, MIN_CONTEXT, Anchor, Reanchorer, _Quote, context_score, fold
from claims.models import Annotation, AnnotationChange, Claim, Stance
from claims.services.annotations import annotation_create
from claims.services.corrections import article_correct
from claims.textdiff import occurrences
from tests.factories import ArticleFactory

WORDS = [
    "Putin",
    "Trump",
    "said",
    "the",
    "Kremlin",
    "according",
    "to",
    "Interfax",
    "Peskov",
    "Lavrov",
    "Washington",
    "no",
    "plans",
    "Путін",
    "привітав",
    "Трампа",
    "שלום",
    "עולם",
    "مرحبا",
    "بالعالم",
    "🇺🇦",
    "👩\u200d👩\u200d👧",
    "🎉",
    "q\u0301",
    "Zoë",
    "naïve",
    "e\u0301t\u0323",
    '"quoted"',
    "it's",
    "\u201ccurly\u201d",
]
WORDS = [unicodedata.normalize("NFC", w) for w in WORDS]

sentences = st.lists(st.sampled_from(WORDS), min_size=3, max_size=10).map(
    lambda words: " ".join(words) + "."
)


@st.composite
def texts(draw):
    """Sentences on lines (CRLF normalised to LF), some passages repeated."""
    parts = draw(st.lists(sentences, min_size=2, max_size=8))
    for _ in range(draw(st.integers(0, 2))):  # repeated passages
        parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(parts)))
    separators = [draw(st.sampled_from([" ", "\r\n", "\n\n"])) for _ in parts]
    text = "".join(p + s for p, s in zip(parts, separators, strict=True))
    return text.replace("\r\n", "\n")


def word_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for i, ch in enumerate(text + " "):
        if ch.isspace():
            if start is not None:
                spans.append((start, i))
                start = None
        elif start is None:
            start = i
    return spans


@st.composite
def highlights(draw, text: str):
    words = word_spans(text)
    found = []
    for _ in range(draw(st.integers(1, 5))):
        first = draw(st.integers(0, len(words) - 1))
        last = draw(st.integers(first, min(len(words) - 1, first + 8)))
        found.append((words[first][0], words[last][1]))
    return found


class Tracked:
    """A text being edited, each character with the old offset it came from."""

    def __init__(self, text: str):
        self.chars = [(ch, i) for i, ch in enumerate(text)]

    @property
    def text(self) -> str:
        return "".join(ch for ch, _ in self.chars)

    def replace(self, start: int, end: int, new: list[tuple[str, int | None]]) -> None:
        self.chars[start:end] = new


@st.composite
def corrections(draw, text: str):
    """Apply one to four edits to ``text``; returns (new text, origin of each new char)."""
    tracked = Tracked(text)
    copied = False
    for _ in range(draw(st.integers(1, 4))):
        size = len(tracked.chars)
        kind = draw(
            st.sampled_from(
                ["insert", "delete", "replace", "duplicate", "move", "typo", "typography"]
            )
        )
        # Passages start and end between words, as an editor's cut and paste does. (Pasting
        # mid-word makes "Interfa|gton … Interfa|x" where either copy is the original one.)
        text = tracked.text
        bounds = [i for i in range(size + 1) if i in (0, size) or text[i - 1].isspace()]
        a = draw(st.sampled_from(bounds))
        b = draw(st.sampled_from([i for i in bounds if a <= i <= a + 80]))
        inserted = [(ch, None) for ch in draw(sentences) + draw(st.sampled_from([" ", "\n"]))]
        if kind == "insert":
            tracked.replace(a, a, inserted)
        elif kind == "delete" and b > a and b - a < size:
            tracked.replace(a, b, [])
        elif kind == "replace" and b > a:
            if [ch for ch, _ in inserted] != [ch for ch, _ in tracked.chars[a:b]]:
                tracked.replace(a, b, inserted)
        elif kind in ("duplicate", "move") and b > a:
            passage = tracked.chars[a:b]
            if kind == "move":
                tracked.replace(a, b, [])
            rest = tracked.text
            at = draw(
                st.sampled_from(
                    [
                        i
                        for i in range(len(rest) + 1)
                        if i in (0, len(rest)) or rest[i - 1].isspace()
                    ]
                )
            )
            # A copy is new text, even when it reads the same.
            copy = [(ch, None) for ch, _ in passage] if kind == "duplicate" else passage
            copied |= kind == "duplicate"
            tracked.replace(at, at, copy)
        elif kind == "typo":
            letters = [i for i, (ch, _) in enumerate(tracked.chars) if ch.isalpha()]
            if letters:
                i = draw(st.sampled_from(letters))
                new = "x" if tracked.chars[i][0] != "x" else "y"
                tracked.replace(i, i + 1, [(new, None)])
        elif kind == "typography":
            swaps = {'"': "\u201c", "\u201c": '"', "'": "\u2019", " ": "\u00a0", "\u00a0": " "}
            spots = [i for i, (ch, _) in enumerate(tracked.chars) if ch in swaps]
            if spots:
                i = draw(st.sampled_from(spots))
                tracked.replace(i, i + 1, [(swaps[tracked.chars[i][0]], None)])
    # After a copy, which of two identical passages is "the original" is a matter of
    # bookkeeping, not of text: the origins are then not a ground truth (see ``check``).
    return tracked.text, None if copied else [origin for _, origin in tracked.chars]


def anchor_at(text: str, start: int, end: int) -> Anchor:
    return Anchor(start, end, text[start:end], text[max(0, start - 32) : start], text[end:][:32])


def perfect_places(text: str, anchor: Anchor) -> list[int]:
    quote = _Quote(anchor)
    found, i = [], text.find(fold(anchor.exact))
    folded = fold(text)
    i = folded.find(quote.exact)
    while i != -1:
        if quote.sides(folded, i) == BOTH:
            found.append(i)
        i = folded.find(quote.exact, i + 1)
    return found


def check(old: str, new: str, origins: list, anchor: Anchor, result) -> None:
    if result.outcome in ("orphaned", "ambiguous"):
        assert result.anchor is None
        return
    got = result.anchor
    assert new[got.start : got.end] == got.exact
    assert got.prefix == new[max(0, got.start - 32) : got.start]
    assert got.suffix == new[got.end :][:32]
    landed = [o for o in (origins or [])[got.start : got.end] if o is not None]
    own = [o for o in landed if anchor.start <= o < anchor.end]
    if result.outcome in ("kept", "moved"):
        assert got.exact == anchor.exact
        sides = _Quote(anchor).sides(fold(new), got.start)
        # A side of its context, or enough of it, or its own words moved whole (issue 22:
        # a passage moved, found by its words, unique in both texts).
        moved_whole = landed and len(landed) == len(got.exact) and own == landed
        unique = all(
            len(occurrences(fold(t), fold(anchor.exact), 2) or [0, 0]) == 1 for t in (old, new)
        )
        assert (
            sides
            or context_score(anchor, new, got.start) >= MIN_CONTEXT / 2
            or moved_whole
            or (origins is None and unique)  # after a paste the origins say nothing
        )
        # Never on other words. Where the text leaves no doubt (the quote occurs once before
        # and after, and its own characters are still together), exactly on its own ones.
        image = [
            i
            for i, o in enumerate(origins or [])
            if o is not None and anchor.start <= o < anchor.end
        ]
        if (
            origins is not None
            and len(occurrences(old, anchor.exact, 2) or [0, 0]) == 1
            and len(occurrences(new, anchor.exact, 2) or [0, 0]) == 1
            and image == list(range(image[0], image[0] + len(anchor.exact)) if image else [])
            and len(image) == len(anchor.exact)
        ):
            assert got.start == image[0], (got, image)
        # Elsewhere the characters' origins are bookkeeping more than text (moving one of two
        # identical words, deleting across repeated lines: either copy is "the" original), so
        # landing on old words that are not its own needs an intact side of its context.
        if landed and not own:
            near = _Quote(anchor).near_sides(fold(new), got.start)
            assert sides or near or _repeats(old, landed, anchor), (landed, anchor)
    else:  # re-anchored with changes: its own words, edited
        assert result.outcome == "reanchored"
        assert result.score is not None and 0 < result.score <= 1
        assert got.exact != anchor.exact
        # Its own words, edited, or (identical words repeated, "Putin Putin Putin": which of
        # them an edit removed is bookkeeping) words that read as its own.
        assert own or not landed or _repeats(old, landed, anchor), (landed, anchor)
    # Identical twins made by the correction are never silently chosen.
    if len(perfect_places(new, anchor)) > 1 and len(perfect_places(old, anchor)) == 1:
        raise AssertionError(f"chose one of several identical places: {result}")


def _repeats(old: str, landed: list[int], anchor: Anchor) -> bool:
    """Whether each run of old characters a highlight landed on reads as part of its quote."""
    runs, current = [], [landed[0]]
    for o in landed[1:]:
        if o == current[-1] + 1:
            current.append(o)
        else:
            runs.append(current)
            current = [o]
    runs.append(current)
    quote = " ".join(fold(anchor.exact).split())
    return all(" ".join(fold(old[run[0] : run[-1] + 1]).split()) in quote for run in runs)


@st.composite
def cases(draw):
    old = draw(texts())
    spans = draw(highlights(old))
    new, origins = draw(corrections(old))
    return old, spans, new, origins


@settings(max_examples=200, deadline=None)
@given(cases())
def test_reanchoring_invariants(case):
    old, spans, new, origins = case
    reanchorer = Reanchorer(old, new)
    for start, end in spans:
        anchor = anchor_at(old, start, end)
        check(old, new, origins, anchor, reanchorer.reanchor(anchor))


@settings(max_examples=100, deadline=None)
@given(cases())
def test_an_untouched_text_keeps_every_highlight(case):
    old, spans, _, _ = case
    reanchorer = Reanchorer(old, old)
    for start, end in spans:
        anchor = anchor_at(old, start, end)
        result = reanchorer.reanchor(anchor)
        if len(perfect_places(old, anchor)) == 1:
            assert result.outcome == "kept"
        else:  # pre-existing twins: the diff pairs each with itself
            assert result.outcome == "kept", (result, anchor)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_an_orphan_comes_back_only_to_a_unique_place_with_its_context(case):
    old, spans, new, _ = case
    first, back = Reanchorer(old, new), Reanchorer(new, old)  # the correction, then reverted
    for start, end in spans:
        anchor = anchor_at(old, start, end)
        if first.reanchor(anchor).anchor is not None:
            continue
        result = back.reanchor(anchor, was_orphaned=True)
        if result.anchor is None:
            continue
        assert result.outcome == "moved"
        assert old[result.anchor.start : result.anchor.end] == anchor.exact
        quote = _Quote(anchor, edges=False)
        folded = fold(old)
        places = [
            i
            for i in range(len(old))
            if folded.startswith(quote.exact, i) and quote.sides(folded, i) == BOTH
        ]
        assert places == [result.anchor.start]


# Through the services and the database --------------------------------------------------


@pytest.mark.django_db
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases())
def test_correction_service_invariants(editor, case):
    old, spans, new, _ = case
    old, new = normalize_text(old), normalize_text(new)
    if old == new or not new.strip():
        return
    # Each example cleans up after itself: the services' durable transactions cannot nest
    # inside a rollback block.
    article = ArticleFactory(body=old)
    claim = Claim.objects.create(statement="A property-tested claim")
    try:
        created = []
        for start, end in spans:
            if start < end <= len(old) and old[start:end].strip():
                created.append(
                    annotation_create(
                        article=article,
                        user=editor,
                        claim=claim,
                        stance=Stance.ASSERTS,
                        start=start,
                        end=end,
                        exact=old[start:end],
                    )
                )
        correction = article_correct(article=article, user=editor, new_text=new, reason="P")
        c = correction
        assert c.kept + c.moved + c.reanchored + c.orphaned + c.ambiguous == len(created)
        annotations = list(Annotation.objects.filter(article=article))
        assert len(annotations) == len(created)
        for annotation in annotations:
            if not annotation.orphaned:
                assert new[annotation.start : annotation.end] == annotation.exact
        assert sum(a.orphaned for a in annotations) == c.orphaned + c.ambiguous
        # Every change is in the history: each moved, re-anchored or orphaned highlight has
        # one entry for this correction.
        recorded = AnnotationChange.objects.filter(article=article, after__correction=correction.pk)
        assert recorded.count() == c.moved + c.reanchored + c.orphaned + c.ambiguous
        for change in recorded.filter(action=AnnotationChange.Action.REANCHORED):
            assert change.after["score"] > 0
            assert change.before["exact"] != change.after["exact"]
    finally:
        article.delete()
        claim.delete()
