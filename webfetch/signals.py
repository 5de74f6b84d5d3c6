"""Where webfetch hooks into the others, which never call it (docs/architecture.md,
"Reading the web"): the worker's start, a verdict's saved evidence, a published revision."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from articles.tasks import worker_started
from claims.models import PublishedRevision, VerdictVersion
from factcheck.sanitize import is_http_url
from webfetch.models import EvidenceSnapshot


@receiver(worker_started, dispatch_uid="webfetch-schedule")
def schedule_on_worker_start(sender, **kwargs):
    """The periodic task queued, and the web imports a stopped worker left running queued
    again (one worker runs them: when it starts, no other is)."""
    from webfetch.tasks import schedule_ensure, web_imports_resume

    web_imports_resume()
    schedule_ensure()


@receiver(post_save, sender=VerdictVersion, dispatch_uid="webfetch-archive-evidence")
def archive_saved_evidence(sender, instance, created, **kwargs):
    """Every saved version of a verdict carries its evidence: the worker archives the
    addresses that have no snapshot yet, once the save has committed."""
    if not created or not settings.EVIDENCE_ARCHIVE:
        return
    urls = [e["url"] for e in instance.evidence or [] if is_http_url(e.get("url", ""))]
    if urls:
        from webfetch.tasks import evidence_archive

        transaction.on_commit(lambda: evidence_archive.enqueue(urls))


@receiver(pre_save, sender=PublishedRevision, dispatch_uid="webfetch-record-snapshots")
def record_snapshots(sender, instance, **kwargs):
    """A revision about to be published records which snapshot each piece of evidence had
    (``"archived": {"id", "at"}``), and those snapshots become readable by the public."""
    if instance.pk is not None or not instance.evidence:
        return
    from webfetch.services import latest_snapshots

    found = latest_snapshots(e.get("url") for e in instance.evidence if e.get("url"))
    for entry in instance.evidence:
        snapshot = found.get(entry.get("url"))
        if snapshot is not None:
            entry["archived"] = {"id": snapshot.pk, "at": snapshot.requested_at.isoformat()}
    ids = [s.pk for s in found.values()]
    if ids:
        EvidenceSnapshot.objects.filter(pk__in=ids, published=False).update(published=True)
