"""Where webhooks listen to claims, which never calls them (docs/architecture.md,
"Webhooks"): a published revision written (published: the claim's first; updated: a later
one) and a published claim merged into another. The deliveries are written in the same
transaction, so a rolled-back publish sends nothing."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from claims.models import ClaimMerge, PublishedRevision
from webhooks import events, tasks


@receiver(post_save, sender=PublishedRevision, dispatch_uid="webhooks-revision-published")
def revision_published(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        event, payload = events.revision_event(instance)
        tasks.deliveries_queue(event=event, payload=payload)


@receiver(post_save, sender=ClaimMerge, dispatch_uid="webhooks-claim-merged")
def claim_merged(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.source_was_published:
        event, payload = events.merge_event(instance)
        tasks.deliveries_queue(event=event, payload=payload)
