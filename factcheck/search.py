"""Search helpers shared by the desk's article and claim searches.

On PostgreSQL, searches are full-text (``django.contrib.postgres.search``) against an index:

- articles carry a ``search_vector`` column that exists only on PostgreSQL (it is not a model
  field, so no page ever loads it), filled by a trigger on every insert and on every update
  of the title, body or language, whatever path writes the row (save, bulk_create, the
  admin), with a GIN index. Its text-search configuration follows the article's language:
  ``english`` for en, ``russian`` for ru and uk (PostgreSQL has no Ukrainian configuration;
  the Russian stemmer is the closest), ``simple`` otherwise. See the migration
  ``articles/migrations/*_article_search_vector.py``.
- claims have no language: their statements are indexed with an expression GIN index on
  ``to_tsvector('russian', statement)``. PostgreSQL's ``russian`` configuration stems
  Cyrillic words with the Russian stemmer and Latin-script words with the English one, so
  "congratulations" finds "congratulated" and "Путіна" finds "Путін".

Queries use ``websearch_to_tsquery`` (quoted phrases, ``or``, ``-word``), so word order is
free. On SQLite (``make run``) a search is the word-wise AND of case-insensitive substring
matches: slow on a big archive but enough for development.
"""

import re
from contextlib import contextmanager

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection, transaction
from django.db.models import Expression, Func, Q

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8  # the SQLite fallback ANDs one LIKE per word
# Text-search configurations for queries: documents are indexed with ``english`` (en),
# ``russian`` (ru, uk) or ``simple`` (anything else). A query parsed with ``russian`` stems
# Latin words exactly as ``english`` does, so two parses match every document.
QUERY_CONFIGS = ("russian", "simple")
CLAIM_CONFIG = "russian"

_WORD = re.compile(r"\w+")


def without_nul(text) -> str:
    """Free text (a comment) without NUL, which PostgreSQL refuses; nothing else changed."""
    return str(text or "").replace("\x00", "").strip()


def clean_query(text) -> str:
    """A search term safe for any database: no NUL (PostgreSQL refuses it even as a parameter)
    or other control characters, whitespace collapsed, at most ``MAX_QUERY_LENGTH`` characters.
    Every search of the desk goes through here."""
    text = "".join(ch if ch.isprintable() else " " for ch in without_nul(text))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def words(text: str) -> list[str]:
    """The words of a cleaned query (the SQLite fallback and the prefix search use them)."""
    return _WORD.findall(text)[:MAX_WORDS]


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def prefer_index(active: bool = True):
    """Queries inside use the full-text GIN index even for a common word.

    PostgreSQL's planner prices ``search_vector @@ query`` on a sequential scan as cheap, but
    every row it tests means reading and decompressing a vector of tens of KB (about 0.3 ms):
    a word in half of 20,000 articles costs seconds that way and milliseconds through the
    index, whose matches need no second look at the row. So, for these queries only,
    sequential scans are priced out (``SET LOCAL`` in a transaction of their own). Does
    nothing unless ``active`` (a search was asked for) and on PostgreSQL."""
    if not (active and is_postgres()):
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
        try:
            yield
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', 'on', true)")


def websearch(text: str, configs: tuple[str, ...] = QUERY_CONFIGS) -> SearchQuery:
    """``text`` as a web-style full-text query, parsed once per configuration and OR-ed, so
    that it matches documents indexed with any of ``configs``."""
    query = SearchQuery(text, config=configs[0], search_type="websearch")
    for config in configs[1:]:
        query = query | SearchQuery(text, config=config, search_type="websearch")
    return query


def prefix_query(text: str, config: str = CLAIM_CONFIG) -> SearchQuery | None:
    """Every word of ``text`` as a prefix (``putin & congrat:*``), for type-ahead; None when
    ``text`` has no word. Words are reduced to letters and digits, so no tsquery syntax can
    slip through."""
    terms = words(text)
    if not terms:
        return None
    raw = " & ".join(f"{term}:*" for term in terms)
    return SearchQuery(raw, config=config, search_type="raw")


def all_words_in(fields: list, text: str) -> Q:
    """The SQLite fallback: every word of ``text`` in one of ``fields`` (case-insensitive).
    Text without any word matches nothing, as on PostgreSQL."""
    condition = Q(pk__in=[]) if not words(text) else Q()
    for word in words(text):
        either = Q()
        for field in fields:
            either |= Q(**{f"{field}__icontains": word})
        condition &= either
    return condition


class TableColumn(Expression):
    """A column of the queried table that is not a model field (``search_vector``)."""

    output_field = SearchVectorField()

    def __init__(self, column: str):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name(alias)}.{connection.ops.quote_name(self.column)}", []


class ClaimVector(Func):
    """``to_tsvector('russian', statement)``: exactly the expression of the claims' GIN index
    (written out, not ``SearchVector``, whose COALESCE and cast would not match the index)."""

    template = f"to_tsvector('{CLAIM_CONFIG}'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()

    def __init__(self, expression="statement"):
        super().__init__(expression, output_field=SearchVectorField())
