"""A GIN index on ``search_title`` (PostgreSQL only): the desk's search reads the articles whose
title matches first (``ArticleQuerySet.best_matches``), through this index for a rare word."""

from django.db import migrations

from factcheck.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_web")]

    operations = [
        PostgresOnlySQL(
            "CREATE INDEX articles_article_search_title_gin ON articles_article"
            " USING gin (search_title);",
            "DROP INDEX IF EXISTS articles_article_search_title_gin;",
        ),
    ]
