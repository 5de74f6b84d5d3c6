"""The public search's vocabulary (``public.models.SearchWord``), filled from the revisions
published so far, with a trigram index on PostgreSQL for the close spellings of a word."""

from django.db import migrations, models

from factcheck.migration_ops import PostgresOnlySQL
from factcheck.search import known_words

WORD_LENGTH = 40


def words_fill(apps, schema_editor):
    PublishedRevision = apps.get_model("claims", "PublishedRevision")
    SearchWord = apps.get_model("public", "SearchWord")
    words = set()
    fields = ("statement", "wordings_text", "claimant", "summary_text")
    for row in PublishedRevision.objects.values_list(*fields).iterator(chunk_size=2000):
        words |= {word for word in known_words("\n".join(row)) if len(word) <= WORD_LENGTH}
    SearchWord.objects.bulk_create(
        (SearchWord(word=word) for word in sorted(words)), ignore_conflicts=True, batch_size=1000
    )


class Migration(migrations.Migration):
    initial = True
    dependencies = [("claims", "0021_public_search")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True, verbose_name="word")),
            ],
            options={"verbose_name": "search word", "verbose_name_plural": "search words"},
        ),
        migrations.RunPython(words_fill, migrations.RunPython.noop),
        PostgresOnlySQL(
            "CREATE INDEX public_searchword_trgm ON public_searchword"
            " USING gin (word gin_trgm_ops);",
            "DROP INDEX IF EXISTS public_searchword_trgm;",
        ),
    ]
