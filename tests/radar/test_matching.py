"""The radar's matching engine (radar.matching, pure): who did what to whom, stance cues,
hypotheses, languages."""

import pytest

from bench.radar_set import LOOKALIKES
from radar.matching import THRESHOLD, Index, scan

CLAIM = "Putin congratulated Trump"


def _found(text: str, *wordings: str):
    index = Index.build([(n, w) for n, w in enumerate(wordings or (CLAIM,), start=1)])
    return [
        (m.claim_id, text[m.start : m.end], m.stance)
        for m in scan(text, index)
        if m.score >= THRESHOLD
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Zelensky congratulated Trump on his victory.",
        "Putin congratulated Tokayev on his birthday.",
        "Biden called Trump on Thursday.",
        "Trump congratulated Putin on his re-election.",
        "Putin could still congratulate Trump once the results are in.",
        "Putin praised Trump at a press conference.",
        "putin congratulated trump card players.",  # names are written with a capital
    ],
)
def test_look_alikes_are_not_the_claim(sentence):
    assert _found(sentence) == []


def test_the_issue_look_alikes_are_in_the_labelled_set():
    assert "Putin congratulated Tokayev" in LOOKALIKES


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Putin congratulated Trump on his victory.", "asserts"),
        ("Vladimir Putin congratulated Donald Trump, the paper reported.", "attributes"),
        ("Putin allegedly sent his congratulations to Trump.", "attributes"),
        ("Trump was congratulated by Putin, sources said.", "attributes"),
        ("The Kremlin denied reports that Putin congratulated Trump.", "disputes"),
        ("Putin has not congratulated Trump.", "disputes"),
        ("Putin Won’t Congratulate Trump Just Yet", "disputes"),
    ],
)
def test_the_claim_and_its_stance(sentence, stance):
    assert _found(sentence) == [(1, sentence.rstrip(), stance)]


def test_a_sentence_of_a_longer_text_is_suggested_with_offsets_into_it():
    text = "Headline\n\nFirst sentence here. Putin congratulated Trump. Last one."
    [(claim, exact, stance)] = _found(text)
    assert exact == "Putin congratulated Trump."


def test_a_claim_in_ukrainian_and_russian_matches_inflected_forms():
    uk = "Путін привітав Трампа з перемогою на виборах"
    ru = "Путин поздравил Трампа с победой на выборах"
    assert _found("Пєсков заявив, що Путін привітав Трампа.", uk)[0][2] == "attributes"
    assert _found("Путин не поздравлял Трампа.", ru)[0][2] == "disputes"
    assert _found("Трамп привітав Путіна з перемогою.", uk) == []
    assert _found("Путин поздравил Токаева с днем рождения.", ru) == []


def test_a_different_number_is_another_claim():
    claim = "Russia interfered in the 2016 election"
    assert _found("Russia interfered in the 2016 election, the report found.", claim)
    assert _found("Russia interfered in the 2020 election, an official joked.", claim) == []


def test_every_wording_of_a_claim_counts_and_one_suggestion_per_sentence():
    text = "Putin congratulated Trump. Путін привітав Трампа."
    found = _found(text, CLAIM, "Путін привітав Трампа")
    assert [f[1] for f in found] == ["Putin congratulated Trump.", "Путін привітав Трампа."]
    assert {f[0] for f in found} == {1, 2}


def test_reading_only_the_sentences_around_clues_finds_what_reading_all_finds():
    """An index of few patterns (an archive scan for one claim) jumps to its clues; a big one
    reads every sentence: both find the same suggestions in the labelled set."""
    from bench.radar_set import ARTICLES, CLAIMS
    from radar.matching import FEW_PATTERNS

    wordings = [(n, text) for n, w in enumerate(CLAIMS.values(), 1) for text in w.values()]
    few = Index.build(wordings)
    filler = [(1000 + n, f"Somebody{n} visited Nobody{n} in town") for n in range(FEW_PATTERNS)]
    many = Index.build(wordings + filler)
    assert len(few.patterns) <= FEW_PATTERNS < len(many.patterns)
    for _, _, body in ARTICLES:
        assert scan(body, few) == scan(body, many)


def test_the_claims_own_modal_is_no_hypothesis():
    claim = "Ukraine will join NATO in 2025"
    assert _found("Ukraine will join NATO in 2025, Stoltenberg said.", claim)[0][2] == (
        "attributes"
    )
    assert _found("Ukraine will not join NATO in 2025.", claim)[0][2] == "disputes"
    assert _found("NATO will join Ukraine in 2025.", claim) == []


def test_a_negation_inside_a_clause_between_commas_is_not_the_claims():
    sentence = "Putin, who has not spoken to Biden in months, congratulated Trump."
    assert _found(sentence) == [(1, sentence, "asserts")]


def test_another_subject_before_the_predicate_is_not_the_claims():
    assert _found("Putin thanked Biden, and Zelensky congratulated Trump.") == []
    assert _found("Putin and Medvedev congratulated Trump.")[0][2] == "asserts"
    sentence = "Putin and Trump, the president of the United States, have not spoken."
    assert _found(sentence, "Putin and Trump spoke by phone")[0][2] == "disputes"


def test_ukrainian_and_russian_roles_by_case_in_any_order():
    uk = "Путін привітав Трампа"
    assert _found("Трампа привітав Путін, повідомляють ЗМІ.", uk)[0][2] == "attributes"
    assert _found("Трамп привітав Путіна.", uk) == []
    assert _found("Путін подякував Байдену, а Зеленський привітав Трампа.", uk) == []
    assert _found("Трампа поздравил Путин.", "Путин поздравил Трампа")


def test_a_wording_without_names_needs_all_its_words_in_order():
    claim = "inflation reached 9 percent"
    assert _found("Inflation reached 9 percent in October.", claim)[0][2] == "asserts"
    assert _found("Unemployment reached 9 percent.", claim) == []
    assert _found("Percent of inflation reached new highs.", claim) == []
    shouted = "PUTIN CONGRATULATED TRUMP"
    assert _found("Putin congratulated Trump on Wednesday.", shouted)
    assert _found("Trump congratulated Putin.", shouted) == []
