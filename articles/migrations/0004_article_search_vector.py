"""Full-text search of articles on PostgreSQL (a no-op on SQLite).

Two tsvector columns that are not model fields (no page loads them), filled by a trigger on
every insert and on every update of the title, body or language, whatever writes the row:

- ``search_vector``, title (weight A) and body (B), with a GIN index: what matches.
- ``search_title``, the title alone: what ranks. Ranking by the whole vector reads every
  matching article's vector (tens of KB each, about 0.3 ms apiece), too slow when a common
  word matches half the archive; the title's vector is a few hundred bytes.

Only the first 500,000 characters of a body are indexed: a tsvector cannot exceed 1 MB, and
an import of a huge file must not fail on it.
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
ALTER TABLE articles_article ADD COLUMN search_title tsvector;

CREATE FUNCTION articles_article_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_title := to_tsvector(factcheck_search_config(NEW.language), coalesce(NEW.title, ''));
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
ALTER TABLE articles_article DROP COLUMN IF EXISTS search_title;
DROP FUNCTION IF EXISTS factcheck_search_config(text);
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_import_batch_progress_and_uploads")]

    operations = [PostgresOnlySQL(FORWARDS, BACKWARDS)]
