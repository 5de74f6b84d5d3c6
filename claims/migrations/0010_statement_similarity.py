"""Similarity search of statements (docs/architecture.md, "Search"): pg_trgm and a trigram GIN
index on claims' statements; the published statements get the same two indexes as claims
(full-text and trigram) for the public search. All of it is a no-op on SQLite.

pg_trgm is a trusted extension: the database's owner may create it without being a superuser.
The full-text expression must stay identical to ``factcheck.search.ClaimVector``.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from factcheck.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_claimant_type")]

    operations = [
        TrigramExtension(),
        PostgresOnlySQL(
            "CREATE INDEX claims_claim_statement_trgm ON claims_claim"
            " USING gin (statement gin_trgm_ops);",
            "DROP INDEX IF EXISTS claims_claim_statement_trgm;",
        ),
        PostgresOnlySQL(
            "CREATE INDEX claims_revision_statement_fts ON claims_publishedrevision"
            " USING gin (to_tsvector('russian'::regconfig, statement));",
            "DROP INDEX IF EXISTS claims_revision_statement_fts;",
        ),
        PostgresOnlySQL(
            "CREATE INDEX claims_revision_statement_trgm ON claims_publishedrevision"
            " USING gin (statement gin_trgm_ops);",
            "DROP INDEX IF EXISTS claims_revision_statement_trgm;",
        ),
    ]
