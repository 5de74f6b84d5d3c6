"""Resurfacing alerts (docs/architecture.md, "Claim spread"): a published claim gains an
appearance in an article newer than its published revision.

- ``note_appearance`` runs when an appearance is created (``post_save`` of ``Annotation``,
  through any door: the desk's services, an accepted suggestion, the admin), inside the
  writer's transaction. It opens the claim's batch, or adds to the open one: one batch per
  claim at a time (a unique constraint), so one notification however many appearances come.
- The batch is in the activity feed at once (``activity_entries``). Its mail leaves when
  it is ``WINDOW`` old (``resurfacing_send_due``: the worker runs it then, as a deferred
  task, and ``manage.py send_resurfacing_alerts`` does the same from cron), one per
  recipient, naming the new outlets with a link that opens each appearance. The next
  appearance opens a new batch, so a claim mails at most once per ``WINDOW``.
- Recipients: the claim's assignee, else the reviewers who published it; never the person
  whose highlight opened the batch, nor anyone who turned mail off in their preferences
  (``claims.notifications``).
- "Newer": an article published on or after the day the revision was published, or, with
  no publication date, imported after the revision was.
"""

import logging
from datetime import timedelta
from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Article
from claims import notifications
from claims.models import Annotation, Claim, PublishedRevision
from claims.selectors.activity import Activity
from spread.models import Resurfacing, ResurfacingAppearance, outlet_names
from spread.timeline import long_day

logger = logging.getLogger(__name__)


def window() -> timedelta:
    return timedelta(seconds=settings.SPREAD_ALERT_WINDOW)


def connect() -> None:
    post_save.connect(_annotation_saved, sender=Annotation, dispatch_uid="spread-resurfacing")


def _annotation_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw and not instance.orphaned:
        note_appearance(instance)


def is_newer(article: Article, revision: PublishedRevision) -> bool:
    if article.published_on is not None:
        return article.published_on >= timezone.localdate(revision.published_at)
    return article.imported_at > revision.published_at


def recipient_ids(claim: Claim, *, actor_id) -> set[int]:
    """The claim's assignee, else the reviewers who published it; never ``actor_id``."""
    if claim.assigned_to_id:
        ids = {claim.assigned_to_id}
    else:
        ids = set(
            PublishedRevision.objects.filter(claim=claim).values_list("published_by", flat=True)
        )
    return ids - {None, actor_id}


def _entry(annotation: Annotation, article: Article) -> ResurfacingAppearance:
    return ResurfacingAppearance(
        annotation_id=annotation.pk,
        article_id=article.pk,
        outlet=article.outlet.name if article.outlet_id else "",
        title=article.title or article.source_filename,
        url=annotation.get_absolute_url(),
    )


def note_appearance(annotation: Annotation) -> Resurfacing | None:
    """Open or add to the claim's batch when ``annotation`` (just created) is a new
    appearance of a published claim in an article newer than the published revision.

    Inside the writer's transaction, and small: the appearance is one row appended, nothing
    shared is rewritten, and the open batch is held by a lock that other writers share
    (``_open_batch``)."""
    if Annotation.claim.is_cached(annotation) and not annotation.claim.published_revision_id:
        return None  # the claim the writer holds is unpublished: no query
    # The claim and when its revision was published: nothing else of either is read (a
    # revision's snapshot is megabytes for a viral claim).
    claim = (
        Claim.objects.select_related("published_revision")
        .only("pk", "assigned_to", "published_revision", "published_revision__published_at")
        .filter(pk=annotation.claim_id)
        .first()
    )
    revision = claim.published_revision if claim is not None else None
    if revision is None:
        return None
    article = (
        Article.objects.select_related("outlet").defer(*Article.TEXTS).get(pk=annotation.article_id)
    )
    if not is_newer(article, revision):
        return None
    entry = _entry(annotation, article)
    entry.batch = _open_batch(claim.pk) or _new_batch(claim, revision, annotation)
    entry.save(force_insert=True)
    return entry.batch


OPEN_BATCH = "SELECT id, due_at FROM spread_resurfacing WHERE claim_id = %s AND sent_at IS NULL"
OPEN_BATCH_SHARED = OPEN_BATCH + " FOR KEY SHARE"


def _open_batch(claim_id: int) -> Resurfacing | None:
    """The claim's open batch, kept open until the transaction ends.

    On PostgreSQL the row is read ``FOR KEY SHARE``:
    - writers adding to the batch share that lock, so none waits for another here;
    - ``resurfacing_send_due`` (``FOR UPDATE SKIP LOCKED``) leaves a batch being added to
      for its next round;
    - a batch the sender is closing at this moment is waited for, then not returned (its
      row no longer matches ``sent_at IS NULL``), so an appearance never joins a batch
      already mailed.

    The ORM's locks (``select_for_update``) all conflict with each other, hence the SQL.
    SQLite has one writer at a time."""
    query = OPEN_BATCH_SHARED if connection.vendor == "postgresql" else OPEN_BATCH
    return next(iter(Resurfacing.objects.raw(query, [claim_id])), None)


def _new_batch(claim: Claim, revision: PublishedRevision, annotation: Annotation) -> Resurfacing:
    """The claim's new batch, due in ``window()``; or the one another writer opened a moment
    ago (at most one is open: a unique constraint)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            batch = Resurfacing.objects.create(
                claim=claim,
                revision=revision,
                first_annotation=annotation,
                user_id=annotation.author_id,
                opened_at=now,
                due_at=now + window(),
            )
    except IntegrityError:  # another writer opened it a moment ago
        return _open_batch(claim.pk)
    batch.recipients.set(recipient_ids(claim, actor_id=annotation.author_id))
    due_at, pk = batch.due_at, batch.pk
    transaction.on_commit(lambda: _schedule(pk, due_at))
    return batch


def _schedule(batch_id: int, due_at) -> None:
    """Ask the worker to send the batch when it is due, if the task backend can wait
    (the database backend can; otherwise cron runs ``send_resurfacing_alerts``)."""
    if not send_due_alerts.get_backend().supports_defer:
        return
    try:
        send_due_alerts.using(run_after=due_at).enqueue(batch_id)
    except Exception:  # the appearance is saved; cron still sends the batch
        logger.exception("Could not queue resurfacing alert %s", batch_id)


@task()
def send_due_alerts(batch_id: int | None = None) -> int:
    return resurfacing_send_due()


def _mail(batch: Resurfacing) -> tuple[str, str]:
    """The alert in the active language (the worker's: LANGUAGE_CODE)."""
    claim = batch.claim
    entries = list(batch.entries.all())
    outlets = ", ".join(outlet_names(entries))
    names = {"statement": claim.statement, "outlets": outlets}
    if batch.revision:
        names["day"] = long_day(timezone.localdate(batch.revision.published_at))
        opening = _(
            "The published claim\n%(statement)s\nis back: new appearances in %(outlets)s, in "
            "articles newer than its fact check (published %(day)s).\n"
        )
    else:
        opening = _(
            "The published claim\n%(statement)s\nis back: new appearances in %(outlets)s, in "
            "articles newer than its fact check.\n"
        )
    lines = [opening % names]
    for entry in entries:
        outlet = entry.outlet or _("Unknown outlet")
        title = entry.title or _("Untitled")
        lines.append(f"- {outlet}: {title}\n  {notifications.site_url(entry.url)}")
    desk = notifications.site_url(reverse("claim_detail", args=[claim.pk]))
    lines.append("\n" + _("The claim on the desk: %(url)s") % {"url": desk})
    lines.append(
        _(
            "You get this as the claim's assignee or as a reviewer who published it; turn mail "
            "off in your preferences: %(url)s"
        )
        % {"url": notifications.site_url(reverse("preferences"))}
    )
    subject = _("Back in %(outlets)s: %(statement)s") % {**names, "statement": claim.statement[:80]}
    return subject[:200], "\n".join(lines) + "\n"


@transaction.atomic(durable=True)
def resurfacing_send_due(*, now=None) -> int:
    """Mail every batch whose hour is over, once: each is marked sent in the same
    transaction (the mail leaves on commit). How many were sent."""
    now = now or timezone.now()
    due = list(
        Resurfacing.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(sent_at__isnull=True, due_at__lte=now)
        .select_related("claim", "revision")
        .defer("revision__appearances", "revision__evidence", "revision__summary_html")
        .order_by("due_at", "pk")
    )
    for batch in due:
        subject, body = _mail(batch)
        ids = list(batch.recipients.values_list("pk", flat=True))
        notifications.send(ids, actor=None, subject=subject, body=body)
        batch.sent_at = now
        batch.save(update_fields=["sent_at"])
    return len(due)


def activity_entries(limit: int):
    """The batches, newest first, as entries of the desk's activity feed: one query (the
    appearances of the ``limit`` newest batches, each with its batch)."""
    newest = Resurfacing.objects.order_by("-opened_at", "-pk").values("pk")[:limit]
    entries = (
        ResurfacingAppearance.objects.filter(batch__in=newest)
        .select_related("batch__user", "batch__claim")
        .order_by("-batch__opened_at", "-batch_id", "pk")
    )
    for batch, items in groupby(entries, key=attrgetter("batch")):
        items = list(items)
        count = len(items)
        yield Activity(
            at=batch.opened_at,
            user=batch.user,
            kind="resurfacing",
            text=ngettext(
                "The published claim came back in %(outlets)s (%(n)d new appearance, newer "
                "than its fact check):",
                "The published claim came back in %(outlets)s (%(n)d new appearances, newer "
                "than its fact check):",
                count,
            )
            % {"outlets": ", ".join(outlet_names(items)), "n": count},
            subject=batch.claim.statement,
            url=items[0].url,
            after=_(" — mail sent") if batch.sent_at else _(" — mail within the hour"),
        )
