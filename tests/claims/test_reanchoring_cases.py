"""Issue 8: the reproductions and each class of correction it lists, as named regressions of
the pure re-anchoring (claims.anchoring). The same cases run through the services and the
database in test_correction_outcomes.py."""

import pytest

from claims.anchoring import Anchor, OffsetMap, Reanchorer, fold, reanchor


def anchor_of(body: str, quote: str, occurrence: int = 0) -> Anchor:
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(quote, start + 1)
    end = start + len(quote)
    return Anchor(start, end, quote, body[max(0, start - 32) : start], body[end : end + 32])


def run(old: str, new: str, anchor: Anchor):
    return Reanchorer(old, new).reanchor(anchor)


CASE1 = (
    "Peskov spoke to reporters on Wednesday.\n"
    "The Kremlin said Putin has no plans to congratulate Trump, according to Interfax.\n"
    "Moscow still calls the United States an unfriendly country."
)
CASE1_NEW = (
    "Peskov spoke to reporters on Wednesday morning.\n"
    "The Kremlin said Putin has no plans to congratulate Trump, according to Interfax.\n"
    "Lavrov said contacts with Washington were frozen, according to Interfax.\n"
    "Moscow still calls the United States an unfriendly country."
)
CASE2 = (
    "Putin privately congratulated Donald Trump on his victory in the US presidential "
    "election, sources said.\n"
    "Peskov said he knew nothing of plans to congratulate Donald Trump on his victory in the "
    "US presidential elections."
)


def test_reproduction_1_stays_on_its_sentence_when_a_lookalike_line_is_inserted():
    anchor = anchor_of(CASE1, "according to Interfax.")
    result = run(CASE1, CASE1_NEW, anchor)
    assert result.outcome == "moved"
    kremlin = CASE1_NEW.index("Trump, according to Interfax.") + len("Trump, ")
    assert result.anchor.start == kremlin
    assert CASE1_NEW[result.anchor.start : result.anchor.end] == "according to Interfax."


def test_reproduction_2_deleted_sentence_orphans_despite_a_similar_sentence():
    anchor = anchor_of(CASE2, "his victory in the US presidential")
    new = CASE2.split("\n", 1)[1]
    result = run(CASE2, new, anchor)
    assert result.outcome == "orphaned"
    assert result.anchor is None


TWIN = (
    "Officials in Moscow said on Tuesday that the talks with Washington had stalled again "
    "this week, and that no date had been set for the next round.\n"
)


def test_twin_passages_with_the_same_context_are_ambiguous():
    old = "Intro line one.\n" + TWIN + "Middle part of the story here.\n" + TWIN + "End."
    anchor = anchor_of(old, "the talks with Washington", 0)
    # One of the two copies goes: which one survived is a coin toss, not the highlight's.
    new = old.replace("Middle part of the story here.\n" + TWIN, "Middle part, rewritten.\n")
    result = run(old, new, anchor)
    assert result.outcome == "ambiguous"
    assert "several places" in result.reason


def test_twin_passages_untouched_by_the_correction_keep_their_places():
    old = "Intro line one.\n" + TWIN + "Middle part of the story here.\n" + TWIN + "End."
    for occurrence in (0, 1):
        anchor = anchor_of(old, "the talks with Washington", occurrence)
        new = old.replace("End.", "The end, corrected.")
        result = run(old, new, anchor)
        assert result.outcome == "kept"
        assert result.anchor.start == anchor.start


def test_paragraph_pasted_twice_in_a_row_is_ambiguous():
    paragraph = (
        "The spokesman repeated that no message had been sent to the winner of the vote "
        "and that none was planned for the coming days either.\n"
    )
    old = "Headline.\n" + paragraph + "Closing line."
    new = "Headline.\n" + paragraph + paragraph + "Closing line."
    for quote in ("no message had been sent", "none was planned for the coming days either."):
        result = run(old, new, anchor_of(old, quote))
        assert result.outcome == "ambiguous", quote


def test_full_rewrite_with_a_short_quote_reappearing_orphans():
    old = (
        "Officials in Moscow said Putin congratulated Trump privately, a source claimed.\n"
        "The Kremlin denied it on Thursday.\n"
    )
    new = (
        "A week later nobody could confirm whether Putin congratulated anyone at all.\n"
        "Analysts said Trump privately welcomed the silence.\n"
    )
    for quote in ("Putin congratulated", "Trump privately", "said"):
        result = run(old, new, anchor_of(old, quote))
        assert result.outcome in ("orphaned", "ambiguous"), quote


@pytest.mark.parametrize(
    ("quote", "before", "after"),
    [
        ("congratualted Donald Trump", "congratualted", "congratulated"),  # typo fix
        ('"no such plans" existed', '"no such plans"', "\u201cno such plans\u201d"),
        ("Peskov\u00a0said he knew", "Peskov\u00a0said", "Peskov said"),  # NBSP → space
        ("Peskov said he knew", "Peskov said", "Peskov\u00a0said"),  # space → NBSP
        ("on his victory in the vote", "in the vote", "in the election"),  # small change
    ],
)
def test_small_edits_inside_the_quote_reanchor_with_changes(quote, before, after):
    old = (
        "Moscow. Officials claimed Putin congratualted Donald Trump on his victory in the "
        "vote, a source said.\n"
        'Kremlin spokesman Dmitry Peskov\u00a0said he knew "no such plans" existed at all.\n'
    ).replace("Peskov\u00a0said", "Peskov said" if "\u00a0" not in quote else "Peskov\u00a0said")
    anchor = anchor_of(old, quote)
    new = old.replace(before, after)
    result = run(old, new, anchor)
    assert result.outcome == "reanchored"
    assert result.anchor.exact == quote.replace(before, after)
    assert new[result.anchor.start : result.anchor.end] == result.anchor.exact
    assert result.score is not None and 0.7 < result.score < 1


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Republican Donald", "Republicans Donald"),  # the last word grows: "Republican" inside
        ("Republican Donald", "Repubxican Donald"),  # a typo in the last word
        ("privately congratulated", "privatelly congratulated"),  # in the first word
    ],
)
def test_edits_at_the_edges_of_the_quote_reanchor(before, after):
    old = (
        "Moscow, 8 November. Putin privately congratulated Republican Donald Trump on his "
        "victory, a source close to the Kremlin said.\n"
    )
    anchor = anchor_of(old, "privately congratulated Republican")
    new = old.replace(before, after)
    result = run(old, new, anchor)
    assert result.outcome == "reanchored"
    expected = "privately congratulated Republican".replace(before.split()[0], after.split()[0])
    assert result.anchor.exact == expected


def test_a_word_replaced_by_another_is_not_fuzzy():
    old = "The minister said the talks had failed, reporters were told on Monday.\n"
    anchor = anchor_of(old, "failed")
    new = old.replace("failed", "worked")
    assert run(old, new, anchor).outcome == "orphaned"


def test_fuzzy_needs_a_margin_over_a_twin():
    line = "Reporters heard the minister say the talks had faield badly, officials said.\n"
    old = "Intro.\n" + line + "End."
    anchor = anchor_of(old, "the talks had faield badly")
    fixed = line.replace("faield", "failed")
    new = "Intro.\n" + fixed + fixed + "End."  # typo fixed and the paragraph pasted twice
    assert run(old, new, anchor).outcome in ("ambiguous", "orphaned")


def test_fuzzy_keeps_its_own_place_when_a_similar_line_exists():
    line = "Reporters heard the minister say the talks had faield badly, officials said.\n"
    old = "Intro.\n" + line + "Other words here.\n" + line.replace("faield", "failed")
    anchor = anchor_of(old, "the talks had faield badly")
    new = old.replace("faield", "failed")
    result = run(old, new, anchor)
    assert result.outcome == "reanchored"
    assert result.anchor.start == anchor.start


def test_fold_keeps_lengths():
    text = "\u201cQuote\u201d \u2014 it\u2019s\u00a0here"
    assert len(fold(text)) == len(text)
    assert fold(text) == '"Quote" - it\'s here'


def test_module_function_and_offset_map_still_work_together():
    anchor = anchor_of(CASE1, "according to Interfax.")
    result = reanchor(anchor, CASE1_NEW, offsets=OffsetMap(CASE1, CASE1_NEW))
    assert result.outcome == "moved"
