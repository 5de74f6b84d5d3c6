"""The public search's vocabulary: the words of what has been published, for its second try
(docs/architecture.md, "Search"). Words the public has read are the only ones a misspelt
search is corrected to; unpublished desk text never is."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from factcheck.search import known_words

WORD_LENGTH = 40


class SearchWord(models.Model):
    """A word (case-folded, not a stop word) of a published revision's statement, wordings,
    claimant or summary. Added as each revision is written (``public.signals``), never
    removed: a word of a withdrawn fact check corrects a query to words that then find
    nothing, which is what the query found anyway."""

    word = models.CharField(max_length=WORD_LENGTH, unique=True, verbose_name=_("word"))

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


def revision_words(revision) -> set[str]:
    """The words a revision adds to the vocabulary."""
    text = "\n".join(
        (revision.statement, revision.wordings_text, revision.claimant, revision.summary_text)
    )
    return {word for word in known_words(text) if len(word) <= WORD_LENGTH}


def words_add(words: set[str]) -> None:
    SearchWord.objects.bulk_create(
        (SearchWord(word=word) for word in sorted(words)), ignore_conflicts=True, batch_size=1000
    )
