from datetime import date

import pytest

from articles.extract import ImportFailure, extract_metadata, guess_language
from articles.importing import articles_import
from articles.models import Article, ImportBatch, Outlet
from articles.sources import manifest_parse, sources_from_paths
from articles.text import normalize_text
from tests.articles.helpers import RUSSIAN, SEEDS, UKRAINIAN, import_files, make_zip

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def seed_metadata(index):
    return extract_metadata(normalize_text(SEED_FILES[index].read_text(encoding="utf-8")))


def test_there_are_five_seeds():
    assert len(SEED_FILES) == 5


@pytest.mark.parametrize(
    ("index", "title", "published_on", "outlet"),
    [
        (
            0,
            'Putin congratulated Trump on his election victory through "acquaintances"',
            date(2024, 11, 6),
            "online.ua",
        ),
        (1, "Putin Won’t Congratulate Trump Just Yet, Top Spokesman Says", date(2024, 11, 6), ""),
        (
            2,
            "Kremlin denies reports of Putin congratulating Trump on US election victory",
            date(2024, 11, 7),
            "Caliber.az",
        ),
        # CNBC's file starts at a photo caption dated 2018: no title, no date, no outlet.
        (3, "", None, ""),
        (
            4,
            "Pure fiction: The Kremlin claims that Putin and Trump have not spoken since the "
            "US elections.",
            date(2024, 12, 6),
            "gazzeta.in.ua",
        ),
    ],
)
def test_metadata_from_the_seed_texts_alone(index, title, published_on, outlet):
    meta = seed_metadata(index)
    assert meta.title == title
    assert meta.published_on == published_on
    assert meta.outlet_name == outlet
    assert meta.language == "en"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("date 2024-11-06 Headline words", date(2024, 11, 6)),
        ("November 06, 2024", date(2024, 11, 6)),
        ("07 November 2024 15:40", date(2024, 11, 7)),
        ("Friday06 December 2024", date(2024, 12, 6)),
        ("Published: 6 Nov 2024", date(2024, 11, 6)),
        ("06.11.2024", date(2024, 11, 6)),
        ("6 листопада 2024", date(2024, 11, 6)),
        ("7 ноября 2024, 10:15", date(2024, 11, 7)),
        ("2024-02-30", None),
        ("The summit on July 16, 2018 went badly.", None),
    ],
)
def test_date_formats(line, expected):
    assert extract_metadata(f"Some headline here\n{line}\n\nBody text.").published_on == expected


def test_source_line_as_url_gives_the_domain():
    meta = extract_metadata("Headline of it\nSource: https://www.example.com/news/1\n\nBody.")
    assert (meta.outlet_name, meta.outlet_domain) == ("example.com", "example.com")


@pytest.mark.parametrize(
    "text",
    [
        "A new test headline\nSource: example.org\n\n2024-11-08\n\nBody text.",
        "A new test headline\nSource: example.org\n\nBody text, long enough to be a body.",
    ],
)
def test_a_source_line_under_the_headline_is_not_part_of_the_title(text):
    meta = extract_metadata(text)
    assert meta.title == "A new test headline"
    assert meta.outlet_name == "example.org"


def test_language_guess():
    assert guess_language(RUSSIAN) == "ru"
    assert guess_language(UKRAINIAN) == "uk"
    assert guess_language("Zzz qqq " * 10) == ""


@pytest.mark.django_db
def test_the_manifest_completes_the_seeds():
    report = articles_import(sources=sources_from_paths([SEEDS]), via=ImportBatch.Via.COMMAND)
    assert report.imported == 5
    articles = Article.objects.select_related("outlet").order_by("source_filename")
    assert [a.outlet.name for a in articles] == [
        "online.ua",
        "The Moscow Times",
        "Caliber.az",
        "CNBC",
        "gazzeta.in.ua",
    ]
    assert [a.outlet.domain for a in articles] == [
        "online.ua",
        "themoscowtimes.com",
        "caliber.az",
        "cnbc.com",
        "gazzeta.in.ua",
    ]
    assert [a.published_on for a in articles][:3] == [
        date(2024, 11, 6),
        date(2024, 11, 6),
        date(2024, 11, 7),
    ]
    assert not any(a.needs_metadata for a in articles)
    assert {a.language for a in articles} == {"en"}
    assert Outlet.objects.count() == 5


@pytest.mark.django_db
def test_unknown_metadata_stays_empty_and_needs_metadata(tmp_path):
    (tmp_path / "caption.txt").write_text(
        (SEEDS / "003_3be67736ff44f27b.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    report = articles_import(sources=sources_from_paths([tmp_path]), via="command")
    article = report.results[0].article
    assert (article.outlet, article.title, article.published_on) == (None, "", None)
    assert article.needs_metadata
    assert "(needs metadata)" in report.results[0].line()


@pytest.mark.django_db
def test_a_manifest_beside_the_files_overrides_the_text(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Old headline\nNovember 06, 2024\nSource: online.ua\n\nBody text of the article.",
        encoding="utf-8",
    )
    (tmp_path / "manifest.toml").write_text(
        '[outlets]\n"Kyiv Post" = "kyivpost.com"\n\n'
        '[files."a.txt"]\noutlet = "Kyiv Post"\ntitle = "New headline"\n'
        'published_on = "2024-11-08"\nlanguage = "uk"\nurl = "https://kyivpost.com/a"\n',
        encoding="utf-8",
    )
    report = articles_import(sources=sources_from_paths([tmp_path]), via="command")
    assert [r.outcome for r in report.results] == ["imported"]
    article = report.results[0].article
    assert article.outlet.name == "Kyiv Post"
    assert article.outlet.domain == "kyivpost.com"
    assert article.title == "New headline"
    assert article.published_on == date(2024, 11, 8)
    assert article.language == "uk"
    assert article.url == "https://kyivpost.com/a"


@pytest.mark.django_db
def test_an_uploaded_manifest_applies_to_the_upload():
    manifest = b'[files."x.txt"]\noutlet = "CNBC"\ndomain = "cnbc.com"\n'
    report = import_files(("manifest.toml", manifest), ("x.txt", b"Some body text here."))
    assert len(report.results) == 1
    assert report.results[0].article.outlet.domain == "cnbc.com"


@pytest.mark.django_db
def test_an_existing_outlet_is_found_by_domain():
    outlet = Outlet.objects.create(name="Caliber", domain="caliber.az")
    report = import_files(("c.txt", b"Headline of the day\n\nCaliber.az \xc2\xa9 2024\n\nBody."))
    assert report.results[0].article.outlet == outlet


@pytest.mark.parametrize(
    ("toml", "reason"),
    [
        (b"not [valid", "invalid manifest"),
        (b"[people]\n", "unknown section"),
        (b'files = "a.txt"\n', "must be a table"),
    ],
)
def test_an_unreadable_manifest_is_refused_with_a_reason(toml, reason):
    with pytest.raises(ImportFailure, match=reason):
        manifest_parse(toml)


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (b'colour = "red"', "unknown key 'colour'"),
        (b'published_on = "yesterday"', "not YYYY-MM-DD"),
        (b'published_on = "2024-02-30"', "not YYYY-MM-DD"),
        (b'url = "javascript:alert(1)"', "not an http(s) address"),
        (b"title = 3", "title must be a string"),
        (b'outlet = "Ghost"', "outlet 'Ghost' needs a domain string"),
    ],
)
def test_an_invalid_entry_fails_only_its_own_file_with_the_reason(entry, reason):
    toml = b'[outlets]\nGhost = 7\n[files."a.txt"]\n' + entry + b'\n[files."b.txt"]\ntitle = "B"\n'
    manifest = manifest_parse(toml)
    assert reason in manifest.error_for("a.txt")
    assert manifest.error_for("a.txt").startswith("not imported, its manifest entry is invalid")
    assert manifest.error_for("b.txt") == ""
    assert manifest.overrides_for("b.txt") == {"title": "B"}


MANIFEST_ONE_BAD_ENTRY = (
    '[files."a.txt"]\noutlet = "CNBC"\ndomain = "cnbc.com"\npublished_on = "2024-13-01"\n'
    '[files."b.txt"]\noutlet = "CNBC"\ndomain = "cnbc.com"\nlanguage = "en"\n'
)


@pytest.mark.django_db
def test_one_bad_entry_fails_its_file_and_the_others_keep_their_metadata(tmp_path):
    """One wrong date must not drop the metadata of every file (it used to, silently)."""
    (tmp_path / "a.txt").write_text("A headline here\n\nBody of a.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("B headline here\n\nBody of b.", encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(MANIFEST_ONE_BAD_ENTRY, encoding="utf-8")
    report = articles_import(sources=sources_from_paths([tmp_path]), via="command")
    outcomes = {r.name.rsplit("/", 1)[-1]: r for r in report.results}
    assert outcomes["a.txt"].outcome == "failed"
    assert "published_on '2024-13-01' is not YYYY-MM-DD" in outcomes["a.txt"].reason
    assert outcomes["b.txt"].outcome == "imported"
    assert outcomes["b.txt"].article.outlet.domain == "cnbc.com"
    assert not Article.objects.filter(body__contains="Body of a.").exists()


@pytest.mark.django_db
def test_one_bad_entry_in_an_upload_or_a_zip_fails_only_its_file():
    files = {"a.txt": b"A headline here\n\nBody of a.", "b.txt": b"B headline\n\nBody of b."}
    upload = import_files(("manifest.toml", MANIFEST_ONE_BAD_ENTRY.encode()), *files.items())
    archive = make_zip(
        {"x/manifest.toml": MANIFEST_ONE_BAD_ENTRY.encode()}
        | {f"x/{name}": data + b" Zipped." for name, data in files.items()}
    )
    zipped = import_files(("batch.zip", archive))
    for report in (upload, zipped):
        by_name = {r.name.rsplit("/", 1)[-1]: r for r in report.results}
        assert by_name["a.txt"].outcome == "failed"
        assert "is not YYYY-MM-DD" in by_name["a.txt"].reason
        assert by_name["b.txt"].outcome == "imported"
        assert by_name["b.txt"].article.outlet.domain == "cnbc.com"


@pytest.mark.django_db
def test_an_unreadable_manifest_fails_every_file_beside_it_and_stores_nothing(tmp_path):
    (tmp_path / "a.txt").write_text("A headline here\n\nBody.", encoding="utf-8")
    (tmp_path / "manifest.toml").write_text("not [valid", encoding="utf-8")
    report = articles_import(sources=sources_from_paths([tmp_path]), via="command")
    assert [r.outcome for r in report.results] == ["failed", "failed"]
    assert "manifest.toml beside it is invalid" in report.results[1].reason
    assert not Article.objects.exists()
    upload = import_files(("manifest.toml", b"[people]\n"), ("a.txt", b"A headline\n\nBody."))
    assert [r.outcome for r in upload.results] == ["failed", "failed"]
    archive = make_zip({"manifest.toml": b"not [valid", "a.txt": b"A headline\n\nBody."})
    zipped = import_files(("batch.zip", archive))
    assert [r.outcome for r in zipped.results] == ["failed", "failed"]
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_reimport_with_a_fixed_manifest_completes_the_metadata(tmp_path):
    """Files imported without their metadata (before this release, a manifest with one bad
    value was dropped whole) are repaired by importing them again with the manifest."""
    (tmp_path / "a.txt").write_text("Plain text with no dateline\n\nBody of a.", encoding="utf-8")
    first = articles_import(sources=sources_from_paths([tmp_path]), via="command")
    article = first.results[0].article
    assert (article.outlet, article.published_on) == (None, None)

    (tmp_path / "manifest.toml").write_text(
        '[files."a.txt"]\noutlet = "CNBC"\ndomain = "cnbc.com"\npublished_on = "2024-11-06"\n'
        'url = "https://www.cnbc.com/a"\n',
        encoding="utf-8",
    )
    again = articles_import(sources=sources_from_paths([tmp_path]), via="command")
    result = again.results[0]
    assert result.outcome == "updated"
    assert result.reason == "metadata completed from the manifest: url, published_on, outlet"
    assert "updated" in result.line() and "1 updated" in again.summary()
    article.refresh_from_db()
    assert article.outlet.domain == "cnbc.com"
    assert article.published_on == date(2024, 11, 6)
    assert article.url == "https://www.cnbc.com/a"
    assert Article.objects.count() == 1
    assert again.batch.records.get().outcome == "updated"

    # What the article has is never overwritten: a third run is a plain duplicate.
    (tmp_path / "manifest.toml").write_text(
        '[files."a.txt"]\npublished_on = "2020-01-01"\n', encoding="utf-8"
    )
    third = articles_import(sources=sources_from_paths([tmp_path]), via="command")
    assert third.results[0].outcome == "duplicate"
    article.refresh_from_db()
    assert article.published_on == date(2024, 11, 6)
