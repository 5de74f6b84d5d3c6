"""Issue 23, continued (branch scale2): ``Claim.appearances_version`` (raised by every change
to a claim's appearances: a cache key for what is drawn from them, kept on each revision
written from now on: unknown, None, for those before) and ``PublishedRevision.is_current``
(the revision its claim points at) and ``PublishedRevision.article_count`` (its
appearances counted, so that a page does not read the JSON to count them), filled here, with the
public search's two statement indexes (full-text and trigram) made partial on current
revisions and a partial index for the newest current revisions. The index expression must
stay identical to ``factcheck.search.ClaimVector``."""

from django.db import migrations, models
from django.db.models import F, Func, OuterRef, Subquery

from factcheck.migration_ops import PostgresOnlySQL


def mark_current(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    PublishedRevision = apps.get_model("claims", "PublishedRevision")
    PublishedRevision.objects.filter(
        pk__in=Subquery(
            Claim.objects.filter(published_revision__isnull=False, pk=OuterRef("claim_id")).values(
                "published_revision_id"
            )[:1]
        )
    ).update(is_current=True)


def count_articles(apps, schema_editor):
    PublishedRevision = apps.get_model("claims", "PublishedRevision")
    length = (
        "jsonb_array_length"
        if schema_editor.connection.vendor == "postgresql"
        else "json_array_length"
    )
    PublishedRevision.objects.update(
        article_count=Func(F("appearances"), function=length, output_field=models.IntegerField())
    )


FTS = "USING gin (to_tsvector('russian'::regconfig, statement))"
TRGM = "USING gin (statement gin_trgm_ops)"
# Revisions are written one publication at a time: each goes into the index at once, not into
# GIN's pending list, which every search would read row by row until the next VACUUM (and
# which makes the planner rightly prefer a sequential scan meanwhile).
CURRENT = " WITH (fastupdate = off) WHERE is_current"


def _index(name: str, using: str, where: str) -> str:
    return (
        f"DROP INDEX IF EXISTS {name}; "
        f"CREATE INDEX {name} ON claims_publishedrevision {using}{where};"
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0017_newsroom")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="appearances_version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="publishedrevision",
            name="is_current",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="publishedrevision",
            name="appearances_version",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="publishedrevision",
            name="article_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name="annotation",
            index=models.Index(
                condition=models.Q(("orphaned", False)),
                fields=["claim", "article"],
                name="annotation_live_claim_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="annotation",
            index=models.Index(
                condition=models.Q(("orphaned", True)),
                fields=["claim"],
                name="annotation_orphan_claim_idx",
            ),
        ),
        PostgresOnlySQL(
            _index("claims_revision_statement_fts", FTS, CURRENT),
            _index("claims_revision_statement_fts", FTS, ""),
        ),
        PostgresOnlySQL(
            _index("claims_revision_statement_trgm", TRGM, CURRENT),
            _index("claims_revision_statement_trgm", TRGM, ""),
        ),
        # Rows last: an update queues the foreign keys' deferred checks, after which
        # PostgreSQL refuses to build an index on the table in the same transaction.
        migrations.RunPython(mark_current, migrations.RunPython.noop),
        migrations.RunPython(count_articles, migrations.RunPython.noop),
    ]
