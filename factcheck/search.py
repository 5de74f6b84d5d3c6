"""Search helpers shared by the desk's article and claim searches and the public search.

On PostgreSQL, searches are full-text (``django.contrib.postgres.search``) against an index:

- articles carry a ``search_vector`` column that exists only on PostgreSQL (it is not a model
  field, so no page ever loads it), filled by a trigger on every insert and on every update
  of the title, body or language, whatever path writes the row (save, bulk_create, the
  admin), with a GIN index. Its text-search configuration follows the article's language:
  ``english`` for en, ``russian`` for ru and uk (PostgreSQL has no Ukrainian configuration;
  the Russian stemmer is the closest), ``simple`` otherwise. See the migration
  ``articles/migrations/*_article_search_vector.py``. Article queries use
  ``websearch_to_tsquery`` (quoted phrases, ``or``, ``-word``), so word order is free.
- claim statements (and the statements of published fact checks) have no language: they are
  matched by *similarity* (``similar``), served by two GIN indexes on the statement, the
  expression ``to_tsvector('russian', statement)`` and ``gin_trgm_ops`` (pg_trgm).
  PostgreSQL's ``russian`` configuration stems Cyrillic words with the Russian stemmer and
  Latin-script words with the English one (each with its stop words), so "congratulations"
  finds "congratulated" and "Путіна" finds "Путін".

Published fact checks (the public search, ``published_match``) are read through a stored
``search_vector`` of each revision instead: the statement and its wordings as published
weighted A, the claimant and summary unweighted, one GIN index, no document parsed per row.
The public search has no trigram arm: when its words find nothing it corrects them to
published words (``close_spelling``) and searches once more.

A statement is *similar* to a query when at least ``MIN_SHARE`` (60%) of the query's words
(stop words aside) are in it — by stem, in any order, not every word — or, on PostgreSQL,
when the query as typed is close to a stretch of the statement by trigrams (``%>``, pg_trgm's
``word_similarity`` ≥ its default 0.6: misspellings). Matches are ranked by that share
(``rank``). On SQLite (``make run``) the same share is computed in Python
(``statement_share``, registered as an SQL function), with the same stemmers (snowball) and
stop words, and a misspelt word counts as found when it is close to a word of the statement;
it reads every row, which is fine for development. Article search on SQLite is the word-wise
AND of case-insensitive substring matches.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, Expression, F, FloatField, Func, Q, Value
from django.db.models.functions import Coalesce, Concat

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8  # words of a query that count (the SQLite article search ANDs one LIKE each)
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


def websearch(text: str, configs: tuple[str, ...] = QUERY_CONFIGS) -> SearchQuery:
    """``text`` as a web-style full-text query, parsed once per configuration and OR-ed, so
    that it matches documents indexed with any of ``configs``."""
    query = SearchQuery(text, config=configs[0], search_type="websearch")
    for config in configs[1:]:
        query = query | SearchQuery(text, config=config, search_type="websearch")
    return query


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


# --- similarity: claims' statements --------------------------------------------------------

# At least this share of a query's words (those that count: not stop words) must be in a
# statement: the one of one, both of two, two of three, three of four or five, four of six.
MIN_SHARE = 0.6


def similar(queryset, field: str, text: str, *, prefix: bool = False):
    """The rows of ``queryset`` whose ``field`` (a statement) is similar to ``text`` (see the
    module's docstring), annotated with ``rank``: the share of the query's words found,
    0..1. ``prefix``: a word of ``text`` also finds the words it begins (type-ahead, where
    the last word is half typed). Only the first ``MAX_WORDS`` words of ``text`` are read;
    text without a word that counts matches nothing."""
    text = " ".join(words(clean_query(text)))
    terms = list(_terms(text).values())  # one word per stem, stop words left out
    if not terms:
        return queryset.annotate(rank=Value(0.0, FloatField())).none()
    matches = queryset.annotate(rank=similarity_rank(field, text, prefix=prefix))
    if not is_postgres():
        return matches.filter(rank__gte=MIN_SHARE)
    # Both arms are answered by an index, so only the rows they find are read and ranked:
    # the expression GIN index for "at least k of the n words" (every k-word combination,
    # OR-ed: at most 56 of them), pg_trgm's for a query close to the statement as typed.
    if prefix:
        terms = [f"{term}:*" for term in terms]
    query = SearchQuery(_enough(terms), config=CLAIM_CONFIG, search_type="raw")
    return matches.alias(statement_vector=ClaimVector(field)).filter(
        Q(statement_vector=query) | Q(WordSimilar(F(field), Value(text)))
    )


def _enough(terms: list[str]) -> str:
    """A raw tsquery: at least MIN_SHARE of ``terms`` (the OR of every combination of as many
    of them: at most 56 for MAX_WORDS words)."""
    needed = math.ceil(round(MIN_SHARE * len(terms), 9))  # 0.6 × 5 is 3.0000000000000004
    return " | ".join(f"({' & '.join(some)})" for some in combinations(terms, needed))


def similarity_rank(field: str, text: str, *, prefix: bool = False):
    """The ``rank`` of ``similar`` as an expression: the share of the words of ``text``
    found in ``field`` (0 when none counts)."""
    text = " ".join(words(clean_query(text)))
    return Coalesce(StatementShare(F(field), Value(text), prefix=prefix), 0.0)


class StatementShare(Func):
    """The share of a query's words found in a statement, or NULL when the query has no word
    but stop words (or the statement none at all). PostgreSQL: lexemes of
    ``to_tsvector('russian', …)`` on both sides (the statement's is the index expression);
    SQLite: ``statement_share`` in Python."""

    output_field = FloatField()
    pg_template = (
        "(SELECT count(DISTINCT q.lexeme) FILTER (WHERE %(found)s)::float8"
        " / NULLIF(count(DISTINCT q.lexeme), 0)"
        " FROM unnest(tsvector_to_array(to_tsvector(%(config)s, %(query)s))) AS q(lexeme)"
        " CROSS JOIN unnest(tsvector_to_array(to_tsvector(%(config)s, %(statement)s)))"
        " AS d(lexeme))"
    )

    def __init__(self, statement, query, *, prefix: bool = False, close: bool = True):
        super().__init__(statement, query, output_field=FloatField())
        self.prefix, self.close = prefix, close

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function=SQLITE_SHARE,
            template=f"%(function)s(%(expressions)s, {int(self.prefix)}, {int(self.close)})",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        statement, statement_params = compiler.compile(self.source_expressions[0])
        query, query_params = compiler.compile(self.source_expressions[1])
        sql = self.pg_template % {
            "found": "starts_with(d.lexeme, q.lexeme)" if self.prefix else "d.lexeme = q.lexeme",
            "config": f"'{CLAIM_CONFIG}'::regconfig",
            "statement": statement,
            "query": query,
        }
        return sql, (*statement_params, *query_params)


class WordSimilar(Func):
    """PostgreSQL only: ``statement %> query`` — pg_trgm's ``word_similarity(query,
    statement)`` at least ``pg_trgm.word_similarity_threshold`` (0.6), through the trigram
    index."""

    arg_joiner = " %%> "
    template = "%(expressions)s"
    output_field = BooleanField()


# --- the public search: published revisions ----------------------------------------------
#
# On PostgreSQL a revision's words are in its stored ``search_vector`` (migration
# ``claims 0021_public_search``): the statement and the wordings weighted A, the claimant and
# the summary unweighted, all through ``to_tsvector('russian', …)``, in one GIN index partial
# on ``is_current``. A revision never changes, so the vector is written once, with it.


@dataclass(frozen=True)
class PublishedMatch:
    """SQL for one table (``claims_publishedrevision``, unaliased), with its parameters."""

    condition: str
    condition_params: list[str]
    rank: str
    rank_params: list[str]


def _query_terms(text: str) -> list[str]:
    """The stems of the words of a public search that count (no stop words), each once."""
    return list(_terms(" ".join(words(clean_query(text)))).values())


def published_match(text: str) -> PublishedMatch | None:
    """The public search's rule for ``text`` on PostgreSQL, as SQL over a published
    revision's ``search_vector``: MIN_SHARE of the query's words (by stem, in any order) in the
    statement or a wording (weight A), or every word anywhere in the revision (statement,
    wordings, claimant, summary). Its ``rank`` is the share of the words in the statement or a
    wording. None when no word counts. Close spellings are not tried here: the public search
    tries them when the words find nothing (``close_spelling``). The condition is answered by
    the vector's index and the rank reads the same vector, so no document is parsed per row.
    (SQLite: ``published_matches``.)"""
    terms = _query_terms(text)
    if not terms:
        return None
    quoted = [f"'{term}'" for term in terms]  # words (\w+): no quote inside
    headline = [f"{term}:A" for term in quoted]
    either = f"{_enough(headline)} | ({' & '.join(quoted)})"
    matches = f"search_vector @@ to_tsquery('{CLAIM_CONFIG}'::regconfig, %s)"
    return PublishedMatch(
        condition=matches,
        condition_params=[either],
        rank=f"(({' + '.join([f'({matches})::int'] * len(headline))})::float8 / {len(headline)})",
        rank_params=headline,
    )


def published_matches(queryset, text: str):
    """SQLite (``make run``): the published revisions of ``queryset`` that match ``text``
    by ``published_match``'s rule, annotated with the same ``rank``, computed with
    ``statement_share`` and substrings."""
    terms = _query_terms(text)
    if not terms:
        return queryset.annotate(rank=Value(0.0, FloatField())).none()
    text = " ".join(terms)
    every = all_words_in(["statement", "wordings_text", "claimant", "summary_text"], text)
    headline = Concat(F("statement"), Value("\n"), F("wordings_text"))
    share = StatementShare(headline, Value(text), close=False)
    return queryset.annotate(rank=Coalesce(share, 0.0)).filter(Q(rank__gte=MIN_SHARE) | every)


# The words that count (both databases), and the SQLite fallback --------------------------
#
# PostgreSQL's stop words of its ``english`` and ``russian`` configurations (Snowball's
# lists), so that both databases count the same words.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don
    should now
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее
    мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть
    был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть
    надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда
    кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее
    сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над
    больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо
    свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между
    """.split()  # noqa: SIM905 - a list literal of 278 strings is harder to check
)
SQLITE_SHARE = "factcheck_statement_share"
# A misspelt word (SQLite): at least this long, the same first letter, and this close.
FUZZY_MIN_LENGTH = 4
FUZZY_RATIO = 0.8

_STEMMERS = {
    "latin": snowballstemmer.stemmer("english"),  # as PostgreSQL's russian configuration does
    "other": snowballstemmer.stemmer("russian"),
}


@lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    script = "latin" if word.isascii() else "other"
    return _STEMMERS[script].stemWord(word)


@lru_cache(maxsize=20_000)
def _terms(text: str) -> dict[str, str]:
    """The words of ``text`` that count, lowercased and without stop words → their stems."""
    found = {}
    for word in _WORD.findall(text.casefold()):
        if word not in STOP_WORDS:
            found.setdefault(_stem(word), word)
    return found


@lru_cache(maxsize=100_000)
def _close(word: str, other: str) -> bool:
    """A misspelling of ``other``: "putn" of "putin", "congratulted" of "congratulated"."""
    return (
        len(word) >= FUZZY_MIN_LENGTH
        and word[0] == other[0]
        and abs(len(word) - len(other)) <= 2
        and SequenceMatcher(None, word, other, autojunk=False).ratio() >= FUZZY_RATIO
    )


def _found(stem: str, word: str, statement: dict[str, str], prefix: bool, close: bool) -> bool:
    if stem in statement:
        return True
    return any(
        (prefix and (other_stem.startswith(stem) or other.startswith(word)))
        or (close and _close(word, other))
        for other_stem, other in statement.items()
    )


def statement_share(
    statement: str | None, query: str | None, prefix: int = 0, close: int = 1
) -> float | None:
    """SQLite's ``StatementShare``: the share of the words of ``query`` found in
    ``statement``, by stem (as a prefix with ``prefix``) or, with ``close``, as a close
    spelling; None when either has no word that counts."""
    ours, theirs = _terms(statement or ""), _terms(query or "")
    if not (ours and theirs):
        return None
    hits = sum(_found(stem, word, ours, bool(prefix), bool(close)) for stem, word in theirs.items())
    return hits / len(theirs)


def known_words(text: str) -> set[str]:
    """The words of ``text`` a misspelt query may be corrected to: case-folded, not stop
    words, not numbers, at least FUZZY_MIN_LENGTH - 2 letters (``_close`` allows two)."""
    return {
        word
        for word in _WORD.findall(text.casefold())
        if len(word) >= FUZZY_MIN_LENGTH - 2 and not word.isdigit() and word not in STOP_WORDS
    }


def close_spelling(word: str, known: Iterable[str]) -> str | None:
    """The word of ``known`` that ``word`` (a query's word, case-folded) is a misspelling of:
    the closest of those ``_close`` to it, or None. The public search's second try."""
    close = [other for other in known if other != word and _close(word, other)]
    return max(
        close,
        key=lambda other: (SequenceMatcher(None, word, other, autojunk=False).ratio(), other),
        default=None,
    )


def install_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver (factcheck.apps): SQLite learns ``statement_share``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_SHARE, 4, statement_share, deterministic=True)
