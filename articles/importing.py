"""Import of article files: the one service behind `manage.py import_articles` and the admin's
bulk upload.

Sources come from articles.sources (files, folders, zip archives, uploads, with their
manifest entries). Every source gets exactly one outcome — imported, duplicate or failed with
a reason a person understands — so one bad file never loses or blocks the others, and a second
run of the same import changes nothing. Every run is recorded as an ImportBatch with one
ImportRecord per file, written with the file's article and counted on the batch at once, so a
batch always shows how far it got.

Files are stored a chunk at a time (up to CHUNK_FILES files or CHUNK_CHARS characters): one
query finds the chunk's duplicates, one insert stores its articles, one its records, one
update counts them, all in one transaction. A chunk that fails (the database refuses a file:
another import stored the same text a moment ago; or something unexpected) goes back through
the file-by-file path, where each file has its own transaction and its own outcome.

The command imports at once (articles_import); an admin upload is stored and run by the
worker (batch_run, through articles/tasks.py), which resumes where a stopped worker left off.
"""

import contextlib
import functools
import hashlib
import heapq
import logging
import math
import re
from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from articles.extract import (
    ImportFailure,
    article_body,
    decode_article_bytes,
    extract_metadata,
)
from articles.furniture import without_furniture
from articles.models import Article, ArticleShingle, ImportBatch, ImportRecord, Outlet
from articles.signals import articles_imported
from articles.sources import Source, sources_from_uploads, too_large
from articles.text import content_hash, normalize_text, shingle_set

logger = logging.getLogger(__name__)

Outcome = ImportRecord.Outcome
Status = ImportBatch.Status
# An updated file is a duplicate whose manifest entry completed the stored article's metadata.
COUNTER = {
    Outcome.IMPORTED: "imported",
    Outcome.DUPLICATE: "duplicates",
    Outcome.UPDATED: "duplicates",
    Outcome.FAILED: "failed",
}
# What a manifest entry may fill in on an article stored without it (never overwritten: a
# value the desk sees already is changed in the admin, where its history is kept).
COMPLETABLE = ("title", "url", "published_on")
# A chunk: files stored in one transaction. Small enough that a batch's progress moves every
# second or so and a chunk's texts are a few megabytes (a 5 MB file is a chunk of its own);
# large enough that the round trips per file stop counting.
CHUNK_FILES = 50
CHUNK_CHARS = 4 * 1024 * 1024
# Copies of one story: a new article with at least COPY_SHARE of its word shingles in a
# stored one is its copy. Each article keeps its SKETCH_SIZE smallest shingle hashes. A
# stored article sharing SKETCH_MATCH of them with a new one may be its original: below the
# largest hash of the stored one's sketch, that sketch holds every shingle of its text, so
# the new sketch's hashes in that range are a sample of the new text, and the share of them
# found there estimates the share of the new text in the old one. A stored article is
# dropped when that sample makes a COPY_SHARE share implausible (a chance below COPY_DOUBT);
# of the rest, the COPY_CANDIDATES closest (the oldest first among equals) have their texts
# compared: a story syndicated a hundred times, a batch of a hundred copies, or texts alike
# only in their commonest phrases must not make an import compare every pair.
COPY_SHARE = 0.9
SKETCH_SIZE = 32
SKETCH_MATCH = 8
COPY_DOUBT = 0.001
COPY_CANDIDATES = 5
SHINGLE_ROWS = 500  # sketch rows per INSERT (1,000 parameters)


@dataclass
class FileResult:
    name: str
    outcome: str
    reason: str = ""
    article: Article | None = None

    def line(self) -> str:
        """One line of the report, as the command prints it."""
        if self.outcome == Outcome.FAILED:
            return f"FAILED    {self.name}: {self.reason}"
        article = self.article
        title = f" '{article.title}'" if article.title else " (needs metadata)"
        note = f" ({self.reason})" if self.reason else ""
        copy = f" (a copy of Article {article.copy_of_id})" if article.copy_of_id else ""
        return f"{self.outcome:<9} {self.name} → Article {article.pk}{title}{note}{copy}"


@dataclass
class ImportReport:
    batch: ImportBatch
    results: list[FileResult]

    def count(self, outcome: str) -> int:
        return sum(result.outcome == outcome for result in self.results)

    @property
    def imported(self) -> int:
        return self.count(Outcome.IMPORTED)

    @property
    def duplicates(self) -> int:
        return self.count(Outcome.DUPLICATE)

    @property
    def updated(self) -> int:
        return self.count(Outcome.UPDATED)

    @property
    def failed(self) -> int:
        return self.count(Outcome.FAILED)

    def summary(self, noun: tuple[str, str] = ("file", "files")) -> str:
        files = len(self.results)
        updated = f", {self.updated} updated" if self.updated else ""
        return (
            f"{files} {noun[0] if files == 1 else noun[1]}: {self.imported} imported, "
            f"{self.duplicates} duplicate{'' if self.duplicates == 1 else 's'}{updated}, "
            f"{self.failed} failed"
        )


ProgressCallback = Callable[[int, int, FileResult], None]


def articles_import(
    *,
    sources: Sequence[Source],
    via: str,
    user=None,
    progress: ProgressCallback | None = None,
    chunk_files: int | None = None,
) -> ImportReport:
    """Import ``sources`` now, a chunk of files per transaction, and record the run as an
    ImportBatch.

    Deliberately not one transaction for the batch: a file that fails must not undo the
    files before it, and a huge batch must not hold a lock for its whole length.
    """
    user = user if user is not None and user.is_authenticated else None
    batch = ImportBatch.objects.create(
        via=via, user=user, status=Status.RUNNING, total=len(sources)
    )
    try:
        results = import_sources(batch, sources, progress=progress, chunk_files=chunk_files)
    except BaseException as exc:  # Ctrl-C included: the batch never stays "running"
        batch_finish(batch, error=exc)
        raise
    batch_finish(batch)
    return ImportReport(batch=batch, results=results)


def import_sources(
    batch: ImportBatch,
    sources: Sequence[Source],
    *,
    progress: ProgressCallback | None = None,
    chunk_files: int | None = None,
) -> list[FileResult]:
    """``chunk_files`` smaller for slow sources (web pages: 1, so that progress moves with
    every page)."""
    results = []
    outlets = {}  # (name, domain) → the outlet, once a file of this run stored an article of it
    for chunk in _read_ahead(_chunks(sources, chunk_files)):
        for result in _import_chunk(chunk, batch=batch, outlets=outlets):
            results.append(_texts_released(result))
            if progress:
                progress(len(results), len(sources), result)
    return results


def batch_run(batch_id: int) -> None:
    """Run, or resume, an admin upload's batch from its stored files (the worker's task).

    Files are listed in the same order every time and each file's record is written with its
    article, so a run after an interruption starts at the first file without a record. An
    error stops the batch as failed, saying how far it got; a worker that is stopped or
    killed leaves it running, for another worker to resume (articles.tasks.batches_resume).
    The stored files are deleted once the batch has finished, well or not.
    """
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
    # Taken from the queue by one worker only: a batch queued twice, or running elsewhere,
    # is left alone (articles.tasks).
    taken = ImportBatch.objects.filter(pk=batch.pk, status=Status.QUEUED).update(
        status=Status.RUNNING, progress_at=timezone.now()
    )
    if not taken:
        return
    uploads = list(batch.uploads.all())
    try:
        with contextlib.ExitStack() as stack:
            files = [(u.name, stack.enter_context(u.file.open("rb"))) for u in uploads]
            sources = sources_from_uploads(files)
            ImportBatch.objects.filter(pk=batch.pk).update(total=len(sources))
            done = batch.records.count()
            import_sources(batch, sources[done:])
    except Exception as exc:
        batch_finish(batch, error=exc)
        _uploads_delete(batch, uploads)
        raise
    batch_finish(batch)
    _uploads_delete(batch, uploads)


def _texts_released(result: FileResult) -> FileResult:
    """``result`` with its article's texts left to the database, read again only if asked
    for: a run of thousands of files would otherwise hold every text it stored until it
    ends."""
    if result.article is not None:
        result.article = _texts_released_article(result.article)
    return result


def _texts_released_article(article: Article) -> Article:
    """(``Model.from_db`` with the other fields: the texts are deferred fields.)"""
    kept = [
        f.attname
        for f in Article._meta.concrete_fields
        if f.attname not in Article.TEXTS and f.attname not in article.get_deferred_fields()
    ]
    return Article.from_db(article._state.db, kept, [getattr(article, name) for name in kept])


def _uploads_delete(batch: ImportBatch, uploads) -> None:
    for upload in uploads:
        upload.file.delete(save=False)
    batch.uploads.all().delete()


def batch_finish(batch: ImportBatch, *, error: BaseException | None = None) -> None:
    batch.refresh_from_db()
    batch.finished_at = timezone.now()
    batch.status = Status.DONE if error is None else Status.FAILED
    if error is not None:
        logger.error("Import %s stopped: %r", batch.pk, error)
        total = "?" if batch.total is None else batch.total
        reason = str(error) or type(error).__name__
        batch.error = (
            f"Stopped after {batch.done} of {total} files: {reason}. The files listed below "
            "were handled; upload the files again to import the rest (those already imported "
            "are reported as duplicates)."
        )
    batch.save(update_fields=["finished_at", "status", "error"])


@dataclass(frozen=True)
class Decoded:
    """A source read and ready to store."""

    text: str
    body: str
    encoding: str
    sha256: str  # of the file's bytes
    content_hash: str  # of the body (Article.content_hash)
    # An article read by other means (Source.prepare: a web page): the metadata it came with,
    # which wins over what the text says (like a manifest's); more of the article's fields
    # (source_url, canonical_url, source_html, fetched_at); and the addresses that make it a
    # duplicate of an article stored with any of them as its source or canonical URL.
    metadata: Mapping = field(default_factory=dict)
    fields: Mapping = field(default_factory=dict)
    urls: frozenset[str] = frozenset()
    # Copy detection's view of the body, made as the source is read, which is off the storing
    # thread (``_read_ahead``): its distinct shingle hashes, packed (8 bytes each, a tenth of
    # a set's), and its SKETCH_SIZE smallest.
    shingles: array = field(init=False, repr=False)
    sketch: frozenset[int] = field(init=False)

    def __post_init__(self):
        shingles = shingle_set(self.body)
        object.__setattr__(self, "shingles", array("q", shingles))
        object.__setattr__(self, "sketch", frozenset(heapq.nsmallest(SKETCH_SIZE, shingles)))


# A file read for import: its text, or why it cannot be imported.
_Read = tuple[Source, Decoded | ImportFailure]


def _decode(source: Source) -> Decoded:
    if source.error:
        raise ImportFailure(source.error)
    if source.prepare is not None:
        return source.prepare()
    if source.size is not None and source.size > settings.ARTICLE_MAX_BYTES:
        raise ImportFailure(too_large(source.size))
    data = source.load()
    if not data:
        raise ImportFailure("empty file")
    text, encoding = decode_article_bytes(data)
    body = without_furniture(article_body(normalize_text(text)))
    if not body.strip():
        raise ImportFailure("empty file (only whitespace)")
    return Decoded(text, body, encoding, hashlib.sha256(data).hexdigest(), content_hash(body))


def _chunks(sources: Sequence[Source], chunk_files: int | None = None) -> Iterator[list[_Read]]:
    """The sources read, in order, a chunk at a time."""
    chunk: list[_Read] = []
    chars = 0
    for source in sources:
        try:
            decoded = _decode(source)
        except ImportFailure as exc:
            chunk.append((source, exc))
        else:
            chunk.append((source, decoded))
            chars += len(decoded.text) + len(decoded.body)
        if len(chunk) >= (chunk_files or CHUNK_FILES) or chars >= CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def _read_ahead(chunks: Iterator[list[_Read]]) -> Iterator[list[_Read]]:
    """``chunks``, each read (its files loaded, decoded, shingled: ``_decode``) by a reading
    thread while the chunk before is being stored, so that reading a file and writing to the
    database overlap instead of taking turns. One chunk ahead at most (memory: two chunks);
    the reading never touches the database (``_read_next`` refuses its queries). An error
    while reading is raised here, where the chunk it belongs to is asked for."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-read")
    try:
        ahead = pool.submit(_read_next, chunks)
        while (chunk := ahead.result()) is not None:
            ahead = pool.submit(_read_next, chunks)
            yield chunk
    finally:
        # A run that stops (an error, a worker told to stop) waits for no more reading.
        pool.shutdown(wait=False, cancel_futures=True)


def _read_next(chunks: Iterator[list[_Read]]) -> list[_Read] | None:
    """The next chunk, read in the reading thread, where a database query is an error: the
    thread's connection would sit outside the import's transactions and never be closed."""
    with connections[router.db_for_read(Article)].execute_wrapper(_no_queries_while_reading):
        return next(chunks, None)


def _no_queries_while_reading(execute, sql, params, many, context):
    raise RuntimeError(
        "An import's reading thread queried the database; reading a file must not "
        "(articles.importing._read_ahead)."
    )


def _import_chunk(chunk: list[_Read], *, batch: ImportBatch, outlets: dict) -> list[FileResult]:
    """The chunk's files stored and recorded in one transaction, or, when anything goes
    wrong with it, one by one: each file then gets its own outcome, and an unexpected error
    stops the run at the file that raised it, with the files before it stored."""
    seen = dict(outlets)
    try:
        with transaction.atomic():
            results = _chunk_store(chunk, user=batch.user, outlets=seen)
            _records(batch, results)
            transaction.on_commit(lambda: outlets.update(seen))
            _announce(batch, [r.article for r in results if r.outcome == Outcome.IMPORTED])
        return results
    except Exception:  # not BaseException: a worker told to stop stops at once
        return [_import_one(source, read, batch=batch, outlets=outlets) for source, read in chunk]


def _chunk_store(chunk: list[_Read], *, user, outlets: dict) -> list[FileResult]:
    """Each file's outcome, with the new articles inserted at once. A file with the text (or
    the bytes) of a stored article, or of an earlier file of the chunk, is a duplicate."""
    found = _existing([read for _, read in chunk if isinstance(read, Decoded)])
    results, new, reads = [], [], {}
    for source, read in chunk:
        if isinstance(read, ImportFailure):
            results.append(FileResult(source.name, Outcome.FAILED, str(read)))
            continue
        article = _stored(found, read)
        if article:
            results.append(_duplicate(source, article, outlets=outlets))
            continue
        article = _article_new(source, read, user=user, outlets=outlets)
        for key in (read.content_hash, read.sha256, *read.urls):
            found.setdefault(key, article)
        new.append(article)
        reads[id(article)] = read
        results.append(FileResult(source.name, Outcome.IMPORTED, article=article))
    Article.objects.bulk_create(new)
    _copies_link(new, {article.pk: reads[id(article)] for article in new})
    return results


def _import_one(source: Source, read, *, batch: ImportBatch, outlets: dict) -> FileResult:
    """One file in its own transaction: the path a chunk takes when the database refused it."""
    if isinstance(read, ImportFailure):
        return _record(batch, FileResult(source.name, Outcome.FAILED, str(read)))
    seen = dict(outlets)
    try:
        with transaction.atomic():
            article = _stored(_existing([read]), read)
            if article:
                result = _duplicate(source, article, outlets=seen)
            else:
                article = _article_new(source, read, user=batch.user, outlets=seen)
                article.save()
                _copies_link([article], {article.pk: read})
                result = FileResult(source.name, Outcome.IMPORTED, article=article)
                _announce(batch, [article])
            _record(batch, result)
            transaction.on_commit(lambda: outlets.update(seen))
            return result
    except IntegrityError:
        # Another import stored the same text between our check and our insert.
        article = _stored(_existing([read]), read)
        if article:
            return _record(batch, FileResult(source.name, Outcome.DUPLICATE, article=article))
        logger.exception("Import of %s failed", source.name)
        return _record(batch, FileResult(source.name, Outcome.FAILED, "could not be stored"))
    except DatabaseError as exc:
        logger.exception("Import of %s failed", source.name)
        return _record(
            batch, FileResult(source.name, Outcome.FAILED, f"could not be stored: {exc}")
        )


def _existing(reads: list[Decoded]) -> dict[str, Article]:
    """The stored articles with the text or the bytes of ``reads``, by content hash and by
    bytes' hash (the oldest when several match), in one query.

    A corrected article no longer holds the text it arrived with, but the same file's bytes
    still name it: re-importing the file (seed_demo on every `make run`) is a duplicate."""
    if not reads:
        return {}
    hashes = {read.content_hash for read in reads}
    shas = {read.sha256 for read in reads}
    urls = {url for read in reads for url in read.urls}
    same = Q(content_hash__in=hashes) | Q(source_sha256__in=shas)
    if urls:
        same |= Q(source_url__in=urls) | Q(canonical_url__in=urls)
    matches = (
        Article.objects.filter(same)
        .only(
            "pk",
            "content_hash",
            "source_sha256",
            "source_url",
            "canonical_url",
            "outlet",
            *COMPLETABLE,
        )
        .order_by("pk")
    )
    found: dict[str, Article] = {}
    for article in matches:
        for key in (
            article.content_hash,
            article.source_sha256,
            article.source_url,
            article.canonical_url,
        ):
            if key:
                found.setdefault(key, article)
    return found


def _stored(found: dict[str, Article], read: Decoded) -> Article | None:
    """The stored article ``read`` duplicates: its text, its bytes, or one of its URLs."""
    for key in (read.content_hash, read.sha256, *sorted(read.urls)):
        if key in found:
            return found[key]
    return None


def _announce(batch: ImportBatch, articles: list[Article]) -> None:
    """``articles_imported`` for these new articles, once their transaction commits."""
    if articles:
        transaction.on_commit(
            lambda: articles_imported.send(
                sender=ImportBatch,
                batch=batch,
                articles=[_texts_released_article(a) for a in articles],
            )
        )


# ---------------------------------------------------------------------- copies of one story


def _copies_link(new: list[Article], reads: dict[int, Decoded]) -> None:
    """Each new (saved) article that is a near-duplicate of a stored one, or of one before it
    in ``new``, linked to the original (the first of the story: a copy of a copy is linked
    to the article it copies); then the new articles' sketches stored. ``reads``: each new
    article's ``Decoded`` by id, with its shingles and sketch. Three queries, one more to
    read the texts of the stored articles among the closest, which alone are shingled here;
    each text is compared with at most COPY_CANDIDATES others."""
    if not new:
        return
    sketches = {pk: read.sketch for pk, read in reads.items()}
    closest = _closest_of_each(new, sketches)
    articles = {a.pk: a for a in new}
    compared = {pk for pks in closest.values() for pk in pks}
    wanted = compared - articles.keys()
    shingles = {}  # pk → its shingles, for the articles compared only
    if wanted:
        for pk, other in Article.objects.only("pk", "body", "copy_of_id").in_bulk(wanted).items():
            articles[pk], shingles[pk] = other, shingle_set(other.body)
    linked = []
    for article in new:
        candidates = [
            (articles[pk], shingles[pk] if pk in shingles else reads[pk].shingles)
            for pk in closest[article.pk]
            if pk in articles
        ]
        original = _original_of(set(reads[article.pk].shingles), candidates) if candidates else None
        if original is not None:
            article.copy_of_id = original.copy_of_id or original.pk
            linked.append(article)
    if linked:
        Article.objects.bulk_update(linked, ["copy_of"])
    _sketches_store(sketches)


def _closest_of_each(
    new: list[Article], sketches: Mapping[int, frozenset[int]]
) -> dict[int, list[int]]:
    """For each new article, the ids of the stored articles and of those before it in
    ``new`` whose texts are to be compared with its own (``_closest``). Two queries."""
    stored = _stored_sharing(sketches)
    tops = {pk: _top(sketch) for pk, sketch in sketches.items()}
    tops |= _sketch_tops(
        {pk for shared in stored.values() for pk, n in shared.items() if n >= SKETCH_MATCH}
    )
    closest = {}
    for position, article in enumerate(new):
        sketch = sketches[article.pk]
        shared = {other.pk: len(sketches[other.pk] & sketch) for other in new[:position]}
        closest[article.pk] = _closest(sketch, shared | stored.get(article.pk, {}), tops)
    return closest


def _sketches_store(sketches: Mapping[int, frozenset[int]]) -> None:
    """Store the new articles' sketches without a model instance per row (``bulk_create``
    would build thirty-two an article): on PostgreSQL one INSERT of two arrays unnested
    (two parameters, whatever the number of rows), elsewhere INSERTs of SHINGLE_ROWS rows."""
    pairs = [(pk, h) for pk, sketch in sketches.items() for h in sketch]
    if not pairs:
        return
    connection = connections[router.db_for_write(ArticleShingle)]
    quote = connection.ops.quote_name
    table = quote(ArticleShingle._meta.db_table)
    columns = ", ".join(
        quote(ArticleShingle._meta.get_field(name).column) for name in ("article", "hash")
    )
    # Only model metadata is interpolated (quoted names); every value is a parameter.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            pks, hashes = zip(*pairs, strict=True)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
                [list(pks), list(hashes)],
            )
            return
        for at in range(0, len(pairs), SHINGLE_ROWS):
            rows = pairs[at : at + SHINGLE_ROWS]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608
                f"VALUES {', '.join(['(%s, %s)'] * len(rows))}",
                [value for row in rows for value in row],
            )


def _closest(sketch: frozenset[int], shared: dict[int, int], tops: dict[int, float]) -> list[int]:
    """Of {article id: hashes of ``sketch`` its sketch shares}, the COPY_CANDIDATES ids whose
    text is estimated to hold the most of the new one's: at least SKETCH_MATCH hashes shared,
    and a COPY_SHARE share plausible (the oldest first among equals)."""
    kept = []
    ordered = sorted(sketch)
    for pk, n in shared.items():
        if n < SKETCH_MATCH:
            continue
        covered = bisect_right(ordered, tops[pk])  # hashes at most its top: at least n
        if _plausible(n, covered):
            kept.append((-n / covered, pk))
    return [pk for _, pk in sorted(kept)[:COPY_CANDIDATES]]


@functools.cache
def _plausible(found: int, sampled: int) -> bool:
    """Whether a text holding COPY_SHARE of the new one's shingles would show ``found`` or
    fewer of ``sampled`` of them with a chance of at least COPY_DOUBT (binomial)."""
    p = COPY_SHARE
    chance = sum(math.comb(sampled, k) * p**k * (1 - p) ** (sampled - k) for k in range(found + 1))
    return chance >= COPY_DOUBT


def _top(sketch: frozenset[int]) -> float:
    """The largest hash below which a sketch holds every shingle of its text (all of them
    when the text has fewer than SKETCH_SIZE)."""
    return max(sketch) if len(sketch) >= SKETCH_SIZE else math.inf


def _sketch_tops(pks: set[int]) -> dict[int, float]:
    """``_top`` of the stored sketches of ``pks``, in one query."""
    if not pks:
        return {}
    rows = (
        ArticleShingle.objects.filter(article_id__in=pks)
        .values_list("article_id")
        .annotate(top=Max("hash"), size=Count("id"))
        .values_list("article_id", "top", "size")
    )
    return {pk: top if size >= SKETCH_SIZE else math.inf for pk, top, size in rows}


def _stored_sharing(sketches: Mapping[int, frozenset[int]]) -> dict[int, dict[int, int]]:
    """For each new article, {stored article id: hashes of its sketch they share}, from one
    query of the stored sketches."""
    stored = defaultdict(set)
    for article_id, h in ArticleShingle.objects.filter(
        hash__in=set().union(*sketches.values())
    ).values_list("article_id", "hash"):
        if article_id not in sketches:
            stored[article_id].add(h)
    return {
        pk: {other: len(hashes & sketch) for other, hashes in stored.items()}
        for pk, sketch in sketches.items()
    }


def _original_of(own: set, candidates: list[tuple[Article, Iterable[int]]]) -> Article | None:
    """The candidate holding the largest share (at least COPY_SHARE) of ``own``; each
    candidate's shingles distinct (a set, or the packed hashes of a ``Decoded``)."""
    best, best_share = None, COPY_SHARE
    for other, theirs in candidates:
        share = len(own.intersection(theirs)) / len(own) if own else 0.0
        if share >= best_share and (best is None or share > best_share):
            best, best_share = other, share
    return best


def _record(batch: ImportBatch, result: FileResult) -> FileResult:
    _records(batch, [result])
    return result


def _records(batch: ImportBatch, results: list[FileResult]) -> None:
    """The files' records and the batch's counts of them, together (with the articles, when
    the caller's transaction holds them: no savepoint of their own, since an error here
    undoes the articles too)."""
    counts = Counter(COUNTER[result.outcome] for result in results)
    with transaction.atomic(savepoint=False):
        ImportRecord.objects.bulk_create(
            ImportRecord(
                batch=batch,
                filename=result.name[-1000:],
                outcome=result.outcome,
                reason=result.reason,
                article=result.article,
            )
            for result in results
        )
        ImportBatch.objects.filter(pk=batch.pk).update(
            **{counter: F(counter) + n for counter, n in counts.items()},
            progress_at=timezone.now(),
        )


def _duplicate(source: Source, article: Article, *, outlets: dict) -> FileResult:
    """A file whose text is stored already. When its manifest entry gives metadata that the
    stored article lacks (imported before the manifest was fixed), it fills that in: the
    file is "updated". Values the article has are never overwritten."""
    if article.pk is None or not source.overrides:  # an earlier file of this chunk
        return FileResult(source.name, Outcome.DUPLICATE, article=article)
    missing = {
        key: source.overrides[key]
        for key in COMPLETABLE
        if source.overrides.get(key) and not getattr(article, key)
    }
    if article.outlet_id is None:
        outlet = _outlet_for(*_outlet_named(source.overrides, "", ""), outlets)
        if outlet is not None:
            missing["outlet"] = outlet
    if not missing:
        return FileResult(source.name, Outcome.DUPLICATE, article=article)
    Article.objects.filter(pk=article.pk).update(**missing)
    for key, value in missing.items():
        setattr(article, key, value)
    reason = "metadata completed from the manifest: " + ", ".join(missing)
    return FileResult(source.name, Outcome.UPDATED, reason, article=article)


def _outlet_named(overrides, name: str, domain: str) -> tuple[str, str]:
    """The outlet's name and domain: the manifest's, else what the text says."""
    if overrides.get("outlet"):
        return overrides["outlet"], overrides.get("domain") or _domain_like(overrides["outlet"])
    if overrides.get("domain"):
        return name or overrides["domain"], overrides["domain"]
    return name, domain


def _article_new(source: Source, decoded: Decoded, *, user, outlets: dict) -> Article:
    """The file's article, not yet saved: its metadata from the text, the manifest first."""
    overrides = {**source.overrides, **decoded.metadata}
    meta = extract_metadata(normalize_text(decoded.text), language=overrides.get("language"))
    outlet = _outlet_named(overrides, meta.outlet_name, meta.outlet_domain)
    return Article(
        outlet=_outlet_for(*outlet, outlets),
        title=overrides.get("title", meta.title)[:500],
        url=overrides.get("url", meta.url),
        published_on=overrides.get("published_on", meta.published_on),
        language=overrides.get("language", meta.language)[:35],
        body=decoded.body,
        content_hash=decoded.content_hash,  # bulk_create skips Article.save, which sets it
        source_filename=source.filename[-255:],
        source_sha256=decoded.sha256,
        source_encoding=decoded.encoding,
        source_text=decoded.text,
        imported_by=user,
        **decoded.fields,
    )


def _domain_like(name: str) -> str:
    return name.lower() if re.fullmatch(r"(?:[\w-]+\.)+[a-z]{2,24}", name, re.I) else ""


def _outlet_for(name: str, domain: str, known: dict) -> Outlet | None:
    """The outlet with this domain or name, created when new; None when nothing is known.
    ``known`` remembers it (a manifest names one outlet for many files); the callers keep
    what a transaction learnt for the rest of the run only once it commits."""
    name, domain = name.strip()[:200], domain.strip().lower()[:253]
    if not name and not domain:
        return None
    key = (name, domain)
    if key not in known:
        known[key] = _outlet_found_or_created(name, domain)
    return known[key]


def _outlet_found_or_created(name: str, domain: str) -> Outlet:
    if domain:
        outlet = Outlet.objects.filter(domain=domain).first()
        if outlet:
            return outlet
    outlet = Outlet.objects.filter(name__iexact=name or domain).first()
    if outlet:
        if domain and not outlet.domain:
            outlet.domain = domain
            outlet.save(update_fields=["domain"])
        return outlet
    return Outlet.objects.create(name=name or domain, domain=domain)
