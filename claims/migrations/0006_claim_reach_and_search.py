"""Claims: reach counters (outlets, appearances) kept on the row, and full-text search.

The counters let the desk's claim list and type-ahead sort by reach without counting the
whole archive's annotations on every request (claims.signals keeps them current). The GIN
index on ``to_tsvector('russian', statement)`` serves claim search on PostgreSQL (a no-op on
SQLite); its expression must stay identical to ``factcheck.search.ClaimVector``.
"""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from factcheck.migration_ops import PostgresOnlySQL


def count_reach(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Annotation = apps.get_model("claims", "Annotation")
    per_claim = (
        Annotation.objects.filter(claim=OuterRef("pk"), orphaned=False).order_by().values("claim")
    )
    Claim.objects.update(
        outlet_count=Coalesce(
            Subquery(per_claim.annotate(n=Count("article__outlet", distinct=True)).values("n")), 0
        ),
        appearance_count=Coalesce(Subquery(per_claim.annotate(n=Count("pk")).values("n")), 0),
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_reanchored_action"), ("articles", "0005_article_desk_order_index")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="appearance_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="appearances"
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="outlet_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="outlets"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                models.OrderBy(models.F("outlet_count"), descending=True),
                models.OrderBy(models.F("appearance_count"), descending=True),
                models.F("statement"),
                name="claim_reach_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["statement"], name="claim_statement_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["-created_at", "-id"], name="claim_newest_idx"),
        ),
        migrations.RunPython(count_reach, migrations.RunPython.noop),
        PostgresOnlySQL(
            "CREATE INDEX claims_claim_statement_fts ON claims_claim"
            " USING gin (to_tsvector('russian'::regconfig, statement));",
            "DROP INDEX IF EXISTS claims_claim_statement_fts;",
        ),
    ]
