"""The import's language guess: skipped when the manifest gives the language, sampled
otherwise."""

from articles import extract
from articles.extract import LANGUAGE_SAMPLE, extract_metadata, guess_language


def test_a_given_language_is_not_guessed(monkeypatch):
    def refuse(text):
        raise AssertionError("guessed although the language was given")

    monkeypatch.setattr(extract, "guess_language", refuse)
    assert extract_metadata("Путін привітав Трампа.", language="uk").language == "uk"


def test_the_guess_reads_a_sample_not_the_whole_text():
    english = "The Kremlin said that the call was not made and that is all. " * 2000
    assert len(english) > 10 * LANGUAGE_SAMPLE
    assert guess_language(english) == "en"
    # Cyrillic only far beyond the sampled parts does not change the guess.
    assert guess_language(english + "Путін привітав Трампа з перемогою. " * 100) == "en"
    assert guess_language("Путін привітав Трампа з перемогою у виборах. " * 500) == "uk"
    assert guess_language("Путин поздравил Трампа с победой, объявил Кремль. " * 500) == "ru"
    assert guess_language("12345 67890 " * 1000) == ""
