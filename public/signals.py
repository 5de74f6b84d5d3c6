"""Where the public search learns the words of each published revision (``SearchWord``); the
claims app never calls it. In the revision's transaction: a rolled-back publish adds none."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from claims.models import PublishedRevision
from public.models import revision_words, words_add


@receiver(post_save, sender=PublishedRevision, dispatch_uid="public-search-words")
def revision_published(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        words_add(revision_words(instance))
