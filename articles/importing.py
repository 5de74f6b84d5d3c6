"""Import of article files: the one service behind `manage.py import_articles` and the admin's
bulk upload.

Sources come from articles.sources (files, folders, zip archives, uploads, with their
manifest entries). Every source gets exactly one outcome — imported, duplicate or failed with
a reason a person understands — in its own transaction, so one bad file never loses or blocks
the others, and a second run of the same import changes nothing. Every run is recorded as an
ImportBatch with one ImportRecord per file, written with the file's article and counted on the
batch at once, so a batch always shows how far it got.

The command imports at once (articles_import); an admin upload is stored and run by the
worker (batch_run, through articles/tasks.py), which resumes where a stopped worker left off.
"""

import contextlib
import hashlib
import logging
import re
from collections.abc import Callable, Sequence
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
    """Import ``sources`` now, one transaction per file, and record the run as an ImportBatch.

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
    for done, source in enumerate(sources, start=1):
        result = _import_one(source, batch=batch, user=batch.user)
        results.append(result)
        if progress:
            progress(done, len(sources), result)
    return results


def batch_run(batch_id: int) -> None:
    """Run, or resume, an admin upload's batch from its stored files (the worker's task).

    Files are listed in the same order every time and each file's record is written with its
    article, so a run after an interruption starts at the first file without a record. An
    error stops the batch as failed, saying how far it got; a worker that is stopped or
    killed leaves it running, for the next worker to resume (articles.tasks.batches_resume).
    The stored files are deleted once the batch has finished, well or not.
    """
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
    if not batch.is_active:
        return
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=Status.RUNNING, progress_at=timezone.now()
    )
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
    sha256: str


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
    return _Decoded(text, body, encoding, hashlib.sha256(data).hexdigest())


def _import_one(source: Source, *, batch: ImportBatch, user) -> FileResult:
    try:
        decoded = _decode(source)
    except ImportFailure as exc:
        return _record(batch, FileResult(source.name, Outcome.FAILED, str(exc)))
    try:
        with transaction.atomic():
            existing = _existing(decoded)
            if existing:
                result = FileResult(source.name, Outcome.DUPLICATE, article=existing)
            else:
                article = _article_create(source, decoded, user=user)
                result = FileResult(source.name, Outcome.IMPORTED, article=article)
            return _record(batch, result)
    except IntegrityError:
        # Another import stored the same text between our check and our insert.
        existing = _existing(decoded)
        if existing:
            return _record(batch, FileResult(source.name, Outcome.DUPLICATE, article=existing))
        logger.exception("Import of %s failed", source.name)
        return _record(batch, FileResult(source.name, Outcome.FAILED, "could not be stored"))
    except DatabaseError as exc:
        logger.exception("Import of %s failed", source.name)
        return _record(
            batch, FileResult(source.name, Outcome.FAILED, f"could not be stored: {exc}")
        )


def _existing(decoded: _Decoded) -> Article | None:
    # A corrected article no longer holds the text it arrived with, but the same file's bytes
    # still name it: re-importing the file (seed_demo on every `make run`) is a duplicate.
    return (
        Article.objects.filter(
            Q(content_hash=content_hash(decoded.body)) | Q(source_sha256=decoded.sha256)
        )
        .order_by("pk")
        .first()
    )


def _record(batch: ImportBatch, result: FileResult) -> FileResult:
    """The file's record and the batch's count of it, together (with the article, when the
    caller's transaction holds one)."""
    counter = COUNTER[result.outcome]
    with transaction.atomic():
        ImportRecord.objects.create(
            batch=batch,
            filename=result.name[-1000:],
            outcome=result.outcome,
            reason=result.reason,
            article=result.article,
        )
        ImportBatch.objects.filter(pk=batch.pk).update(
            **{counter: F(counter) + 1}, progress_at=timezone.now()
        )
    return result


def _article_create(source: Source, decoded: _Decoded, *, user) -> Article:
    overrides = source.overrides
    meta = extract_metadata(normalize_text(decoded.text), language=overrides.get("language"))
    outlet_name, outlet_domain = meta.outlet_name, meta.outlet_domain
    if overrides.get("outlet"):
        outlet_name = overrides["outlet"]
        outlet_domain = overrides.get("domain") or _domain_like(outlet_name)
    elif overrides.get("domain"):
        outlet_domain = overrides["domain"]
        outlet_name = outlet_name or outlet_domain
    return Article.objects.create(
        outlet=_outlet_for(outlet_name, outlet_domain),
        title=overrides.get("title", meta.title)[:500],
        url=overrides.get("url", meta.url),
        published_on=overrides.get("published_on", meta.published_on),
        language=overrides.get("language", meta.language)[:35],
        body=decoded.body,
        source_filename=source.filename[-255:],
        source_sha256=decoded.sha256,
        source_encoding=decoded.encoding,
        source_text=decoded.text,
        imported_by=user,
    )


def _domain_like(name: str) -> str:
    return name.lower() if re.fullmatch(r"(?:[\w-]+\.)+[a-z]{2,24}", name, re.I) else ""


def _outlet_for(name: str, domain: str) -> Outlet | None:
    """The outlet with this domain or name, created when new; None when nothing is known."""
    name, domain = name.strip()[:200], domain.strip().lower()[:253]
    if not name and not domain:
        return None
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
