"""Full-text search of articles on PostgreSQL (a no-op on SQLite).

``articles_article.search_vector`` is a tsvector column that is not a model field (no page
loads it): a trigger fills it on every insert and on every update of the title, body or
language, whatever writes the row; a GIN index serves ``@@`` queries. The title weighs more
than the body (A vs B) in ranking. Only the first 500,000 characters of a body are indexed:
a tsvector cannot exceed 1 MB, and an import of a huge file must not fail on it.
"""

from django.db import migrations

from factcheck.migration_ops import PostgresOnlySQL

FORWARDS = r"""
CREATE FUNCTION factcheck_search_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE lower(split_part(coalesce(language, ''), '-', 1))
        WHEN 'en' THEN 'english'::regconfig
        WHEN 'ru' THEN 'russian'::regconfig
        WHEN 'uk' THEN 'russian'::regconfig
        ELSE 'simple'::regconfig
    END
$$;

ALTER TABLE articles_article ADD COLUMN search_vector tsvector;

CREATE FUNCTION articles_article_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector(factcheck_search_config(NEW.language), coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector(factcheck_search_config(NEW.language), left(NEW.body, 500000)), 'B');
    RETURN NEW;
END
$$;

CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF title, body, language ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();

UPDATE articles_article SET title = title;

CREATE INDEX articles_article_search_vector_gin ON articles_article USING gin (search_vector);
"""

BACKWARDS = r"""
DROP INDEX IF EXISTS articles_article_search_vector_gin;
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector();
ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector;
DROP FUNCTION IF EXISTS factcheck_search_config(text);
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [PostgresOnlySQL(FORWARDS, BACKWARDS)]
