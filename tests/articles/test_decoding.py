"""Every way an article file's bytes become Article.body (docs/architecture.md, "The offsets
contract")."""

import codecs
import hashlib
import random

import pytest

from articles.extract import ImportFailure, decode_article_bytes
from articles.models import Article, ImportRecord
from tests.articles.helpers import FRENCH, RUSSIAN, SEEDS, UKRAINIAN, import_files


def only_article(report):
    (result,) = report.results
    assert result.outcome == ImportRecord.Outcome.IMPORTED, result.reason
    return Article.objects.get(pk=result.article.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "encoding", "expected_label"),
    [
        (RUSSIAN, "cp1251", "cp1251"),
        (RUSSIAN, "koi8_r", "koi8_r"),
        (UKRAINIAN, "cp1251", "cp1251"),
        (UKRAINIAN, "koi8_u", "koi8_u"),
    ],
)
def test_cyrillic_legacy_encodings_are_told_apart(text, encoding, expected_label):
    data = text.encode(encoding)
    article = only_article(import_files((f"{encoding}.txt", data)))
    assert article.body == text
    assert article.source_encoding == expected_label
    assert article.source_sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_russian_in_cp1251_is_not_read_as_koi8_r_or_the_other_way(encoding):
    other = {"cp1251": "koi8_r", "koi8_r": "cp1251"}[encoding]
    text, _ = decode_article_bytes(RUSSIAN.encode(encoding))
    assert text == RUSSIAN
    assert text != RUSSIAN.encode(encoding).decode(other)


def test_mostly_english_with_one_russian_line_in_cp1251():
    # The gazzeta.in.ua seed is English with a Russian headline: an English reading of
    # the Cyrillic bytes must not win.
    original = (SEEDS / "004_e3eea6efc90623fd.txt").read_text(encoding="utf-8")
    text, encoding = decode_article_bytes(original.encode("cp1251"))
    assert text == original
    assert encoding == "cp1251"
    assert "Чистая выдумка: Путин и Трамп не общались" in text


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["latin_1", "cp1252"])
def test_western_legacy_encodings(encoding):
    article = only_article(import_files(("fr.txt", FRENCH.encode(encoding))))
    assert article.body == FRENCH


def test_cp1252_specific_characters():
    text = "The “reset” cost €5 million — officials said… " * 3
    assert decode_article_bytes(text.encode("cp1252"))[0] == text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bom", "codec", "label"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_utf16_with_bom(bom, codec, label):
    text = "Путин 🇷🇺 and Trump 🇺🇸\r\nsecond line"
    article = only_article(import_files(("u16.txt", bom + text.encode(codec))))
    assert article.body == "Путин 🇷🇺 and Trump 🇺🇸\nsecond line"
    assert article.source_encoding == label
    assert article.source_text == text


@pytest.mark.django_db
def test_utf8_bom_and_crlf_are_normalised_and_the_original_kept():
    text = "Headline here\r\n\r\nFirst paragraph.\rOld Mac line.\r\n"
    data = codecs.BOM_UTF8 + text.encode("utf-8")
    article = only_article(import_files(("bom.txt", data)))
    assert article.body == "Headline here\n\nFirst paragraph.\nOld Mac line.\n"
    assert not article.body.startswith("\ufeff")
    assert article.source_encoding == "utf-8-sig"
    assert article.source_text == text
    assert article.source_sha256 == hashlib.sha256(data).hexdigest()
    assert article.source_filename == "bom.txt"


@pytest.mark.django_db
def test_emoji_offsets_are_code_points():
    text = "Trump 👍 said «Путин» 🎉 wins"
    article = only_article(import_files(("emoji.txt", text.encode("utf-8"))))
    assert article.body == text
    assert article.body[6] == "👍"
    assert article.body[article.body.index("Путин") :][:5] == "Путин"


@pytest.mark.django_db
def test_text_is_nfc():
    decomposed = "Cafe\u0301 owners in Kyi\u0308v said the report was false."
    article = only_article(import_files(("nfd.txt", decomposed.encode("utf-8"))))
    assert article.body == "Café owners in Kyïv said the report was false."
    assert article.source_text == decomposed


@pytest.mark.django_db
def test_the_same_text_in_another_encoding_is_a_duplicate():
    first = only_article(import_files(("a.txt", RUSSIAN.encode("utf-8"))))
    report = import_files(
        ("b.txt", RUSSIAN.encode("cp1251")),
        ("c.txt", codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le")),
        ("d.txt", RUSSIAN.replace("\n", "\r\n").encode("koi8_r")),
    )
    assert [r.outcome for r in report.results] == ["duplicate"] * 3
    assert all(r.article == first for r in report.results)
    assert Article.objects.count() == 1


def test_random_bytes_are_undecodable():
    data = random.Random(7).randbytes(4000).replace(b"\0", b"\1")
    with pytest.raises(ImportFailure, match="undecodable"):
        decode_article_bytes(data)


def test_broken_utf16_after_its_bom_is_undecodable():
    with pytest.raises(ImportFailure, match="undecodable.*UTF-16"):
        decode_article_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8a\x00")


def test_nul_bytes_mean_binary():
    with pytest.raises(ImportFailure, match="binary"):
        decode_article_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_control_characters_mean_binary():
    with pytest.raises(ImportFailure, match="binary"):
        decode_article_bytes(bytes(range(1, 9)) * 50)
