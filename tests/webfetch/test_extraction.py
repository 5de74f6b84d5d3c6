"""What the extraction keeps and drops (webfetch.pages.extract_article), on small pages."""

import pytest

from articles.extract import ImportFailure
from webfetch.pages import extract_article

PROSE = [
    "The council voted on Tuesday to keep the bus station open for another five years, "
    "after a long campaign by residents.",
    "The decision was welcomed by the drivers' union, which had warned that closing the "
    "station would cost forty jobs in the town.",
    "A final plan for the site will be published in the spring, the council said in a "
    "statement after the meeting.",
]


def page(*middle: str, title="Bus station stays open") -> str:
    body = "".join(f"<p>{p}</p>" for p in PROSE[:2]) + "".join(middle) + f"<p>{PROSE[2]}</p>"
    return (
        f"<html lang='en'><head><title>{title}</title></head><body><nav><a href='/'>Home</a> "
        f"<a href='/news'>News</a></nav><article><h1>{title}</h1>{body}</article></body></html>"
    )


def paragraphs(html: str) -> list[str]:
    return extract_article(html, url="https://example.org/a")["text"].split("\n\n")


def test_the_prose_is_kept_with_paragraphs_parted_by_blank_lines():
    assert paragraphs(page()) == PROSE


@pytest.mark.parametrize(
    "furniture",
    [
        "<p><strong>Read more:</strong> <a href='/x'>Council tax to rise by five per cent</a></p>",
        "<div class='related'>Читайте також: "
        "<a href='/y'>Ціни на хліб зросли на вісім відсотків</a></div>",
        "<p>Photo: Jane Smith / Reuters</p>",
        "<p>Фото: прес-служба міськради</p>",
        "<p>12.04.2026 | Views: 300 | Author: Jane Smith</p>",
        "<figure><img src='/a.jpg' alt=''>"
        "<figcaption>Buses at the station in May.</figcaption></figure>",
        "<aside><p>Sign up for our newsletter, it is free and comes every morning.</p></aside>",
    ],
)
def test_furniture_between_paragraphs_is_dropped(furniture):
    assert paragraphs(page(furniture)) == PROSE


def test_a_sentence_with_a_link_in_it_is_kept():
    sentence = "The full report is <a href='/r'>on the council's website</a> for anyone to read."
    kept = paragraphs(page(f"<p>{sentence}</p>"))
    assert "The full report is on the council's website for anyone to read." in kept


def test_a_layout_table_is_read_as_paragraphs():
    cell = "".join(f"{p}<br><br>" for p in PROSE)
    html = (
        "<html><head><title>Bus station stays open</title></head><body><table><tr>"
        "<td><a href='/'>Home</a><br><a href='/n'>News</a></td>"
        f"<td><h1>Bus station stays open</h1>{cell}</td></tr></table></body></html>"
    )
    text = extract_article(html, url="https://example.org/a")["text"]
    assert "|" not in text
    for sentence in PROSE:
        assert sentence in text


def test_a_page_without_article_text_fails():
    with pytest.raises(ImportFailure, match="no article text found on the page"):
        extract_article(
            "<html><body><nav><a href='/'>Home</a></nav></body></html>", url="https://example.org/"
        )
