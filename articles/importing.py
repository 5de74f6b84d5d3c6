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
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from articles.extract import (
    ImportFailure,
    article_body,
    decode_article_bytes,
    extract_metadata,
)
from articles.models import Article, ImportBatch, ImportRecord, Outlet
from articles.sources import Source, sources_from_uploads, too_large
from articles.text import content_hash, normalize_text

logger = logging.getLogger(__name__)

Outcome = ImportRecord.Outcome
Status = ImportBatch.Status
COUNTER = {Outcome.IMPORTED: "imported", Outcome.DUPLICATE: "duplicates", Outcome.FAILED: "failed"}
# A chunk: files stored in one transaction. Small enough that a batch's progress moves every
# second or so and a chunk's texts are a few megabytes (a 5 MB file is a chunk of its own);
# large enough that the round trips per file stop counting.
CHUNK_FILES = 50
CHUNK_CHARS = 4 * 1024 * 1024


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
        return f"{self.outcome:<9} {self.name} → Article {article.pk}{title}"


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
    def failed(self) -> int:
        return self.count(Outcome.FAILED)

    def summary(self) -> str:
        files = len(self.results)
        return (
            f"{files} file{'' if files == 1 else 's'}: {self.imported} imported, "
            f"{self.duplicates} duplicate{'' if self.duplicates == 1 else 's'}, "
            f"{self.failed} failed"
        )


ProgressCallback = Callable[[int, int, FileResult], None]


def articles_import(
    *,
    sources: Sequence[Source],
    via: str,
    user=None,
    progress: ProgressCallback | None = None,
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
        results = import_sources(batch, sources, progress=progress)
    except BaseException as exc:  # Ctrl-C included: the batch never stays "running"
        _batch_finish(batch, error=exc)
        raise
    _batch_finish(batch)
    return ImportReport(batch=batch, results=results)


def import_sources(
    batch: ImportBatch, sources: Sequence[Source], *, progress: ProgressCallback | None = None
) -> list[FileResult]:
    results = []
    outlets = {}  # (name, domain) → the outlet, once a file of this run stored an article of it
    for chunk in _chunks(sources):
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
        _batch_finish(batch, error=exc)
        _uploads_delete(batch, uploads)
        raise
    _batch_finish(batch)
    _uploads_delete(batch, uploads)


def _texts_released(result: FileResult) -> FileResult:
    """``result`` with its article's texts left to the database, read again only if asked
    for: a run of thousands of files would otherwise hold every text it stored until it
    ends. (``Model.from_db`` with the other fields: the texts are deferred fields.)"""
    article = result.article
    if article is None:
        return result
    kept = [
        f.attname
        for f in Article._meta.concrete_fields
        if f.attname not in Article.TEXTS and f.attname not in article.get_deferred_fields()
    ]
    result.article = Article.from_db(
        article._state.db, kept, [getattr(article, name) for name in kept]
    )
    return result


def _uploads_delete(batch: ImportBatch, uploads) -> None:
    for upload in uploads:
        upload.file.delete(save=False)
    batch.uploads.all().delete()


def _batch_finish(batch: ImportBatch, *, error: BaseException | None = None) -> None:
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
class _Decoded:
    text: str
    body: str
    encoding: str
    sha256: str  # of the file's bytes
    content_hash: str  # of the body (Article.content_hash)


# A file read for import: its text, or why it cannot be imported.
_Read = tuple[Source, _Decoded | ImportFailure]


def _decode(source: Source) -> _Decoded:
    if source.error:
        raise ImportFailure(source.error)
    if source.size is not None and source.size > settings.ARTICLE_MAX_BYTES:
        raise ImportFailure(too_large(source.size))
    data = source.load()
    if not data:
        raise ImportFailure("empty file")
    text, encoding = decode_article_bytes(data)
    body = article_body(normalize_text(text))
    if not body.strip():
        raise ImportFailure("empty file (only whitespace)")
    return _Decoded(text, body, encoding, hashlib.sha256(data).hexdigest(), content_hash(body))


def _chunks(sources: Sequence[Source]) -> Iterator[list[_Read]]:
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
        if len(chunk) >= CHUNK_FILES or chars >= CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


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
        return results
    except Exception:  # not BaseException: a worker told to stop stops at once
        return [_import_one(source, read, batch=batch, outlets=outlets) for source, read in chunk]


def _chunk_store(chunk: list[_Read], *, user, outlets: dict) -> list[FileResult]:
    """Each file's outcome, with the new articles inserted at once. A file with the text (or
    the bytes) of a stored article, or of an earlier file of the chunk, is a duplicate."""
    found = _existing([read for _, read in chunk if isinstance(read, _Decoded)])
    results, new = [], []
    for source, read in chunk:
        if isinstance(read, ImportFailure):
            results.append(FileResult(source.name, Outcome.FAILED, str(read)))
            continue
        article = _stored(found, read)
        if article:
            results.append(FileResult(source.name, Outcome.DUPLICATE, article=article))
            continue
        article = _article_new(source, read, user=user, outlets=outlets)
        found.setdefault(read.content_hash, article)
        found.setdefault(read.sha256, article)
        new.append(article)
        results.append(FileResult(source.name, Outcome.IMPORTED, article=article))
    Article.objects.bulk_create(new)
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
                result = FileResult(source.name, Outcome.DUPLICATE, article=article)
            else:
                article = _article_new(source, read, user=batch.user, outlets=seen)
                article.save()
                result = FileResult(source.name, Outcome.IMPORTED, article=article)
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


def _existing(reads: list[_Decoded]) -> dict[str, Article]:
    """The stored articles with the text or the bytes of ``reads``, by content hash and by
    bytes' hash (the oldest when several match), in one query.

    A corrected article no longer holds the text it arrived with, but the same file's bytes
    still name it: re-importing the file (seed_demo on every `make run`) is a duplicate."""
    if not reads:
        return {}
    hashes = {read.content_hash for read in reads}
    shas = {read.sha256 for read in reads}
    matches = (
        Article.objects.filter(Q(content_hash__in=hashes) | Q(source_sha256__in=shas))
        .only("pk", "title", "content_hash", "source_sha256")
        .order_by("pk")
    )
    found: dict[str, Article] = {}
    for article in matches:
        found.setdefault(article.content_hash, article)
        if article.source_sha256:
            found.setdefault(article.source_sha256, article)
    return found


def _stored(found: dict[str, Article], read: _Decoded) -> Article | None:
    return found.get(read.content_hash) or found.get(read.sha256)


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


def _article_new(source: Source, decoded: _Decoded, *, user, outlets: dict) -> Article:
    """The file's article, not yet saved: its metadata from the text, the manifest first."""
    overrides = source.overrides
    meta = extract_metadata(normalize_text(decoded.text), language=overrides.get("language"))
    outlet_name, outlet_domain = meta.outlet_name, meta.outlet_domain
    if overrides.get("outlet"):
        outlet_name = overrides["outlet"]
        outlet_domain = overrides.get("domain") or _domain_like(outlet_name)
    elif overrides.get("domain"):
        outlet_domain = overrides["domain"]
        outlet_name = outlet_name or outlet_domain
    return Article(
        outlet=_outlet_for(outlet_name, outlet_domain, outlets),
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
