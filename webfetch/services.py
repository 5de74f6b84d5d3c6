"""Every write of webfetch: web imports, feeds and their polls, evidence snapshots and the
dead-link check (docs/architecture.md, "Reading the web")."""

import hashlib
import json
import logging
import zlib
from dataclasses import dataclass

import feedparser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.extract import ImportFailure
from articles.importing import (
    ImportReport,
    ProgressCallback,
    articles_import,
    batch_finish,
    import_sources,
)
from articles.models import Article, ImportBatch, Outlet
from factcheck.errors import NotAllowed, Refused
from factcheck.roles import is_editor
from factcheck.sanitize import is_http_url
from webfetch.fetcher import EVIDENCE, FEED, FetchError, fetch
from webfetch.models import EvidenceCheck, EvidenceSnapshot, Feed, QueuedUrl
from webfetch.pages import decode_page, normalize_url, url_sources

logger = logging.getLogger(__name__)

# At most this many addresses in one desk or admin import.
MAX_URLS = 50
# Dead links: what a check marks as dead (a server error or a timeout may pass).
DEAD_STATUSES = {404, 410}


# ------------------------------------------------------------------------------ who may


def can_import_from_web(user) -> bool:
    """Editors on the desk, and anyone the admin lets import articles: one rule for the
    desk, the admin and the feeds."""
    return bool(
        user and user.is_active and (is_editor(user) or user.has_perm("articles.add_article"))
    )


def _check_user(user) -> None:
    if not can_import_from_web(user):
        raise NotAllowed(_("Only editors can add articles from the web."))


# --------------------------------------------------------------------------- addresses


def urls_parse(text: str) -> list[str]:
    """The addresses in ``text`` (one a line, or parted by spaces), each http(s), in order,
    without repeats; Refused naming every line that is not one, and nothing queued."""
    urls, bad = [], []
    for word in text.split():
        if not is_http_url(word):
            bad.append(word)
        elif normalize_url(word) not in urls:
            urls.append(normalize_url(word))
    if bad:
        shown = ", ".join(repr(w[:80]) for w in bad[:5]) + (" …" if len(bad) > 5 else "")
        raise Refused(
            _("Only http:// and https:// addresses can be imported, not %(shown)s.")
            % {"shown": shown}
        )
    if not urls:
        raise Refused(_("Paste at least one address (http:// or https://)."))
    if len(urls) > MAX_URLS:
        raise Refused(
            _("At most %(limit)d addresses at a time (%(given)d given).")
            % {"limit": MAX_URLS, "given": len(urls)}
        )
    return urls


# ------------------------------------------------------------------------------ imports


def urls_import(
    *, urls: list[str], via: str, user=None, progress: ProgressCallback | None = None
) -> ImportReport:
    """Import ``urls`` now (the command; a feed's poll), one page per transaction."""
    return articles_import(
        sources=url_sources(urls), via=via, user=user, progress=progress, chunk_files=1
    )


def web_import_prepare(*, urls: list[str], user) -> ImportBatch:
    """A desk or admin import of ``urls``, stored for the worker (its task is queued by
    ``webfetch.tasks.web_import_queue``, beside the task); the page it returns to shows the
    batch's progress. Call it inside the caller's transaction."""
    _check_user(user)
    batch = ImportBatch.objects.create(via=ImportBatch.Via.WEB, user=user, total=len(urls))
    QueuedUrl.objects.bulk_create(
        QueuedUrl(batch=batch, position=n, url=url) for n, url in enumerate(urls)
    )
    return batch


def web_batch_run(batch_id: int) -> None:
    """Run, or resume, a queued web import (the worker's task): each address gets its
    record as it is done, so a resumed run starts at the first without one."""
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
    if not batch.is_active:
        return
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING, progress_at=timezone.now()
    )
    urls = list(batch.queued_urls.values_list("url", flat=True))
    try:
        done = batch.records.count()
        import_sources(batch, url_sources(urls[done:]), chunk_files=1)
    except Exception as exc:
        batch_finish(batch, error=exc)
        batch.queued_urls.all().delete()
        raise
    batch_finish(batch)
    batch.queued_urls.all().delete()


# -------------------------------------------------------------------------------- feeds


def feed_add(*, outlet: Outlet, url: str, user) -> Feed:
    _check_user(user)
    if not is_http_url(url):
        raise Refused(_("A feed's address must start with http:// or https://."))
    url = normalize_url(url)
    with transaction.atomic(durable=True):
        if Feed.objects.filter(url=url).exists():
            raise Refused(_("That feed is already followed."))
        feed = Feed.objects.create(outlet=outlet, url=url, added_by=user)
    return feed


@dataclass
class FeedEntries:
    links: list[str]
    without_link: int


def feed_entries(body: bytes, content_type: str) -> FeedEntries:
    """The entries' links of an RSS, Atom or JSON Feed document; ImportFailure with the
    reason when it is none of them."""
    if body.lstrip()[:1] in (b"{", b"[") or content_type.endswith("json"):
        return _json_feed_entries(body)
    parsed = feedparser.parse(body)
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        raise ImportFailure(
            "not a feed: the document is not RSS or Atom XML" + (f" ({problem})" if problem else "")
        )
    links, missing = [], 0
    for entry in parsed.entries:
        link = entry.get("link", "")
        if is_http_url(link):
            links.append(normalize_url(link))
        else:
            missing += 1
    return FeedEntries(links, missing)


def _json_feed_entries(body: bytes) -> FeedEntries:
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailure(f"not a feed: the document is not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or "jsonfeed.org" not in str(doc.get("version", "")):
        raise ImportFailure("not a feed: JSON without a JSON Feed version")
    links, missing = [], 0
    for item in doc.get("items") or []:
        link = item.get("url", "") if isinstance(item, dict) else ""
        if isinstance(link, str) and is_http_url(link):
            links.append(normalize_url(link))
        else:
            missing += 1
    return FeedEntries(links, missing)


@dataclass
class PollResult:
    feed: Feed
    not_modified: bool = False
    imported: int = 0
    known: int = 0
    failed: int = 0
    without_link: int = 0
    error: str = ""
    batch: ImportBatch | None = None


def feed_poll(*, feed: Feed) -> PollResult:
    """Poll ``feed`` once: a conditional GET, then its new entries imported through the one
    import path. Entries already imported (by URL) are not fetched again; a failing feed
    waits longer before the next poll (Feed.backoff)."""
    now = timezone.now()
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    result = PollResult(feed)
    try:
        response = fetch(feed.url, use=FEED, headers=headers)
        if response.not_modified:
            result.not_modified = True
        else:
            entries = feed_entries(response.body, response.content_type)
            result.without_link = entries.without_link
            _feed_import(feed, entries.links, result)
            feed.etag = response.headers.get("etag", "")[:500]
            feed.last_modified = response.headers.get("last-modified", "")[:100]
    except (FetchError, ImportFailure) as exc:
        result.error = str(exc)
    _feed_health(feed, result, now)
    return result


def _feed_import(feed: Feed, links: list[str], result: PollResult) -> None:
    known = set(
        Article.objects.filter(Q(source_url__in=links) | Q(canonical_url__in=links)).values_list(
            "source_url", "canonical_url"
        )
    )
    known = {url for pair in known for url in pair}
    new = [link for link in dict.fromkeys(links) if link not in known]
    result.known = len(links) - len(new)
    if not new:
        return
    report = urls_import(urls=new, via=ImportBatch.Via.FEED, user=feed.added_by)
    result.batch = report.batch
    result.imported = report.imported
    result.failed = report.failed


def _feed_health(feed: Feed, result: PollResult, now) -> None:
    feed.last_polled_at = now
    if result.error:
        feed.failures += 1
        feed.last_error, feed.last_error_at = result.error, now
    else:
        feed.failures = 0
        feed.last_success_at = now
        feed.articles_found += result.imported
        notes = []
        if result.without_link:
            n = result.without_link
            notes.append(f"{n} entr{'y' if n == 1 else 'ies'} without a link skipped")
        if result.failed:
            notes.append(
                f"{result.failed} entr{'y' if result.failed == 1 else 'ies'} failed to import"
            )
        if notes:
            feed.last_error, feed.last_error_at = "; ".join(notes), now
    feed.next_poll_at = now + feed.backoff()
    feed.save()


def feeds_poll_due() -> list[PollResult]:
    return [feed_poll(feed=feed) for feed in Feed.objects.due().select_related("added_by")]


# ---------------------------------------------------------------------------- evidence


def evidence_snapshot_take(*, url: str) -> EvidenceSnapshot:
    """Fetch ``url`` and keep it: the extracted text, the raw bytes compressed, the status,
    the final URL, when, and the SHA-256 of the bytes. A fetch that fails is kept as a
    snapshot with its reason and nothing else."""
    snapshot = EvidenceSnapshot(url=url)
    try:
        response = fetch(url, use=EVIDENCE)
    except FetchError as exc:
        snapshot.error = str(exc)
        snapshot.status = exc.status
        snapshot.save()
        return snapshot
    snapshot.fetched_at = response.fetched_at
    snapshot.status = response.status
    snapshot.final_url = response.final_url
    snapshot.content_type = response.content_type
    snapshot.raw = zlib.compress(response.body, 6)
    snapshot.size = len(response.body)
    snapshot.sha256 = hashlib.sha256(response.body).hexdigest()
    snapshot.title, snapshot.text = _snapshot_text(response)
    snapshot.save()
    return snapshot


def _snapshot_text(response) -> tuple[str, str]:
    if response.content_type in ("text/html", "application/xhtml+xml"):
        import trafilatura

        try:
            html, _ = decode_page(response)
        except ImportFailure:
            return "", ""
        document = trafilatura.bare_extraction(html, url=response.final_url, with_metadata=True)
        if document is None:
            return "", ""
        return (document.title or "")[:500], document.text or ""
    if response.content_type in ("text/plain", "application/json"):
        try:
            text, _ = decode_page(response)
        except ImportFailure:
            return "", ""
        return "", text
    return "", ""  # a PDF or an image: the bytes are kept, no text is read from them


def evidence_archive(*, urls: list[str]) -> list[EvidenceSnapshot]:
    """Snapshots of the addresses that have no good one yet."""
    have = set(
        EvidenceSnapshot.objects.filter(url__in=urls, error="").values_list("url", flat=True)
    )
    return [evidence_snapshot_take(url=url) for url in dict.fromkeys(urls) if url not in have]


def latest_snapshots(urls) -> dict[str, EvidenceSnapshot]:
    """The newest good snapshot of each address, in one query."""
    found: dict[str, EvidenceSnapshot] = {}
    for snapshot in (
        EvidenceSnapshot.objects.filter(url__in=set(urls), error="")
        .defer("raw", "text")
        .order_by("-requested_at", "-id")
    ):
        found.setdefault(snapshot.url, snapshot)
    return found


def evidence_check(*, url: str) -> EvidenceCheck:
    """Whether ``url`` still answers: dead when the server says 404 or 410, or the name no
    longer resolves; anything else (a timeout, a server error) is not taken as dead."""
    dead, reason = False, ""
    try:
        fetch(url, use=EVIDENCE)
    except FetchError as exc:
        reason = str(exc)
        dead = exc.status in DEAD_STATUSES or exc.gone
    check, _ = EvidenceCheck.objects.update_or_create(
        url=url, defaults={"checked_at": timezone.now(), "dead": dead, "reason": reason}
    )
    return check


def published_evidence_urls() -> list[str]:
    from claims.models import PublishedRevision

    urls = []
    for evidence in PublishedRevision.objects.current().values_list("evidence", flat=True):
        urls.extend(e["url"] for e in evidence or [] if e.get("url"))
    return list(dict.fromkeys(urls))


def evidence_check_due(*, older_than) -> list[EvidenceCheck]:
    """Check the published evidence not checked since ``older_than``."""
    urls = published_evidence_urls()
    fresh = set(
        EvidenceCheck.objects.filter(url__in=urls, checked_at__gte=older_than).values_list(
            "url", flat=True
        )
    )
    return [evidence_check(url=url) for url in urls if url not in fresh]


def evidence_state(urls: list[str]) -> dict[str, tuple]:
    """For the desk: each address's (newest good snapshot, latest dead-link check), either
    None, in two queries."""
    snapshots = latest_snapshots(urls)
    checks = {c.url: c for c in EvidenceCheck.objects.filter(url__in=set(urls))}
    return {url: (snapshots.get(url), checks.get(url)) for url in urls}
