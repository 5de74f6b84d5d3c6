"""An article from a web page: fetched (webfetch.fetcher), decoded, its main text and
metadata extracted with trafilatura, ready for the one import path (articles.importing).

``page_decoded(url)`` is what a web Source's ``prepare`` calls; ``url_sources(urls)`` makes
the Sources of a list of addresses, for the command, the desk, the admin and the feeds.
"""

import hashlib
import logging
import re
import zlib
from datetime import date
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
import trafilatura
from django.utils.dateparse import parse_date
from lxml import etree

from articles.extract import ImportFailure, decode_article_bytes, guess_language
from articles.importing import Decoded
from articles.sources import Source
from articles.text import content_hash, normalize_text
from webfetch.fetcher import PAGE, FetchError, Response, fetch

logger = logging.getLogger(__name__)

# A short block mostly of links between paragraphs is a "Read more" line, not the article.
LINK_BLOCK_WORDS = 20
LINK_SHARE = 0.65
LAYOUT_CELL_WORDS = 80
# Furniture: a photo credit of at most CREDIT_WORDS words; a line of at most
# FIELDS_LINE_WORDS words with two or more " | " between fields.
CREDIT_WORDS = 8
FIELDS_LINE_WORDS = 15
_CREDIT = re.compile(
    r"(photo|photograph|picture|image|foto|фото|світлина|ілюстрація|иллюстрация)s?\s*[:©]",
    re.IGNORECASE,
)
# Fewer words than this is not an article: a page of links, a paywall, an error page.
MIN_WORDS = 25
# What trafilatura keeps out besides its own rules: captions, asides, share and cookie bars
# (the benchmark in bench/extraction.py measures these choices against its defaults).
PRUNE_XPATH = [
    "//figcaption",
    "//aside",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')]",
    "//*[@role='complementary']",
]
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_HTML_LANG = re.compile(r"""<html[^>]*\slang\s*=\s*["']?([A-Za-z]{2,3})""", re.IGNORECASE)


def url_sources(urls: list[str]) -> list[Source]:
    """One import Source per address, read when its turn comes."""
    return [
        Source(name=url, filename="", prepare=lambda url=url: page_decoded(url)) for url in urls
    ]


def normalize_url(url: str) -> str:
    """The address as stored and compared: no fragment, the scheme and host lower-case."""
    parts = urlsplit(url.strip())
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def page_decoded(url: str) -> Decoded:
    """The article at ``url``, ready to store; ImportFailure with the reason otherwise."""
    try:
        response = fetch(url, use=PAGE)
    except FetchError as exc:
        raise ImportFailure(str(exc)) from None
    html, encoding = decode_page(response)
    try:
        article = extract_article(html, url=response.final_url)
    except ImportFailure:
        raise
    except Exception as exc:  # a page the extractor chokes on fails alone, not the batch
        logger.exception("Extracting %s failed", url)
        raise ImportFailure(f"the page could not be read ({type(exc).__name__})") from None
    text = article["text"]
    body = normalize_text(text)
    requested, final = normalize_url(url), normalize_url(response.final_url)
    canonical = article["canonical_url"] or final
    domain = _domain(canonical) or _domain(final)
    return Decoded(
        text=text,
        body=body,
        encoding=encoding,
        sha256=hashlib.sha256(response.body).hexdigest(),
        content_hash=content_hash(body),
        metadata={
            "title": article["title"],
            "url": canonical,
            "published_on": article["published_on"],
            "language": article["language"] or guess_language(body),
            "outlet": article["site_name"] or domain,
            "domain": domain,
        },
        fields={
            "authors": article["authors"][:500],
            "source_url": requested,
            "canonical_url": canonical,
            "source_html": zlib.compress(response.body, 6),
            "fetched_at": response.fetched_at,
        },
        urls=frozenset({requested, final, canonical}),
    )


def decode_page(response: Response) -> tuple[str, str]:
    """The page's text and the encoding it was read in: the one it declares (header, then
    meta) when the bytes are valid in it; otherwise what they really are (a Windows-1251
    page labelled UTF-8 is read as Windows-1251, and the encoding says so)."""
    declared = response.charset or _meta_charset(response.body)
    if declared:
        try:
            return response.body.decode(declared), declared
        except LookupError:
            pass  # an encoding name nobody knows: read the bytes as they are
        except UnicodeDecodeError:
            text, encoding = _decoded_anyway(response.body)
            return text, f"{encoding} (labelled {declared})"
    return _decoded_anyway(response.body)


def _decoded_anyway(data: bytes) -> tuple[str, str]:
    try:
        return decode_article_bytes(data)
    except ImportFailure as exc:
        raise ImportFailure(f"the page's text cannot be read: {exc}") from None


def _meta_charset(body: bytes) -> str:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii").lower() if match else ""


def _domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def _without_link_blocks(html: str):
    """The page as a tree without its short blocks that are mostly links: the "Read more:
    …" and "See also" lines set between an article's paragraphs, which trafilatura keeps
    as text. (A block of at most LINK_BLOCK_WORDS words, LINK_SHARE of them inside links.)"""
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    _layout_tables_unwrapped(tree)
    for block in tree.xpath("//body//p | //body//div[not(.//p or .//div)]"):
        words = len(block.text_content().split())
        if not words or words > LINK_BLOCK_WORDS:
            continue
        linked = sum(len(a.text_content().split()) for a in block.iter("a"))
        if linked / words >= LINK_SHARE:
            block.drop_tree()
    return tree


def _layout_tables_unwrapped(tree) -> None:
    """Tables used for a page's layout (an old CMS's columns) made plain blocks, so that the
    text in them is read as paragraphs, not as a data table's rows: a table holding another
    table, a heading, a form, or a cell of LAYOUT_CELL_WORDS words or more."""
    for table in tree.xpath("//table"):
        layout = table.xpath(".//table | .//h1 | .//h2 | .//form") or any(
            len(cell.text_content().split()) >= LAYOUT_CELL_WORDS
            for cell in table.xpath(".//td | .//th")
        )
        if layout:
            for element in table.iter("table", "tbody", "thead", "tfoot", "tr", "td", "th"):
                element.tag = "div"
                element.attrib.pop("colspan", None)
                element.attrib.pop("rowspan", None)


def extract_article(html: str, *, url: str) -> dict:
    """Title, main text (paragraphs parted by blank lines), date, authors, language, site
    name and canonical URL of the page; ImportFailure when it holds no article text."""
    document = trafilatura.bare_extraction(
        _without_link_blocks(html),
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=True,
        prune_xpath=PRUNE_XPATH,
    )
    text = (document.text or "") if document is not None else ""
    paragraphs = [" ".join(line.split()) for line in text.split("\n")]
    title = " ".join((document.title or "").split()) if document is not None else ""
    if paragraphs and title and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]  # the headline, inside the text's container
    paragraphs = [p for p in paragraphs if not _furniture(p)]
    text = "\n\n".join(p for p in paragraphs if p)
    words = len(text.split())
    if words < MIN_WORDS:
        raise ImportFailure(
            "no article text found on the page"
            + (f" (only {words} word{'' if words == 1 else 's'})" if words else "")
        )
    return {
        "title": title[:500],
        "text": text,
        "published_on": _date(document.date),
        "authors": " ".join((document.author or "").split()),
        "language": _language(html),
        "site_name": " ".join((document.sitename or "").split())[:200],
        "canonical_url": _canonical(document.url, url),
    }


def _furniture(paragraph: str) -> bool:
    """A line of the page's furniture that came out as text: a photo credit ("Photo: AP",
    "Фото: УНІАН") or a short line of fields parted by bars ("12.04.2026 | Views: 300 |
    Author: …")."""
    words = len(paragraph.split())
    if words <= CREDIT_WORDS and _CREDIT.match(paragraph):
        return True
    return words <= FIELDS_LINE_WORDS and paragraph.count(" | ") >= 2


def _date(value: str | None) -> date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def _language(html: str) -> str:
    match = _HTML_LANG.search(html[:4096])
    return match.group(1).lower() if match else ""


def _canonical(found: str | None, page_url: str) -> str:
    if not found:
        return ""
    url = urljoin(page_url, found.strip())
    return normalize_url(url) if urlsplit(url).scheme in ("http", "https") else ""
