"""The import service: one outcome per file, nothing twice, a chunk of files per transaction."""

import threading
import zipfile

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from articles import importing
from articles.importing import articles_import
from articles.models import Article, ImportBatch, ImportRecord, Outlet
from articles.sources import sources_from_paths
from tests.articles.helpers import RUSSIAN, SEEDS, declare_size, import_files, make_zip
from tests.factories import ArticleFactory, EditorFactory
from tests.races import postgres_only, wait_until_blocked

GOOD = b"A headline for the test\n\nThe Kremlin denied that Putin called Trump."


def outcomes(report):
    return [(r.name, r.outcome, r.reason) for r in report.results]


@pytest.mark.django_db
def test_every_run_is_recorded_with_each_outcome():
    user = EditorFactory()
    report = import_files(("good.txt", GOOD), ("empty.txt", b""), user=user)
    batch = ImportBatch.objects.get()
    assert batch == report.batch
    assert (batch.via, batch.user, batch.imported, batch.duplicates, batch.failed) == (
        "admin",
        user,
        1,
        0,
        1,
    )
    assert batch.finished_at is not None
    records = list(batch.records.values_list("filename", "outcome", "reason"))
    assert records == [("good.txt", "imported", ""), ("empty.txt", "failed", "empty file")]
    assert Article.objects.get().imported_by == user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \r\n\t\n ", "empty file (only whitespace)"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00!", "binary file, not text (it contains NUL bytes)"),
        (b"\xff\xfe\x00\xd8", "undecodable"),
    ],
)
def test_rejections_with_a_reason(data, reason):
    report = import_files(("bad.txt", data))
    (result,) = report.results
    assert result.outcome == "failed"
    assert result.reason.startswith(reason)
    assert Article.objects.count() == 0


@pytest.mark.django_db
@override_settings(ARTICLE_MAX_BYTES=100)
def test_oversize_files_are_refused_before_reading():
    report = import_files(("big.txt", b"x" * 101), ("fits.txt", b"word " * 20))
    assert outcomes(report) == [
        ("big.txt", "failed", "larger than the 100 bytes limit (101 bytes)"),
        ("fits.txt", "imported", ""),
    ]


@pytest.mark.django_db
def test_one_bad_file_blocks_nothing():
    report = import_files(
        ("a.txt", GOOD),
        ("b.bin", b"\x00\x01\x02"),
        ("c.txt", RUSSIAN.encode("cp1251")),
        ("d.txt", b""),
    )
    assert [r.outcome for r in report.results] == ["imported", "failed", "imported", "failed"]
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_importing_the_seeds_twice_changes_nothing():
    first = articles_import(sources=sources_from_paths([SEEDS]), via="command")
    assert first.imported == 5
    before = list(Article.objects.order_by("pk").values())
    second = articles_import(sources=sources_from_paths([SEEDS]), via="command")
    assert (second.imported, second.duplicates, second.failed) == (0, 5, 0)
    assert list(Article.objects.order_by("pk").values()) == before
    assert Outlet.objects.count() == 5
    assert [r.article for r in second.results] == [r.article for r in first.results]
    assert ImportBatch.objects.count() == 2


@pytest.mark.django_db
def test_a_corrected_article_is_not_imported_again_from_its_file():
    from claims.services.corrections import article_correct

    articles_import(sources=sources_from_paths([SEEDS]), via="command")
    article = Article.objects.order_by("pk").first()
    article_correct(
        article=article,
        user=EditorFactory(),
        new_text=article.body.replace("Putin", "Vladimir Putin", 1),
        reason="Full name.",
    )
    again = articles_import(sources=sources_from_paths([SEEDS]), via="command")
    assert (again.imported, again.duplicates, again.failed) == (0, 5, 0)
    assert again.results[0].article == article
    assert Article.objects.count() == 5


@pytest.mark.django_db
def test_folders_are_walked_in_order_skipping_hidden_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_bytes(b"Second article text here.")
    (tmp_path / "1.txt").write_bytes(b"First article text here.")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    report = articles_import(sources=sources_from_paths([tmp_path]), via="command")
    assert [r.name for r in report.results] == [
        str(tmp_path / "1.txt"),
        str(tmp_path / "b" / "2.txt"),
    ]


@pytest.mark.django_db
def test_a_missing_path_fails_and_the_rest_imports(tmp_path):
    (tmp_path / "ok.txt").write_bytes(GOOD)
    report = articles_import(
        sources=sources_from_paths([tmp_path / "nope.txt", tmp_path / "ok.txt"]), via="command"
    )
    assert [(r.outcome, r.reason) for r in report.results] == [
        ("failed", "no such file or folder"),
        ("imported", ""),
    ]


@pytest.mark.django_db
def test_progress_hook_sees_every_file():
    seen = []
    articles_import(
        sources=sources_from_paths([SEEDS]),
        via="command",
        progress=lambda done, total, result: seen.append((done, total, result.outcome)),
    )
    assert seen == [(n, 5, "imported") for n in range(1, 6)]


# ------------------------------------------------------------------------------------- zips


@pytest.mark.django_db
def test_a_zip_imports_each_entry_with_its_own_manifest():
    archive = make_zip(
        {
            "batch/one.txt": GOOD,
            "batch/two.txt": RUSSIAN.encode("koi8_r"),
            "batch/manifest.toml": b'[files."two.txt"]\noutlet = "Meduza"\ndomain = "meduza.io"',
            "batch/": b"",
            "__MACOSX/batch/._one.txt": b"\x00\x05\x16\x07",
        }
    )
    report = import_files(("articles.zip", archive))
    assert outcomes(report) == [
        ("articles.zip:batch/one.txt", "imported", ""),
        ("articles.zip:batch/two.txt", "imported", ""),
    ]
    two = report.results[1].article
    assert two.body == RUSSIAN
    assert two.outlet.domain == "meduza.io"
    assert two.source_filename == "articles.zip:batch/two.txt"


@pytest.mark.django_db
@override_settings(ZIP_MAX_ENTRIES=3)
def test_a_zip_with_too_many_entries_is_refused_whole():
    archive = make_zip({f"{n}.txt": b"Article number %d here." % n for n in range(4)})
    report = import_files(("many.zip", archive), ("ok.txt", GOOD))
    assert outcomes(report) == [
        ("many.zip", "failed", "zip archive has 4 entries; the limit is 3"),
        ("ok.txt", "imported", ""),
    ]
    assert Article.objects.count() == 1


@pytest.mark.django_db
@override_settings(ZIP_MAX_UNCOMPRESSED_BYTES=1024 * 1024)
def test_a_zip_bomb_is_refused_from_its_directory():
    # 2 MB of zeros deflate to a few KB: a classic bomb in miniature.
    archive = make_zip({"zeros.txt": b"\0" * (2 * 1024 * 1024)})
    assert len(archive) < 10_000
    (result,) = import_files(("bomb.zip", archive)).results
    assert result.outcome == "failed"
    assert result.reason == "zip archive would unpack to 2 MB; the limit is 1 MB"


@pytest.mark.django_db
def test_declared_sizes_are_checked_before_any_data_is_read():
    # The directory claims 4 GB; the data behind it is tiny. Refused without inflating.
    archive = declare_size(make_zip({"a.txt": GOOD}), 0xFFFF_FFF0)
    (result,) = import_files(("liar.zip", archive)).results
    assert result.outcome == "failed"
    assert result.reason.startswith("zip archive would unpack to 4 GB")


@pytest.mark.django_db
@override_settings(ARTICLE_MAX_BYTES=100)
def test_an_oversize_zip_entry_is_refused_and_its_neighbours_imported():
    archive = make_zip({"big.txt": b"y" * 500, "small.txt": GOOD[:90]})
    report = import_files(("z.zip", archive))
    assert outcomes(report) == [
        ("z.zip:big.txt", "failed", "larger than the 100 bytes limit (500 bytes)"),
        ("z.zip:small.txt", "imported", ""),
    ]


@pytest.mark.django_db
def test_an_entry_that_understates_its_size_is_caught_by_the_read_itself():
    archive = declare_size(make_zip({"a.txt": GOOD}, zipfile.ZIP_STORED), 10)
    (result,) = import_files(("short.zip", archive)).results
    assert result.outcome == "failed"
    assert result.reason.startswith("corrupt zip entry")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["../evil.txt", "a/../../evil.txt", "/etc/evil.txt", "C:/x.txt"])
def test_paths_that_leave_the_archive_are_refused(path):
    archive = make_zip({path: GOOD, "fine/../fine.txt": b"This one stays inside."})
    report = import_files(("paths.zip", archive))
    by_name = {r.name: r for r in report.results}
    refused = by_name[f"paths.zip:{path}"]
    assert refused.outcome == "failed"
    assert refused.reason == "path leaves the archive (absolute or with '..'): refused"
    assert by_name["paths.zip:fine/../fine.txt"].outcome == "imported"
    assert not Article.objects.filter(body=GOOD.decode()).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 this is not really a zip", make_zip({"a.txt": GOOD})[:-30], b""],
    ids=["garbage", "truncated", "empty"],
)
def test_a_corrupt_zip_is_one_failure(data):
    report = import_files(("broken.zip", data), ("ok.txt", GOOD))
    assert outcomes(report) == [
        ("broken.zip", "failed", "not a readable zip archive (corrupt or truncated)"),
        ("ok.txt", "imported", ""),
    ]


@pytest.mark.django_db
def test_a_corrupt_entry_fails_alone():
    # Stored (not deflated), so the text is visible in the archive and can be damaged: the
    # CRC check then fails for that entry only.
    entries = {"a.txt": GOOD, "b.txt": b"Another article body."}
    archive = bytearray(make_zip(entries, zipfile.ZIP_STORED))
    at = archive.index(b"A headline")
    archive[at : at + 4] = b"XXXX"
    report = import_files(("crc.zip", bytes(archive)))
    assert sorted(r.outcome for r in report.results) == ["failed", "imported"]
    failed = next(r for r in report.results if r.outcome == "failed")
    assert failed.reason.startswith("corrupt zip entry")


@pytest.mark.django_db
def test_a_zip_inside_a_zip_is_not_opened():
    archive = make_zip({"inner.zip": make_zip({"a.txt": GOOD})})
    (result,) = import_files(("outer.zip", archive)).results
    assert (result.outcome, result.reason) == (
        "failed",
        "a zip inside a zip is not opened: unpack it first",
    )


@pytest.mark.django_db
def test_zips_on_disk_and_their_records(tmp_path):
    (tmp_path / "set.zip").write_bytes(make_zip({"a.txt": GOOD, "b.txt": b""}))
    report = articles_import(sources=sources_from_paths([tmp_path]), via="command")
    assert [(r.name.rsplit("/", 1)[-1], r.outcome) for r in report.results] == [
        ("set.zip:a.txt", "imported"),
        ("set.zip:b.txt", "failed"),
    ]
    assert ImportRecord.objects.filter(outcome="failed").get().reason == "empty file"


@pytest.mark.django_db(transaction=True)
def test_a_run_looks_its_outlet_up_once(django_assert_num_queries):
    """A manifest names one outlet for many files: the run remembers it once a file of it is
    stored (committed), so later files skip the lookup."""
    manifest = "\n".join(
        f'[files."{n}.txt"]\noutlet = "Meduza"\ndomain = "meduza.io"' for n in range(4)
    )
    files = [(f"{n}.txt", f"Headline {n}\n\nText number {n}.".encode()) for n in range(4)]
    uploads = [("manifest.toml", manifest.encode()), *files]
    with CaptureQueriesContext(connection) as queries:
        report = import_files(*uploads)
    assert report.imported == 4
    lookups = [q["sql"] for q in queries if 'FROM "articles_outlet"' in q["sql"]]
    assert len(lookups) == 2  # by domain, then by name: once, for the first file
    assert set(Article.objects.values_list("outlet__name", flat=True)) == {"Meduza"}
    assert Outlet.objects.count() == 1


def numbered_files(count: int, start: int = 0) -> list[tuple[str, bytes]]:
    return [
        (f"{n}.txt", f"Headline {n}\n\nThe text of file number {n}.".encode())
        for n in range(start, start + count)
    ]


@pytest.mark.django_db
def test_a_chunk_of_files_costs_the_same_queries_as_one_file():
    with CaptureQueriesContext(connection) as one:
        import_files(*numbered_files(1))
    with CaptureQueriesContext(connection) as many:
        report = import_files(*numbered_files(30, start=1))
    assert report.imported == 30
    assert len(many) == len(one)
    batch = report.batch
    assert (batch.imported, batch.duplicates, batch.failed, batch.done) == (30, 0, 0, 30)
    records = list(batch.records.values_list("filename", "article__title"))
    assert records == [(f"{n}.txt", f"Headline {n}") for n in range(1, 31)]


@pytest.mark.django_db
def test_chunks_keep_the_order_and_each_files_outcome(monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_FILES", 2)
    same = b"Same words\n\nThe very same text in two files."
    report = import_files(
        ("a.txt", same),
        ("b.txt", b""),
        ("c.txt", same),  # a duplicate of a file of the same run, one chunk later
        ("d.txt", GOOD),
        ("e.txt", GOOD),  # ... and of the file just before it, in the same chunk
    )
    assert outcomes(report) == [
        ("a.txt", "imported", ""),
        ("b.txt", "failed", "empty file"),
        ("c.txt", "duplicate", ""),
        ("d.txt", "imported", ""),
        ("e.txt", "duplicate", ""),
    ]
    a, _, c, d, e = (r.article for r in report.results)
    assert (c, e) == (a, d)
    assert Article.objects.count() == 2
    batch = report.batch
    assert (batch.imported, batch.duplicates, batch.failed) == (2, 2, 1)
    assert list(batch.records.values_list("article", flat=True)) == [a.pk, None, a.pk, d.pk, d.pk]


def test_a_chunk_holds_a_few_megabytes_at_most(monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_CHARS", 100)
    sources = [
        importing.Source(name=n, filename=n, load=lambda d=d: d) for n, d in numbered_files(5)
    ]
    sizes = [len(chunk) for chunk in importing._chunks(sources)]
    # A file counts its text and its body (about 70 characters here): two pass 100.
    assert sizes == [2, 2, 1]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_text_another_import_stores_meanwhile_is_a_duplicate_and_the_chunk_still_lands():
    """Another import stores the text of one of our files after our chunk looked for
    duplicates: our insert waits for it, is refused, and the chunk goes file by file."""
    files = numbered_files(3)
    racing = files[1][1].decode().replace("\r\n", "\n")
    stored, release, done = threading.Event(), threading.Event(), {}

    def other_import():
        try:
            with transaction.atomic():
                done["article"] = ArticleFactory(body=racing)
                stored.set()
                release.wait(30)
        finally:
            connection.close()

    def our_import():
        try:
            done["report"] = import_files(*files)
        finally:
            connection.close()

    other = threading.Thread(target=other_import)
    other.start()
    assert stored.wait(30)
    ours = threading.Thread(target=our_import)
    ours.start()
    # Our insert waits on the other transaction's row before we let that one commit.
    wait_until_blocked(ours, statement='INSERT INTO "articles_article"%')
    release.set()
    other.join(30)
    ours.join(30)
    report = done["report"]
    assert [r.outcome for r in report.results] == ["imported", "duplicate", "imported"]
    assert report.results[1].article == done["article"]
    batch = ImportBatch.objects.get()
    assert (batch.imported, batch.duplicates, batch.failed, batch.done) == (2, 1, 0, 3)
    assert Article.objects.count() == 3


@pytest.mark.django_db
def test_a_runs_report_holds_no_article_texts():
    """A run of thousands of files must not keep every text it stored until it ends: the
    report's articles leave their texts in the database and read them only when asked."""
    report = import_files(*numbered_files(3), ("same.txt", numbered_files(1)[0][1]))
    assert [r.outcome for r in report.results] == ["imported"] * 3 + ["duplicate"]
    for result in report.results:
        assert {"body", "source_text"} <= result.article.get_deferred_fields()
    assert report.results[3].article == report.results[0].article
    assert report.results[1].article.title == "Headline 1"  # kept, no query
    assert report.results[1].article.body == "Headline 1\n\nThe text of file number 1."


def _prose(rng, words: int) -> list[str]:
    return [f"w{rng.randrange(5000)}" for _ in range(words)]


@pytest.mark.django_db
def test_a_copy_is_linked_to_the_article_it_copies_not_to_the_oldest_look_alikes():
    """Only the few stored articles sharing the most of a new one's sketch have their texts
    compared (importing.COPY_CANDIDATES): the story it copies is among them even when more
    older articles share part of it (here seven that share its first half)."""
    import random

    rng = random.Random(4)
    story = _prose(rng, 400)
    halves = [story[:200] + _prose(rng, 200) for _ in range(importing.COPY_CANDIDATES + 2)]
    files = [(f"a{n}.txt", " ".join(words).encode()) for n, words in enumerate(halves)]
    import_files(*files, ("b.txt", " ".join(story).encode()))
    copy = list(story)
    copy[300] = "changed"
    import_files(("c.txt", " ".join(copy).encode()))
    original = Article.objects.get(source_filename="b.txt")
    assert Article.objects.get(source_filename="c.txt").copy_of == original
    assert not Article.objects.filter(source_filename__startswith="a", copy_of__isnull=False)
    assert original.copy_of is None


@pytest.mark.django_db
def test_a_batch_of_many_copies_links_each_to_the_first():
    """A wire story in thirty files at once: each copy is linked to the first, whatever the
    number of earlier copies it resembles."""
    import random

    rng = random.Random(9)
    story = _prose(rng, 300)
    files = []
    for n in range(30):
        words = list(story)
        words[rng.randrange(300)] = f"edit{n}"
        files.append((f"{n:02d}.txt", " ".join(words).encode()))
    import_files(*files)
    first = Article.objects.get(source_filename="00.txt")
    copies = Article.objects.exclude(pk=first.pk)
    assert copies.count() == 29
    assert set(copies.values_list("copy_of", flat=True)) == {first.pk}


@pytest.mark.django_db
def test_texts_alike_only_in_common_phrases_are_not_compared_but_an_excerpt_is_linked():
    """A stored article sharing part of a new one's sketch has its text read only when its
    sketch leaves a 90% share plausible: articles written from the same few words (here
    eight) share many sketch hashes and are never read back, while a new article that is
    the first two thirds of a stored one (its sketch samples the stored text thinly) is."""
    import random

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(3)
    vocabulary = [f"w{n}" for n in range(8)]
    alike = [" ".join(rng.choices(vocabulary, k=rng.randint(300, 900))) for _ in range(12)]
    import_files(*((f"alike{n}.txt", text.encode()) for n, text in enumerate(alike[:6])))
    with CaptureQueriesContext(connection) as queries:
        import_files(*((f"alike{n}.txt", text.encode()) for n, text in enumerate(alike[6:], 6)))
    bodies_read = [q["sql"] for q in queries if '"body"' in q["sql"] and "SELECT" in q["sql"]]
    assert bodies_read == []
    assert not Article.objects.filter(copy_of__isnull=False).exists()

    story = _prose(rng, 600)
    import_files(("story.txt", " ".join(story).encode()))
    import_files(("excerpt.txt", " ".join(story[:400]).encode()))
    assert Article.objects.get(source_filename="excerpt.txt").copy_of == Article.objects.get(
        source_filename="story.txt"
    )


def test_the_next_chunk_is_read_in_a_thread_while_one_is_stored_and_errors_come_in_order():
    """``_read_ahead``: chunks come in order; the one after a chunk is already being read
    (by the reading thread) while the caller stores that chunk; a reading error is raised
    where its chunk is asked for, after the chunks before it."""
    read_by, second_started, release = [], threading.Event(), threading.Event()

    def chunks():
        read_by.append(threading.current_thread().name)
        yield ["first"]
        read_by.append(threading.current_thread().name)
        second_started.set()
        release.wait(5)
        yield ["second"]
        raise UnicodeError("an unreadable file")

    ahead = importing._read_ahead(chunks())
    assert next(ahead) == ["first"]
    # Storing "first" here: "second" is being read meanwhile, not after.
    assert second_started.wait(5)
    release.set()
    assert next(ahead) == ["second"]
    with pytest.raises(UnicodeError, match="unreadable"):
        next(ahead)
    assert read_by and all(name.startswith("import-read") for name in read_by)


@pytest.mark.django_db(transaction=True)
def test_the_reading_thread_may_not_query_the_database():
    """A reading path that queried would hold a connection outside the import's
    transactions, one per reading thread, never closed: ``_read_ahead`` refuses it."""

    def chunks():
        yield [Outlet.objects.count()]

    with pytest.raises(RuntimeError, match="reading thread queried the database"):
        next(importing._read_ahead(chunks()))
