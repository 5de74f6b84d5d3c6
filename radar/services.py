"""The radar's writes: queue a scan, accept a suggestion (a highlight made by the desk's own
service), reject one (remembered with who rejected it)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from articles.models import Article
from claims.models import Annotation, Claim
from claims.services.annotations import annotation_create
from factcheck.errors import Refused
from factcheck.roles import User
from radar.models import Rejection, Scan, Suggestion

GONE = gettext_lazy(
    "This suggestion is gone: the article was rescanned or someone dealt with it; reload."
)
# Finished scans are kept this long (their progress was for whoever waited), then deleted
# when another scan is queued.
SCANS_KEPT = timedelta(days=1)


def _forget_old_scans() -> None:
    Scan.objects.filter(finished_at__lt=timezone.now() - SCANS_KEPT).delete()


def scan_queue_articles(*, article_ids: list[int]) -> Scan:
    """Queue a background scan of these articles, once the caller's transaction commits."""
    from radar.tasks import scan_articles

    ids = sorted(set(article_ids))
    _forget_old_scans()
    scan = Scan.objects.create(article_id=ids[0] if len(ids) == 1 else None, total=len(ids))
    transaction.on_commit(lambda: scan_articles.enqueue(scan.pk, ids))
    return scan


def scan_queue_claim(*, claim: Claim) -> Scan:
    """Queue a background scan of the archive for ``claim``, once the transaction commits."""
    from radar.tasks import scan_archive

    _forget_old_scans()
    scan = Scan.objects.create(claim=claim)
    transaction.on_commit(lambda: scan_archive.enqueue(scan.pk, claim.pk))
    return scan


@transaction.atomic(durable=True)
def article_rescan(*, article: Article, user: User) -> Scan:
    """An editor asks for ``article`` to be scanned again."""
    return scan_queue_articles(article_ids=[article.pk])


def suggestion_accept(*, suggestion: Suggestion, user: User, stance: str) -> Annotation:
    """Turn ``suggestion`` into a highlight through the desk's own service (checked against
    the text as it is now; a change after publication as any highlight), then drop it."""
    current = Suggestion.objects.select_related("article", "claim").filter(pk=suggestion.pk)
    current = current.first()
    # Taken by deleting it: of two editors accepting at once, only the one whose delete
    # removed the row goes on (no second highlight of the same words).
    if current is None or not Suggestion.objects.filter(pk=current.pk).delete()[0]:
        raise Refused(GONE)
    try:
        return annotation_create(
            article=current.article,
            user=user,
            claim=current.claim,
            stance=stance,
            start=current.start,
            end=current.end,
            exact=current.exact,
        )
    except Exception:
        current.save(force_insert=True)  # refused (the text changed…): it waits again
        raise


@transaction.atomic(durable=True)
def suggestion_reject(*, suggestion: Suggestion, user: User) -> Rejection:
    """Say ``suggestion`` does not carry its claim: never suggested again, who said it kept."""
    current = Suggestion.objects.select_for_update().filter(pk=suggestion.pk).first()
    if current is None:
        raise Refused(GONE)
    rejection = Rejection.objects.create(
        article_id=current.article_id, claim_id=current.claim_id, exact=current.exact, user=user
    )
    # The same words suggested for the same claim elsewhere in the article go too.
    Suggestion.objects.filter(
        article_id=current.article_id, claim_id=current.claim_id, exact=current.exact
    ).delete()
    return rejection
