"""Reading an article file: its bytes to text, and what the text says about itself.

Newsrooms receive files saved by every tool there is, so decoding tries the unambiguous
readings first (UTF-8, then a byte-order mark) and only then asks charset-normalizer to guess
among the legacy single-byte code pages they still get. Metadata is read from the text only
where it is plainly there; anything uncertain is left empty for a person to fill in.
"""

import codecs
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import charset_normalizer


class ImportFailure(Exception):
    """A file cannot be imported; the message is the reason shown to the person importing."""


# The legacy code pages we accept; a short list keeps guessing honest. Mac Cyrillic is left
# out on purpose: it reads cp1251's "С" as an em dash and wins on mostly-English text.
LEGACY_ENCODINGS = [
    "cp1251",
    "koi8_r",
    "koi8_u",
    "cp866",
    "cp1252",
    "latin_1",
    "cp1250",
    "iso8859_15",
]

_BOMS = [
    # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# C0 controls other than tab, newline, form feed and carriage return do not occur in text.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_article_bytes(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the name of the encoding it was read in.

    Raises ImportFailure with a reason when the bytes are not text we can read.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            label = {"utf-8-sig": "utf-8-sig"}.get(encoding, f"{encoding}-{_endianness(bom)}")
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ImportFailure(
                    f"undecodable: starts with a {label.upper()} byte-order mark but is not "
                    f"valid {encoding.upper()} (byte {exc.start})"
                ) from None
            return _checked_text(text), label
    if b"\x00" in data:
        raise ImportFailure("binary file, not text (it contains NUL bytes)")
    try:
        return _checked_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = list(charset_normalizer.from_bytes(data, cp_isolation=LEGACY_ENCODINGS))
    if not candidates:
        raise ImportFailure(
            "undecodable: not UTF-8, not UTF-16 with a byte-order mark, and no legacy encoding "
            "(cp1251, koi8-r, cp1252, latin-1, …) reads it as text"
        )
    # charset-normalizer ranks by language coherence first, which favours an English reading
    # of mostly-English text with one Cyrillic sentence; the reading with the least mess
    # (chaos) is the right one in that case, and coherence only breaks ties.
    best = min(candidates, key=lambda match: (match.chaos, -match.coherence))
    return _checked_text(str(best)), best.encoding


def _endianness(bom: bytes) -> str:
    return "le" if bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF32_LE) else "be"


def _checked_text(text: str) -> str:
    # A UTF-16 or UTF-8-with-BOM file can still spell a NUL: PostgreSQL cannot store it, and
    # a browser shows it as U+FFFD, which would break the offsets contract.
    if "\x00" in text:
        raise ImportFailure("binary file, not text (it contains a NUL character)")
    controls = len(_CONTROL_CHARS.findall(text))
    if controls and controls > max(2, len(text) // 1000):
        raise ImportFailure("binary file, not text (it is full of control characters)")
    return text


# ---------------------------------------------------------------------------------- metadata

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "января", "січня"),
            ("february", "feb", "февраля", "лютого"),
            ("march", "mar", "марта", "березня"),
            ("april", "apr", "апреля", "квітня"),
            ("may", "мая", "травня"),
            ("june", "jun", "июня", "червня"),
            ("july", "jul", "июля", "липня"),
            ("august", "aug", "августа", "серпня"),
            ("september", "sep", "sept", "сентября", "вересня"),
            ("october", "oct", "октября", "жовтня"),
            ("november", "nov", "ноября", "листопада"),
            ("december", "dec", "декабря", "грудня"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# A date counts only at the start of a line ("date 2024-11-06 …", "Friday06 December 2024"):
# dates inside sentences are usually about something else (a photo caption's 2018, say).
_LEAD = (
    r"^\s*(?:(?:date|published|updated|posted)\s*:?\s*)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s*,?\s*)?"
)
_DATE_PATTERNS = [
    re.compile(_LEAD + r"(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})(?!\d)", re.I),
    re.compile(_LEAD + _MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})(?!\d)", re.I),
    re.compile(_LEAD + r"(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>\d{4})(?!\d)", re.I),
    re.compile(_LEAD + r"(?P<day>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<year>\d{4})(?!\d)", re.I),
]
_TIME = re.compile(r"^[\s,|·•–—-]*(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?", re.I)
_SOURCE_LINE = re.compile(r"^\s*(?:source|джерело|источник)\s*:\s*(?P<value>\S.*?)\s*$", re.I)
_DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}"
# A site names itself on a line of its own ("gazzeta.in.ua") or in its copyright line.
_SITE_LINE = re.compile(rf"^\s*(?P<site>{_DOMAIN})\s*(?:©.*)?$", re.I)
_NOT_SITES = {"jpg", "jpeg", "png", "gif", "webp", "html", "htm", "txt", "pdf", "doc", "docx"}
_HEAD_LINES = 80
_TITLE_MAX = 300


@dataclass
class ArticleMetadata:
    title: str = ""
    published_on: date | None = None
    outlet_name: str = ""
    outlet_domain: str = ""
    language: str = ""
    url: str = ""


def extract_metadata(body: str, *, language: str | None = None) -> ArticleMetadata:
    """What the text of an article says about itself: title, date, outlet, language.

    ``body`` is the whole text of the file (normalised), header lines included.
    ``language``, when known (a manifest gives it), is taken as is and not guessed."""
    lines = body.split("\n")
    meta = ArticleMetadata(language=language if language else guess_language(body))
    meta.outlet_name, meta.outlet_domain = _outlet(lines)
    found = _dated_line(lines)
    if found:
        index, published_on, rest = found
        meta.published_on = published_on
        meta.title = rest or _title_around(lines, index, meta.outlet_name)
    else:
        first = _paragraph_after(lines, -1)
        if first and _headline_like(first) and not first.endswith("."):
            meta.title = first
    meta.title = without_byline(meta.title)
    return meta


# "… 🇺🇸🇷🇺 By Staff Reporter", "… | by Jane Doe": a byline glued to the end of a headline.
_NAME = r"[A-ZА-ЯІЇЄҐ][\w.'’-]*"
_BYLINE = re.compile(rf"\s*(?:[|·•–—-]\s*)?\b[Bb]y\s+{_NAME}(?:\s+{_NAME}){{0,3}}\s*$")
_SEPARATED = re.compile(r"[|·•–—-]\s*[Bb]y\s|[^\w\s\"'’”»).!?,:;]\s*[Bb]y\s")


def without_byline(title: str) -> str:
    """``title`` without a trailing byline. A headline in Title Case ("Congratulated By
    Trump") keeps its words unless a separator or a symbol (an emoji) sets the byline off."""
    match = _BYLINE.search(title)
    if not match:
        return title
    head = title[: match.start()].rstrip()
    words = re.findall(r"[^\W\d_]{4,}", head)
    title_case = words and all(word[0].isupper() for word in words)
    if title_case and not _SEPARATED.search(title[max(0, match.start() - 3) :]):
        return title
    return head.rstrip(" |·•–—-") if len(head.split()) >= 2 else title


# The header a saved page starts with: at most this many lines, none of them prose.
_HEADER_MAX_LINES = 60
_HEADER_LINE_MAX = 160


def article_body(text: str) -> str:
    """The article's text without the header lines a saved page starts with — the dateline
    (" date 2024-11-06 <headline>"), "Source:" lines, the site's name and whatever came
    before them (navigation, the headline, which the article's title keeps). The file's text
    as it arrived is kept whole in ``Article.source_text``.

    Cautious: nothing is removed unless such a line is near the top and everything above it
    is short lines (never a paragraph of prose), and the rest is not empty.
    """
    lines = text.split("\n")
    end = _header_end(lines)
    if not end:
        return text
    rest = "\n".join(lines[end:])
    rest = re.sub(r"\A(?:[ \t]*\n)+", "", rest)
    return rest if rest.strip() else text


def _header_end(lines: list[str]) -> int:
    """The index of the first line after the header, or 0 when there is none."""
    anchor = None
    found = _dated_line(lines[:_HEADER_MAX_LINES])
    if found:
        anchor = found[0]
    for index, line in enumerate(lines[:10]):
        if _SOURCE_LINE.match(line) and (anchor is None or index > anchor):
            anchor = index
            break
    if anchor is None:
        return 0
    end = anchor + 1
    # The rest of the dateline's paragraph when it is a label, a site or a "Source:" line
    # (" date … <headline>", "Putin", "Source: online.ua").
    while end < len(lines) and lines[end].strip() and _header_line(lines[end]):
        end += 1
    # Blank lines and the site naming itself just after it ("Friday06 December 2024",
    # "gazzeta.in.ua").
    while end < len(lines) and (not lines[end].strip() or _header_line(lines[end], short=False)):
        end += 1
    header = lines[:end]
    if any(len(line.strip()) > _HEADER_LINE_MAX for line in header):
        return 0
    return end


def _header_line(line: str, *, short: bool = True) -> bool:
    line = line.strip()
    if _SOURCE_LINE.match(line) or _SITE_LINE.match(line):
        return True
    return short and len(line.split()) <= 3 and not re.search(r"[.!?:,;”\"»]$", line)


def _dated_line(lines: list[str]) -> tuple[int, date, str] | None:
    for index, line in enumerate(lines[:_HEAD_LINES]):
        for pattern in _DATE_PATTERNS:
            match = pattern.match(line)
            if not match:
                continue
            published_on = _date_from(match)
            if published_on is None:
                continue
            rest = line[match.end() :]
            rest = rest[_TIME.match(rest).end() :] if _TIME.match(rest) else rest
            rest = rest.strip(" \t,.|·•–—-:")
            return index, published_on, rest if len(rest.split()) >= 2 else ""
    return None


def _date_from(match: re.Match) -> date | None:
    groups = match.groupdict()
    month = MONTHS.get(groups["month"].lower()) if groups.get("month") else int(groups["mon"])
    try:
        value = date(int(groups["year"]), month, int(groups["day"]))
    except (TypeError, ValueError):
        return None
    return value if 1990 <= value.year <= 2100 else None


def _title_around(lines: list[str], index: int, outlet_name: str) -> str:
    """The headline sits just above the date line, or else just below it."""
    before = _paragraph_before(lines, index)
    if before and _headline_like(before) and not _is_site(before, outlet_name):
        return before
    after = _paragraph_after(lines, index, skip=lambda line: _is_site(line, outlet_name))
    return after if after and _headline_like(after) else ""


def _paragraph_before(lines: list[str], index: int) -> str:
    i = index - 1
    while i >= 0 and not lines[i].strip():
        i -= 1
    block = []
    while i >= 0 and lines[i].strip():
        block.insert(0, lines[i].strip())
        i -= 1
    return _headline_block(block)


def _paragraph_after(lines: list[str], index: int, skip=lambda line: False) -> str:
    i = index + 1
    while i < len(lines) and (not lines[i].strip() or skip(lines[i])):
        i += 1
    block = []
    while i < len(lines) and lines[i].strip():
        block.append(lines[i].strip())
        i += 1
    return _headline_block(block)


def _headline_block(block: list[str]) -> str:
    # A "Source:" line under a headline names the outlet; it is not part of the title.
    block = [line for line in block if not _SOURCE_LINE.match(line)]
    # A headline wraps over a few lines at most; a longer block is navigation or body text.
    return " ".join(block) if 0 < len(block) <= 3 else ""


def _headline_like(text: str) -> bool:
    return (
        3 <= len(text) <= _TITLE_MAX
        and len(text.split()) >= 2
        and "://" not in text
        and any(ch.isalpha() for ch in text)
    )


def _is_site(line: str, outlet_name: str) -> bool:
    line = line.strip()
    return bool(_SITE_LINE.match(line)) or bool(outlet_name and line.lower() == outlet_name.lower())


def _outlet(lines: list[str]) -> tuple[str, str]:
    """The outlet's name and domain from a "Source:" line or the site naming itself."""
    for line in lines[:_HEAD_LINES]:
        match = _SOURCE_LINE.match(line)
        if match:
            value = match["value"].strip().strip(".")
            host = urlsplit(value).hostname if "://" in value else None
            if host:
                host = host.removeprefix("www.")
                return host, host
            return value, value.lower() if re.fullmatch(_DOMAIN, value, re.I) else ""
    for line in lines:
        match = _SITE_LINE.match(line)
        if match and match["site"].rsplit(".", 1)[-1].lower() not in _NOT_SITES:
            return match["site"], match["site"].lower()
    return "", ""


_EN_WORDS = {"the", "and", "of", "to", "in", "that", "is", "was", "for", "on", "with", "said"}
# The opening of a text says which language it is in; counting the whole of a 5 MB file
# cost hundreds of megabytes (a list of its characters).
LANGUAGE_SAMPLE_CHARS = 100_000
_NOT_LETTER = re.compile(r"[\W\d_]+")
_NOT_CYRILLIC = re.compile(r"[^\u0400-\u052f]+")


# The language guess reads this much of a text: a sample tells as well as the whole, and an
# import must not walk every character of a long article.
LANGUAGE_SAMPLE = 4000
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def guess_language(text: str) -> str:
    """A cautious guess of en, uk or ru; empty when the text does not make it plain."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    letters = len(_NOT_LETTER.sub("", sample))
    if letters < 20:
        return ""
    cyrillic = _NOT_CYRILLIC.sub("", sample).lower()
    if len(cyrillic) > letters / 2:
        ukrainian = sum(cyrillic.count(ch) for ch in "іїєґ")
        russian = sum(cyrillic.count(ch) for ch in "ыэъё")
        if ukrainian > russian:
            return "uk"
        return "ru" if russian > ukrainian else ""
    words = re.findall(r"[a-z]+", sample.lower())
    if words and sum(word in _EN_WORDS for word in words) / len(words) >= 0.08:
        return "en"
    return ""
