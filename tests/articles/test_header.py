"""Imported bodies start at the article, not at the saved page's header lines; the file's
text as it arrived stays in Article.source_text. Titles lose a glued-on byline."""

import pytest

from articles.extract import article_body, extract_metadata, without_byline
from articles.importing import articles_import
from articles.models import Article, ImportBatch
from articles.sources import sources_from_paths
from articles.text import normalize_text
from tests.articles.helpers import SEEDS, import_files

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed_text(index: int) -> str:
    return normalize_text(SEED_FILES[index].read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("index", "starts_with"),
    [
        (0, "Russian dictator Vladimir Putin and other members of his team"),
        (1, "Sergei Savostyanov / TASS"),
        (2, "Kremlin spokesperson Dmitry Peskov has denied reports"),
        # No header: the file starts at a photo caption.
        (3, "Donald Trump (left) and Russian President Vladimir Putin"),
        (4, "Pure fiction: The Kremlin claims"),
    ],
)
def test_seed_bodies_start_at_the_article(index, starts_with):
    body = article_body(seed_text(index))
    assert body.startswith(starts_with)
    assert seed_text(index).endswith(body)


@pytest.mark.parametrize(
    "text",
    [
        # Prose before the date: not a header.
        "This is a long opening paragraph of an article that runs well over the length of any "
        "header line that a saved page would carry at its top, so it must stay where it is.\n"
        "06.11.2024\n\nMore text.",
        # A dateline with the first paragraph wrapped under it.
        "November 06, 2024\nRussian President Vladimir Putin does not plan to offer his "
        "congratulations,\nsaid the spokesman on Wednesday.",
        "Just a body with no header at all.\nSecond line.",
        # Nothing after the header: keep the text.
        "date 2024-11-06 A headline here\nSource: online.ua\n",
    ],
)
def test_no_header_no_change(text):
    body = article_body(text)
    if text.startswith("November"):
        assert body.startswith("Russian President")
    else:
        assert body == text


def test_source_line_without_a_date():
    text = "Headline of it\nSource: https://www.example.com/news/1\n\nBody."
    assert article_body(text) == "Body."
    assert extract_metadata(text).outlet_name == "example.com"


@pytest.mark.django_db
def test_import_keeps_the_header_in_the_source_text():
    report = articles_import(sources=sources_from_paths([SEEDS]), via=ImportBatch.Via.COMMAND)
    assert report.imported == 5
    article = Article.objects.get(source_filename=SEED_FILES[0].name)
    assert not article.body.lstrip().startswith("date")
    assert "Source:" not in article.body[:200]
    assert article.source_text.startswith(" date 2024-11-06")
    assert article.title.startswith("Putin congratulated Trump on his election victory")
    assert str(article.published_on) == "2024-11-06"
    # Importing the same files again: duplicates, by their bytes.
    again = articles_import(sources=sources_from_paths([SEEDS]), via=ImportBatch.Via.COMMAND)
    assert again.duplicates == 5


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Putin congratulated Trump on his victory 🇺🇸🇷🇺 By Staff Reporter",
            "Putin congratulated Trump on his victory 🇺🇸🇷🇺",
        ),
        ("Kremlin denies the report | by Jane Doe", "Kremlin denies the report"),
        ("Talks stalled, says minister. By John Smith", "Talks stalled, says minister."),
        # Title Case headlines keep "By …" unless something sets the byline off.
        ("Putin Congratulated By Trump", "Putin Congratulated By Trump"),
        ("Trump Was Congratulated By Putin — By Jane Doe", "Trump Was Congratulated By Putin"),
        ("Stand by Me", "Stand by Me"),
        ("Written by hand", "Written by hand"),
    ],
)
def test_without_byline(title, expected):
    assert without_byline(title) == expected


@pytest.mark.django_db
def test_imported_title_without_byline():
    text = (
        "date 2024-11-06 Putin congratulated Trump on his victory 🇺🇸🇷🇺 By Staff Reporter\n"
        "Source: example.org\n\nThe body of the article, which is long enough."
    ).encode()
    import_files(("byline.txt", text))
    article = Article.objects.get(source_filename="byline.txt")
    assert article.title == "Putin congratulated Trump on his victory 🇺🇸🇷🇺"
    assert article.body == "The body of the article, which is long enough."
