"""The radar's background work (Django's tasks framework; the worker is `manage.py worker`)."""

from django.tasks import task
from django.utils import timezone

from articles.models import Article
from claims.models import Claim
from radar import scanning
from radar.models import Scan


@task()
def scan_articles(scan_id: int, article_ids: list[int]) -> None:
    """Scan these articles against every known claim (imported, corrected, or on request)."""
    scan = _started(scan_id, total=len(article_ids))
    if scan is None:
        return
    found = done = 0
    try:
        for article in Article.objects.filter(pk__in=article_ids).only("pk", "body"):
            found += scanning.article_scan(article)
            done += 1
            Scan.objects.filter(pk=scan_id).update(done=done, found=found)
    except Exception:
        _finish(scan_id, Scan.Status.FAILED)
        raise
    _finish(scan_id, Scan.Status.DONE)


@task()
def scan_archive(scan_id: int, claim_id: int) -> None:
    """Scan the archive for one claim (created, or its wording changed)."""
    scan = _started(scan_id)
    claim = Claim.objects.filter(pk=claim_id).first()
    if scan is None or claim is None:
        _finish(scan_id, Scan.Status.DONE)
        return

    def progress(done: int, total: int) -> None:
        Scan.objects.filter(pk=scan_id).update(done=done, total=total)

    try:
        found = scanning.claim_scan_archive(claim, progress=progress)
    except Exception:
        _finish(scan_id, Scan.Status.FAILED)
        raise
    Scan.objects.filter(pk=scan_id).update(found=found)
    _finish(scan_id, Scan.Status.DONE)


def _started(scan_id: int, total: int | None = None) -> Scan | None:
    fields = {"status": Scan.Status.RUNNING}
    if total is not None:
        fields["total"] = total
    if not Scan.objects.filter(pk=scan_id).update(**fields):
        return None
    return Scan.objects.get(pk=scan_id)


def _finish(scan_id: int, status: str) -> None:
    Scan.objects.filter(pk=scan_id).update(status=status, finished_at=timezone.now())
