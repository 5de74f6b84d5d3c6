"""The public search's vocabulary: the words of what has been published, for its second try
(docs/architecture.md, "Search"). Words the public has read are the only ones a misspelt
search is corrected to; unpublished desk text never is."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from claims.models import PublishedRevision
from factcheck.search import known_words

WORD_LENGTH = 40


class SearchWord(models.Model):
    """A word (case-folded, not a stop word) of a published revision's statement, wordings,
    claimant or summary. Added as each revision is written (``public.signals``); a word of a
    superseded or merged fact check stays until ``manage.py rebuild_search_words`` makes the
    vocabulary again from the current revisions (meanwhile it corrects a query to words that
    find nothing, which is what the query found anyway, and the page says nothing of it)."""

    word = models.CharField(max_length=WORD_LENGTH, unique=True, verbose_name=_("word"))

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


# What of a revision the vocabulary holds the words of.
TEXT_FIELDS = ("statement", "wordings_text", "claimant", "summary_text")


def revision_words(revision) -> set[str]:
    """The words a revision adds to the vocabulary."""
    return _words(getattr(revision, field) for field in TEXT_FIELDS)


def _words(texts) -> set[str]:
    return {word for word in known_words("\n".join(texts)) if len(word) <= WORD_LENGTH}


def vocabulary_rebuilt() -> tuple[int, int]:
    """The vocabulary made again from the current published revisions, in one transaction
    (readers see the old one until it commits): (words kept, words removed)."""
    words = set()
    rows = PublishedRevision.objects.current().values_list(*TEXT_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        words |= _words(row)
    with transaction.atomic():
        before = set(SearchWord.objects.values_list("word", flat=True))
        SearchWord.objects.all().delete()
        words_add(words)
    return len(words), len(before - words)


def words_add(words: set[str]) -> None:
    SearchWord.objects.bulk_create(
        (SearchWord(word=word) for word in sorted(words)), ignore_conflicts=True, batch_size=1000
    )
