"""The public search reads what was published, through one index (docs/architecture.md,
"Search"): each revision's wordings as text (``wordings_text``, both databases), and on
PostgreSQL a stored ``search_vector`` — the statement and the wordings weighted A, the claimant
and the summary unweighted — with a GIN index partial on ``is_current``. A revision is never
changed after it is written, so a generated column is all the upkeep it needs. The two
statement indexes of ``0010``/``0018`` served the public search alone and are dropped.

``factcheck.search.published_matches`` reads the column: weight A is what its "most of the
words" asks of the statement and wordings.
"""

from django.db import migrations, models

from factcheck.migration_ops import PostgresOnlySQL

VECTOR = (
    "setweight(to_tsvector('russian'::regconfig, statement::text || ' ' || wordings_text), 'A')"
    " || to_tsvector('russian'::regconfig, claimant::text || ' ' || summary_text)"
)


def wordings_text(apps, schema_editor):
    PublishedRevision = apps.get_model("claims", "PublishedRevision")
    changed = []
    for revision in PublishedRevision.objects.exclude(wordings={}).only("wordings").iterator():
        revision.wordings_text = "\n".join((revision.wordings or {}).values())
        changed.append(revision)
    PublishedRevision.objects.bulk_update(changed, ["wordings_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("claims", "0020_i18n_desk")]

    operations = [
        migrations.AddField(
            model_name="publishedrevision",
            name="wordings_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(wordings_text, migrations.RunPython.noop),
        PostgresOnlySQL(
            f"ALTER TABLE claims_publishedrevision ADD COLUMN search_vector tsvector"
            f" GENERATED ALWAYS AS ({VECTOR}) STORED;"
            " CREATE INDEX claims_revision_search ON claims_publishedrevision"
            " USING gin (search_vector) WITH (fastupdate = off) WHERE is_current;"
            " DROP INDEX IF EXISTS claims_revision_statement_fts;"
            " DROP INDEX IF EXISTS claims_revision_statement_trgm;",
            "CREATE INDEX claims_revision_statement_fts ON claims_publishedrevision"
            " USING gin (to_tsvector('russian'::regconfig, statement))"
            " WITH (fastupdate = off) WHERE is_current;"
            " CREATE INDEX claims_revision_statement_trgm ON claims_publishedrevision"
            " USING gin (statement gin_trgm_ops) WITH (fastupdate = off) WHERE is_current;"
            " ALTER TABLE claims_publishedrevision DROP COLUMN search_vector;",
        ),
    ]
