"""Issue 22, third round: a word typed twice at a quote's edge (or one of two deleted) makes
the edge not unique. The diff pairs two copies of a word arbitrarily, so the quote's own copy
may be either: the re-anchored highlight never takes in both (``claims.anchoring.stuttered``,
``Reanchorer._stutter``). With the quote's exact words still there, the tighter reading, the
exact words, stands (``_echo``); with its words edited, which copy is its own is a guess, and
the highlight is *ambiguous* (a person decides). Named regressions on the seeds, and a
hypothesis property over the seeds, Latin and Cyrillic.
"""

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from claims.anchoring import Anchor, Reanchorer, stuttered
from tests.claims.correction_corpus import Tracked, cyrillic
from tests.claims.test_reanchoring_bounds import TEXTS

ONLINE_UA = TEXTS[0]
# The seeds in Cyrillic letters (as the corpus does), and the seeds' own Russian lines.
CYRILLIC = [cyrillic(TEXTS[0]), cyrillic(TEXTS[3]), TEXTS[4]]
SIGNS = ".,;:!?\"'()\u201c\u201d\u2019\u00ab\u00bb"


def run(old, new, start, end):
    return Reanchorer(old, new).reanchor(Anchor.at(old, start, end))


def span_of(text, quote, within=None):
    at = text.index(within or quote) + (within or quote).index(quote)
    return at, at + len(quote)


# Named regressions on the seeds ----------------------------------------------------------


def test_a_word_typed_twice_after_a_quote_with_a_typo_is_not_taken_in():
    """The corpus's one wrong placement (generator seed 10, "slight edit and typos in
    context"): "congratulated Trump on his election" became "congratualted Trump Trump on his
    eaeection"; the diff paired the quote's "Trump" with the typed one and the highlight was
    re-anchored over "congratualted Trump Trump"."""
    old = ONLINE_UA
    start, end = span_of(old, "congratulated Trump", "congratulated Trump on his election")
    new = old.replace(
        "congratulated Trump on his election", "congratualted Trump Trump on his eaeection", 1
    )
    result = run(old, new, start, end)
    assert result.anchor is None, result
    assert result.outcome == "ambiguous"


def test_a_word_typed_twice_beside_a_quotes_exact_words_keeps_them():
    """No typo: the exact words are there, and read either way the highlight holds them in
    the same place (the tighter reading)."""
    old = ONLINE_UA
    start, end = span_of(old, "congratulated Trump", "congratulated Trump on his election")
    for typed in ("congratulated Trump Trump on", "congratulated congratulated Trump on"):
        new = old.replace("congratulated Trump on", typed, 1)
        result = run(old, new, start, end)
        assert result.anchor is not None, (typed, result)
        assert result.outcome in ("kept", "moved")
        assert result.anchor.exact == "congratulated Trump"


def test_a_one_word_quote_beside_a_misspelt_copy_of_itself_is_not_moved_to_the_copy():
    """ "RIA Novosti" became "RIA Nvosti Novosti": the quote's own word has the typo, the
    copy typed after it is spelt right. The exact word is there, but which copy is the
    quote's is a guess."""
    old = next(t for t in TEXTS if "news agency RIA Novosti" in t)
    start, end = span_of(old, "Novosti", "news agency RIA Novosti")
    new = old.replace("news agency RIA Novosti", "news agency RIA Nvosti Novosti", 1)
    assert run(old, new, start, end).anchor is None


def test_words_typed_twice_with_a_typo_in_one_copy_are_one_stutter():
    """ "will he" typed twice, one "will" misspelt "wial": the edge is still not unique."""
    old = next(t for t in TEXTS if "what methods will he do it" in t)
    start, end = span_of(old, "And by what methods will he", "And by what methods will he do")
    new = old.replace("what methods will he do", "what methods wial he will he do", 1)
    assert run(old, new, start, end).anchor is None


@pytest.mark.parametrize(
    ("within", "quote", "typed"),
    [
        # What the property found on the way (HYPOTHESIS_EXPLORE=1), pinned: a typo in one
        # copy of the repeated words, of every kind a short word can take.
        ("war against Ukraine and improving", "Ukraine and", "Ukraine end and"),
        ("afraid of a change in", "a change", "  change change"),
        ("he stated that ending the war", "that ending", "that hat ending"),
        ("Secretary of State under", "Secretary of State", "Secretary of Secretary af State"),
        ("While it is highly likely", "it is", "it it as"),
        ("In addition, it is indicated", "it is", "it at is"),
        # Two typos in a long word's copy (generator seed 9).
        (
            "by what methods will he do it?",
            "methods will he do it?",
            "methods metohas will he do it?",
        ),
        # The diff carried both copies and called the words before them typed.
        ("the Kremlin, as well as insiders", "Kremlin, as well as", "Kremlin, es well as as"),
        # Words typed twice across the edge (generator seed 24, "word duplicated at a
        # quote edge"): some of the quote's, some of its neighbours'.
        ("In the run-up to the 2024", "run-up to the 2024", "run-up the run-up tto the 2024"),
        (
            "on his terms\n\nRussian leader Vladimir Putin's spokesman Dmitry",
            "his terms\n\nRussian leader Vladimir Putin's spokesman",
            "his trms\n\nRussian leader Vladimir Putin's spokesman Dmitry spokesman",
        ),
    ],
)
def test_a_copy_beside_a_misspelt_twin_is_not_taken_in_with_it(within, quote, typed):
    old = next(t for t in TEXTS if within in t)
    start, end = span_of(old, quote, within)
    new = old.replace(within, within.replace(quote, typed, 1), 1)
    result = run(old, new, start, end)
    assert result.anchor is None, (typed, result)


def test_a_quote_that_is_only_the_repeated_words_is_ambiguous():
    """ "the issue" → "the issue the issue": nothing else in the quote tells which copy is
    its own: a coin toss, so a person decides."""
    old = next(t for t in TEXTS if "particularly regarding the issue of" in t)
    start, end = span_of(old, "the issue", "particularly regarding the issue of")
    new = old.replace("regarding the issue of", "regarding the issue the issue of", 1)
    assert run(old, new, start, end).outcome == "ambiguous"


def test_a_word_deleted_at_an_edge_beside_a_longer_word_alike_is_not_a_stutter():
    """ "both directly and\nindirectly" → "both directly\nindirectly": "indirectly" is not
    "directly" misspelt, and a line break stands between them."""
    old = next(t for t in TEXTS if "both directly and\nindirectly" in t)
    quote = "that we’re talking about an unfriendly country that’s both directly and"
    start, end = span_of(old, quote)
    new = old.replace("both directly and\nindirectly", "both directly\nindirectly", 1)
    result = run(old, new, start, end)
    assert result.outcome == "reanchored", result
    assert new[result.anchor.start : result.anchor.end].endswith("both directly")


def test_stuttered_reads_repeats_give_or_take_a_typo():
    """The rule itself, on word lists: a run of repeats across an edge that the correction
    changed; a typo in one copy ("Nvosti", "hs", "hat", "Чисатя") still counts, another word
    ("indirectly") does not."""
    old = (["on", "his"], ["victory"])
    assert stuttered(["on", "hs"], ["his", "victory"], old, right=True)
    assert not stuttered(["on", "his"], ["victory"], old, right=True)
    assert stuttered(["Чисатя"], ["Чистая"], (["Чистая"], ["Путин"]), right=False)
    assert not stuttered(["directly"], ["indirectly"], (["directly", "and"], ["x"]), right=True)
    # "it is" is two words: a typo in "is" ("iss") changes no run of "it".
    assert not stuttered(["it", "iss"], ["true"], (["it", "is"], ["true"]), right=False)
    assert stuttered(["it", "it", "as"], ["While"], (["it", "is"], ["While"]), right=False)
    assert stuttered(["that", "hat"], ["stated"], (["that"], ["stated"]), right=False)
    # A copy typed beside the exact words, which are anchored by other words: they stand.
    old = (["congratulated", "Trump"], ["on"])
    new = ["congratulated", "Trump"], ["Trump", "on"]
    assert stuttered(*new, old, right=True)
    assert not stuttered(*new, old, right=True, exact=True)


# The property ------------------------------------------------------------------------------


@st.composite
def stutters(draw):
    """A seed (Latin or Cyrillic), a quote of 2–8 words within a line, one to three words at
    one of its edges (its own, the neighbours beyond it, or some of each) typed again just
    before or just after themselves, and now and then a typo in one of the quote's letters.
    Returns the old text, the quote, the tracked new text and where the copy and its
    original are."""
    text = draw(st.sampled_from(TEXTS + CYRILLIC))
    lines = [m for m in re.finditer(r"[^\n]+", text) if len(m.group().split()) >= 6]
    line = draw(st.sampled_from(lines))
    words = [
        (line.start() + w.start(), line.start() + w.end())
        for w in re.finditer(r"\S+", line.group())
    ]
    first = draw(st.integers(1, len(words) - 3))
    last = draw(st.integers(first + 1, min(len(words) - 2, first + 7)))
    start, end = words[first][0], words[last][1]
    right, n = draw(st.booleans()), draw(st.sampled_from([1, 1, 2, 3]))
    # The words typed again touch the edge: the quote's own last (or first) words, the
    # neighbours beyond it, or some of each ("spokesman | Dmitry" → "spokesman Dmitry
    # spokesman Dmitry").
    k = draw(st.integers(last - n + 1, last + 1) if right else st.integers(first - n, first))
    group = words[max(0, k) : k + n]
    assume(k >= 0 and len(group) == n)
    a, b = group[0][0], group[-1][1]
    a += len(text[a:b]) - len(text[a:b].lstrip(SIGNS))
    b -= len(text[a:b]) - len(text[a:b].rstrip(SIGNS))
    copy = " ".join(text[a:b].split())
    assume(copy and any(ch.isalpha() for ch in copy))
    tracked = Tracked.of(text)
    before = draw(st.booleans())
    at, typed = (a, copy + " ") if before else (b, " " + copy)
    tracked.replace(at, at, tracked.typed(typed))
    copy_at = at if before else at + 1
    if draw(st.booleans()):  # a typo in the quote as well
        letters = [i for i in range(start, end) if text[i].isalpha()]
        assume(letters)
        i = tracked.where(draw(st.sampled_from(letters)))
        ch = tracked.chars[i][0]
        kind = draw(st.sampled_from(["replace", "drop", "double"]))
        items = {"replace": "a" if ch != "a" else "e", "drop": "", "double": ch + ch}[kind]
        tracked.replace(i, i + 1, tracked.typed(items))
        if i < copy_at:
            copy_at += len(items) - 1
    original = [i for i, c in enumerate(tracked.chars) if c[2] == "old" and a <= c[1] < b]
    return text, (start, end), tracked, (copy_at, copy_at + len(copy)), original


@settings(max_examples=300, deadline=None)
@given(stutters())
def test_a_word_typed_twice_at_a_quotes_edge_is_never_taken_in_with_its_copy(case):
    """Whatever the word, the edge, the side the copy is typed on and a typo: a live
    highlight holds one copy of the repeated words at most, never the copy and the
    original."""
    old, (start, end), tracked, (low, high), original = case
    new = tracked.text
    result = run(old, new, start, end)
    if result.anchor is None:
        return
    got = result.anchor
    # A copy typed between two of the quote's own characters is typed inside it whichever
    # copy is read as the original ("our country,”" → "our country our country,”": the
    # quote's closing signs follow both copies): a slight edit may hold it (issue 22,
    # fourth round, ``_pinned``).
    own = [i for i, c in enumerate(tracked.chars) if c[2] == "old" and start <= c[1] < end]
    if own and own[0] < low and high <= own[-1]:
        return
    takes_copy = got.start < high and low < got.end
    takes_original = any(got.start <= i < got.end for i in original)
    assert not (takes_copy and takes_original), (
        old[start:end],
        new[got.start - 20 : got.end + 20],
        got.exact,
        result,
    )
