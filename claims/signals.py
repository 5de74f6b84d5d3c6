"""Keep each claim's reach (``Claim.outlet_count``, ``Claim.appearance_count``) current.

Every save or delete of an annotation, through any path that sends model signals (the desk's
services, the admin, an article's cascade delete, test factories), recounts the claims it
touches. Bulk writes send no signals: they call ``Claim.objects.filter(...).refresh_reach()``
themselves (corrections, ``manage.py make_archive``).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article
from claims.models import Annotation, Claim


@receiver(post_save, sender=Annotation, dispatch_uid="claims-reach-annotation-saved")
def annotation_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    claim_ids = {instance.claim_id, getattr(instance, "_loaded_claim_id", None)} - {None}
    Claim.objects.filter(pk__in=claim_ids).refresh_reach()
    instance._loaded_claim_id = instance.claim_id


@receiver(post_delete, sender=Annotation, dispatch_uid="claims-reach-annotation-deleted")
def annotation_deleted(sender, instance, **kwargs):
    Claim.objects.filter(pk=instance.claim_id).refresh_reach()


@receiver(post_save, sender=Article, dispatch_uid="claims-reach-article-saved")
def article_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """An article moved to another outlet changes its claims' outlet counts."""
    if created or raw or (update_fields is not None and "outlet" not in update_fields):
        return
    claim_ids = Annotation.objects.filter(article=instance).values("claim_id")
    Claim.objects.filter(pk__in=claim_ids).refresh_reach()
