"""Hard-wrapped files: which line breaks are only the file's wrapping (soft, shown as spaces)
and which are the writer's (articles.text.soft_breaks)."""

import pytest

from articles.text import soft_breaks, unwrap, unwrap_quote
from tests.articles.test_header import seed_text

# A hard-wrapped paragraph (lines of 60–70 code points), a header block of short lines, a
# list, and a paragraph per line.
WRAPPED = (
    "Kremlin Says No Plans\n"
    "To Congratulate Trump\n"
    "November 06, 2024\n"
    "\n"
    "Russian President Vladimir Putin does not plan to offer his\n"
    "congratulations to Donald Trump, Kremlin spokesman Dmitry Peskov\n"
    "said Wednesday.\n"
    "\n"
    "The Kremlin listed its reasons for the delay in a short statement:\n"
    "- the war in Ukraine, which the United States is a party to;\n"
    "- the sanctions the United States imposed on Russian companies.\n"
)


def newlines_after(text, *words):
    return [text.index(word) + len(word) for word in words]


def test_single_newlines_inside_a_wrapped_paragraph_are_soft():
    soft = soft_breaks(WRAPPED)
    assert soft == newlines_after(WRAPPED, "offer his", "Dmitry Peskov")
    assert all(WRAPPED[i] == "\n" for i in soft)
    paragraph = unwrap(WRAPPED).split("\n\n")[1]
    assert paragraph == (
        "Russian President Vladimir Putin does not plan to offer his congratulations to "
        "Donald Trump, Kremlin spokesman Dmitry Peskov said Wednesday."
    )


def test_headers_lists_and_paragraph_breaks_keep_their_line_breaks():
    shown = unwrap(WRAPPED)
    assert len(shown) == len(WRAPPED)  # a space for a newline: offsets line up
    # The header's short lines, the blank lines and the list items stay on their own lines.
    assert shown.startswith("Kremlin Says No Plans\nTo Congratulate Trump\nNovember 06, 2024\n\n")
    assert "short statement:\n- the war in Ukraine, which the United States is a party to;\n- " in (
        shown
    )


def test_a_paragraph_per_line_keeps_every_line_break():
    """The CNBC way: no blank lines, each paragraph one long line, captions between them."""
    text = (
        "The Kremlin said Russian President Vladimir Putin had no immediate plans to "
        "congratulate Donald Trump on his election victory, while noting that the U.S. "
        "remains an unfriendly country.\n"
        "Yuri Kadobunov | AFP | Getty Images\n"
        "He provided no evidence to support his claims, his spokesman said.\n"
        "Brian Snyder | Reuters\n"
    )
    assert soft_breaks(text) == []


def test_a_short_line_inside_a_block_is_its_own_line():
    """A title line followed by a short one ("Putin", a byline) is not a wrapped sentence;
    a paragraph's short last line is."""
    text = (
        "Putin congratulated Trump on his election victory through acquaintances\n"
        "Putin\n"
        "Source: online.ua\n\n"
        "Russian dictator Vladimir Putin and other members of his team allegedly\n"
        "congratulated Trump.\n"
    )
    assert soft_breaks(text) == newlines_after(text, "allegedly")


@pytest.mark.parametrize(
    "text",
    [
        # A title and its date, a paragraph and its photo credit, a title and a short name:
        # a short last line that ends no sentence ended for a reason.
        "Kremlin Says It Has No Plans to Congratulate Trump on His Win\nNovember 06, 2024",
        "The Kremlin said it had no plans to send any message\nSergei Savostyanov / TASS",
        "Putin congratulated Trump on his election victory through acquaintances\nPutin",
        # A short paragraph per line (a Telegram channel): every line ends a sentence.
        "The Kremlin denied on Thursday that Putin had called Trump.\n"
        "Peskov said there were no plans for a call at the moment.\n"
        "The State Department declined to comment on the reports.",
    ],
)
def test_lines_that_ended_for_a_reason_keep_their_break(text):
    assert soft_breaks(text) == []


def test_a_paragraphs_short_last_line_joins_it_when_it_ends_a_sentence():
    text = (
        "Trump claimed a magnificent victory over his opponent and Vice President Kamala\nHarris."
    )
    assert soft_breaks(text) == newlines_after(text, "Kamala")


def test_indented_and_numbered_lines_start_a_line_of_their_own():
    line = "A line of a hard-wrapped report, long enough to count as full"
    for start in ("  indented", "1. first", "2) second", "• bullet", "* star", "— dash"):
        assert soft_breaks(f"{line}\n{start} and some more words follow here\n") == [], start
    assert soft_breaks(f"{line}\n2024 was the year of the election.\n") == [len(line)]


def test_the_seed_files():
    """The Moscow Times file is hard-wrapped: every single newline inside its paragraphs is
    soft, its header lines are not, and neither is the break before the short last line of
    a related headline ("… Ukraine\nCloser’": no sentence ends there). The other four seeds
    keep every line break."""
    moscow = seed_text(1)
    soft = soft_breaks(moscow)
    assert len(soft) == 24
    assert "Ukraine\nCloser’" in unwrap(moscow)
    shown = unwrap(moscow)
    assert (
        "Russian President Vladimir Putin does not plan to offer his congratulations to "
        "Donald Trump, Kremlin spokesman Dmitry Peskov said Wednesday, as the former U.S. "
        "president was on the cusp of securing a second term in the Oval Office." in shown
    )
    assert "Sergei Savostyanov / TASS\n\n" in shown
    for index in (0, 2, 3, 4):
        assert soft_breaks(seed_text(index)) == [], index


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        # A quote cut out of its article: its first line's beginning is not there.
        (
            "Donald Trump,\nKremlin spokesman Peskov said",
            "Donald Trump, Kremlin spokesman Peskov said",
        ),
        ("Trump,\nKremlin", "Trump, Kremlin"),
        ("ends here.\n\nA new paragraph", "ends here.\n\nA new paragraph"),
        ("reasons:\n- the war", "reasons:\n- the war"),
        ("", ""),
    ],
)
def test_unwrap_quote(quote, shown):
    assert unwrap_quote(quote) == shown


def test_unwrap_a_slice():
    text = "word " * 10 + "\n" + "word " * 10
    soft = soft_breaks(text)
    assert soft == [50]
    assert unwrap(text, 45, 55, soft) == "word  word"
    assert unwrap(text, 0, 50, soft) == text[:50]
