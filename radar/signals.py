"""When the radar scans (README, "Claim radar"): articles when they arrive
(``articles.signals.articles_imported``) and when a correction changes their text (their
suggestions are dropped at once and computed again); the archive for a claim when it is
created or its wording changes (its statement, or a ``ClaimWording``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article
from articles.signals import articles_imported
from claims.models import Claim, ClaimWording
from radar import services
from radar.models import Suggestion


@receiver(articles_imported, dispatch_uid="radar-articles-imported")
def articles_arrived(sender, articles, **kwargs):
    services.scan_queue_articles(article_ids=[article.pk for article in articles])


@receiver(post_save, sender=Article, dispatch_uid="radar-article-saved")
def article_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A changed text: its suggestions no longer point at the right words. Dropped now, in
    the correction's transaction, and computed again in the background."""
    if raw or created or (update_fields is not None and "body" not in update_fields):
        return
    Suggestion.objects.filter(article=instance).delete()
    services.scan_queue_articles(article_ids=[instance.pk])


@receiver(post_save, sender=Claim, dispatch_uid="radar-claim-saved")
def claim_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A new claim, or a new statement (``claims.services.claims.claim_update`` names it)."""
    if raw or not (created or (update_fields and "statement" in update_fields)):
        return
    services.scan_queue_claim(claim=instance)


@receiver(post_save, sender=ClaimWording, dispatch_uid="radar-wording-saved")
@receiver(post_delete, sender=ClaimWording, dispatch_uid="radar-wording-deleted")
def wording_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    claim = Claim.objects.filter(pk=instance.claim_id).first()
    if claim is not None:
        services.scan_queue_claim(claim=claim)
