"""Re-anchoring highlights after a correction (claims.anchoring): pure functions, no DB."""

from claims.anchoring import Anchor, OffsetMap, reanchor

OLD = (
    "Moscow, 8 November. Putin privately congratulated Republican Donald Trump on his victory, "
    "a source close to the Kremlin said.\n"
    "Kremlin spokesman Dmitry Peskov later said he knew of no such plans."
)


def anchor_of(body: str, quote: str, occurrence: int = 0) -> Anchor:
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(quote, start + 1)
    end = start + len(quote)
    return Anchor(start, end, quote, body[max(0, start - 32) : start], body[end : end + 32])


def run(old: str, new: str, anchor: Anchor, **kwargs):
    return reanchor(anchor, new, offsets=OffsetMap(old, new), old_body=old, **kwargs)


def test_unchanged_text_keeps_the_highlight():
    anchor = anchor_of(OLD, "privately congratulated Republican Donald Trump")
    result = run(OLD, OLD, anchor)
    assert result.outcome == "kept"
    assert result.anchor == anchor


def test_an_edit_after_the_words_keeps_them():
    anchor = anchor_of(OLD, "privately congratulated")
    new = OLD.replace("no such plans", "no such message")
    result = run(OLD, new, anchor)
    assert result.outcome == "kept"
    assert (result.anchor.start, result.anchor.end) == (anchor.start, anchor.end)


def test_an_insertion_before_moves_the_highlight_by_its_length():
    anchor = anchor_of(OLD, "Dmitry Peskov")
    inserted = "UPDATED: adds the Kremlin's reaction. "
    new = inserted + OLD
    result = run(OLD, new, anchor)
    assert result.outcome == "moved"
    assert result.anchor.start == anchor.start + len(inserted)
    assert new[result.anchor.start : result.anchor.end] == "Dmitry Peskov"
    assert result.anchor.prefix == new[result.anchor.start - 32 : result.anchor.start]


def test_words_edited_around_the_quote_but_quote_unique_moves_it():
    anchor = anchor_of(OLD, "privately congratulated Republican Donald Trump")
    new = OLD.replace("Moscow, 8 November. Putin", "MOSCOW (Nov 8) — President Vladimir Putin")
    new = new.replace("on his victory", "on winning the election")
    result = run(OLD, new, anchor)
    assert result.outcome == "moved"
    assert new[result.anchor.start : result.anchor.end] == anchor.exact


def test_context_edited_but_position_unchanged_is_kept_with_fresh_context():
    anchor = anchor_of(OLD, "Dmitry Peskov")
    new = OLD.replace("later said", "said later")  # same length, after the quote
    result = run(OLD, new, anchor)
    assert result.outcome == "kept"
    assert result.anchor.start == anchor.start
    assert result.anchor.suffix == new[anchor.end : anchor.end + 32]


def test_deleted_words_orphan_the_highlight():
    anchor = anchor_of(OLD, "privately congratulated Republican Donald Trump")
    new = OLD.replace("privately congratulated Republican Donald Trump", "did not call Trump")
    result = run(OLD, new, anchor)
    assert result.outcome == "orphaned"
    assert result.anchor is None
    assert "no longer occur" in result.reason


def test_slightly_edited_quote_is_reanchored_with_changes_and_a_score():
    # Issue 8 changed this: a small edit inside the quote re-anchors fuzzily (it used to orphan).
    anchor = anchor_of(OLD, "privately congratulated Republican Donald Trump")
    new = OLD.replace("Republican Donald Trump", "Republican Donald J. Trump")
    result = run(OLD, new, anchor)
    assert result.outcome == "reanchored"
    assert result.anchor.exact == "privately congratulated Republican Donald J. Trump"
    assert new[result.anchor.start : result.anchor.end] == result.anchor.exact
    assert 0.9 < result.score < 1


def test_a_quote_now_occurring_twice_picks_the_one_with_matching_context():
    anchor = anchor_of(OLD, "Kremlin spokesman")
    new = "Kremlin spokesman on Ukraine: nothing new. " + OLD.replace("\n", "\n\n")
    result = run(OLD, new, anchor)
    assert result.outcome == "moved"
    second = new.index("Kremlin spokesman", 1)
    assert result.anchor.start == second


def test_same_offset_but_other_sentence_is_not_kept_by_position():
    old = "Officials said Trump won the vote, according to aides.\n"
    new = "Many now doubt Trump can win at all, critics say.\n"
    anchor = anchor_of(old, "Trump")
    # The word sits at the very same offset, but in another sentence: not the same words.
    assert new[anchor.start : anchor.end] == "Trump"
    assert run(old, new, anchor).outcome == "orphaned"


def test_a_repeated_word_whose_surroundings_changed_completely_is_orphaned():
    text = "Alpha said yes. Beta said no. Gamma said yes."
    anchor = anchor_of(text, "yes", 1)
    rewritten = "Several sources answered yes to questions, while others said yes only later"
    assert run(text, rewritten, anchor).outcome == "orphaned"


def test_when_context_cannot_decide_the_highlight_is_ambiguous():
    old = "Intro line.\nOfficials confirmed the talks on Monday.\nEnd line.\n"
    anchor = anchor_of(old, "confirmed the talks")
    # The annotated sentence is rewritten and the quote now appears in two look-alike places.
    new = (
        "Intro line.\nWe checked again.\n"
        "Officials first confirmed the talks on Tuesday.\n"
        "Officials later confirmed the talks on Tuesday.\nEnd line.\n"
    )
    result = run(old, new, anchor)
    assert result.outcome == "ambiguous"  # issue 8: told apart from words that are gone
    assert result.anchor is None
    assert "several places" in result.reason


def test_a_duplicated_paragraph_keeps_the_original_by_position():
    old = "First paragraph with the claim in it.\nSecond paragraph.\n"
    anchor = anchor_of(old, "the claim")
    new = old + "First paragraph with the claim in it.\n"
    result = run(old, new, anchor)
    assert result.outcome == "kept"
    assert result.anchor.start == anchor.start


def test_emoji_and_cyrillic_offsets_are_code_points():
    old = "🇺🇦 Путін привітав Трампа 🎉 через посередників, повідомило джерело."
    anchor = anchor_of(old, "привітав Трампа")
    new = "🔥🔥 Терміново: " + old
    # 🇺🇦 is two code points (four UTF-16 units), Cyrillic letters one each.
    assert anchor.start == 9
    result = run(old, new, anchor)
    assert result.outcome == "moved"
    # 🔥 is one code point (two UTF-16 units): the shift counts it once.
    assert result.anchor.start == 9 + 14
    assert new[result.anchor.start : result.anchor.end] == "привітав Трампа"


def test_orphaned_annotation_comes_back_only_with_unique_good_context():
    old = "The minister said the deal was signed in Paris last week by both sides.\n"
    anchor = anchor_of(old, "the deal was signed")
    gone = old.replace("the deal was signed", "nothing was agreed")
    assert run(old, gone, anchor).outcome == "orphaned"
    # Restored in a later correction: offsets are stale, the context brings it back.
    restored = "Update. " + old
    result = reanchor(anchor, restored, offsets=OffsetMap(gone, restored), was_orphaned=True)
    assert result.outcome == "moved"
    assert restored[result.anchor.start : result.anchor.end] == "the deal was signed"
    # The same words among other words stay orphaned.
    elsewhere = "Elsewhere: analysts doubt the deal was signed at all.\n"
    result = reanchor(anchor, elsewhere, offsets=None, was_orphaned=True)
    assert result.outcome == "orphaned"


def test_offset_map_on_a_large_text_is_fast_enough_and_right():
    paragraphs = [
        f"Paragraph {i}: Putin congratulated Trump, source {i} said." for i in range(6000)
    ]
    old = "\n".join(paragraphs)
    assert len(old) > 300_000
    new = old.replace("Paragraph 10:", "Paragraph ten (corrected):").replace(
        "source 5000 said", "source 5000 wrote"
    )
    offsets = OffsetMap(old, new)
    quote = "Putin congratulated Trump, source 5999"
    anchor = anchor_of(old, quote)
    mapped = offsets.carried_over(anchor.start, anchor.end)
    assert new[mapped : mapped + len(quote)] == quote
    result = reanchor(anchor, new, offsets=offsets)
    assert result.outcome == "moved"
    assert new[result.anchor.start : result.anchor.end] == quote
