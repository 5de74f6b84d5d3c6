"""The public site's reads: published revisions only, never live desk rows.

(docs/architecture.md, "Publishing".) A claim is on the public site once it has a published
revision; every public page — home, search, a fact check, its JSON-LD, the feed, the
sitemap — renders the claim's latest revision, which nothing changes after it is written.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from itertools import pairwise

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from claims.models import ClaimRedirect, Page, PublishedRevision, Rating
from claims.selectors.published import APPEARANCES_SHOWN, Appearance, _JSONSlice, appearance
from factcheck import search
from factcheck.search import clean_query
from public.cards import CARD_FIELDS
from public.models import SearchWord

# Appearances per page of "show all" (thousands of articles for a viral claim); the page
# itself shows the first APPEARANCES_SHOWN (claims.selectors.published).
APPEARANCES_PER_PAGE = 100
# A revision never changes: its first appearances are kept this long (the timeout only
# bounds memory).
FIRST_ENTRIES_TIMEOUT = 24 * 60 * 60


def current_revisions():
    """The latest revision of every published claim, without the heavy JSON columns."""
    return PublishedRevision.objects.current().defer("appearances", "evidence", "summary_html")


NEWEST_FIRST = ("-first_published_at", "-pk")
_LIST_SQL = """
    SELECT id, {columns}{rank} FROM claims_publishedrevision
    WHERE {current}{conditions}
    ORDER BY {order}first_published_at DESC, id DESC
    LIMIT %s OFFSET %s"""


@lru_cache(maxsize=1)
def _current_condition() -> tuple[str, tuple]:
    """``PublishedRevision.objects.current()``'s condition as SQL and its parameters, compiled
    once per process: the list's statement reads the rule of what the public reads, never
    writes it again."""
    query = PublishedRevision.objects.current().query
    sql, params = query.get_compiler(using=DEFAULT_DB_ALIAS).compile(query.where)
    return sql, tuple(params)


def search_fact_checks(query: str = "", rating: str = "", *, start: int = 0, stop: int = 100):
    """Published fact checks from ``start`` to ``stop`` (excluded) matching ``query`` and
    ``rating``, with the columns their cards read (``public.cards.CARD_FIELDS``): most of the
    query's words in the statement or a wording as published, or every word anywhere in the
    fact check (``factcheck.search.published_match``), current revisions only, through one
    index; the most similar first, then the newest. What the desk has not published finds
    nothing.

    One statement in plain SQL (``_LIST_SQL``), except a search on SQLite, which has no
    vector (``factcheck.search.published_matches``): a drawn search or list is on the public
    site's hot path, and building the same query through the ORM took longer than
    PostgreSQL takes to answer it (bench/site.py, "drawn: search")."""
    query = clean_query(query)
    rating = rating if rating in Rating.values else ""
    if query and not search.is_postgres():
        revisions = search.published_matches(current_revisions().only(*CARD_FIELDS), query)
        if rating:
            revisions = revisions.filter(rating=rating)
        return list(revisions.order_by("-rank", *NEWEST_FIRST)[start:stop])
    match = search.published_match(query) if query else None
    if query and match is None:  # only stop words: no word counts, nothing matches
        return []
    sql, params = list_sql(match, rating)
    return list(PublishedRevision.objects.raw(sql, [*params, stop - start, start]))


def published_count(rating: str) -> int:
    """How many fact checks are published with ``rating``."""
    return PublishedRevision.objects.current().filter(rating=rating).count()


def list_sql(match: search.PublishedMatch | None, rating: str) -> tuple[str, list]:
    """``search_fact_checks``' statement and its parameters but the last two (how many rows,
    from which): current revisions with their cards' columns, of ``rating`` when given, that
    ``match`` (PostgreSQL) when given, ranked by it."""
    current, current_params = _current_condition()
    conditions, params = [], list(current_params)
    if match is not None:
        conditions.append(match.condition)
        params.extend(match.condition_params)
    if rating:
        conditions.append("rating = %s")
        params.append(rating)
    sql = _LIST_SQL.format(
        current=current,
        columns=", ".join(CARD_FIELDS),
        rank=f", {match.rank} AS rank" if match else "",
        conditions="".join(f" AND {condition}" for condition in conditions),
        order="rank DESC, " if match else "",
    )
    return sql, [*(match.rank_params if match else []), *params]


def spelling_corrected(query: str) -> str:
    """``query`` with each word the published fact checks do not hold replaced by the closest
    one they do (``factcheck.search.close_spelling``: "Putn congratulted" → "putin
    congratulated"); ``query`` itself when no word needs it or none is close. One query: a
    word's candidates through the vocabulary's trigram index (PostgreSQL), or those with its
    first letter (SQLite)."""
    typed = search.words(clean_query(query).casefold())
    asked = {
        word
        for word in typed
        if len(word) >= search.FUZZY_MIN_LENGTH and word not in search.STOP_WORDS
    }
    if not asked:
        return query
    candidates = _candidates(sorted(asked))
    corrected = {
        word: closest
        for word in asked
        if word not in candidates[word]  # a known word is not misspelt
        and (closest := search.close_spelling(word, candidates[word]))
    }
    if not corrected:
        return query
    return " ".join(corrected.get(word, word) for word in typed)


def _candidates(words: list[str]) -> dict[str, set[str]]:
    found = {word: set() for word in words}
    if search.is_postgres():
        # pg_trgm's ``%`` (similarity ≥ 0.3) through the index; the word itself when known.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT q.word, w.word FROM unnest(%s::text[]) AS q(word)"
                " CROSS JOIN LATERAL (SELECT word FROM public_searchword"
                " WHERE word %% q.word ORDER BY word <-> q.word LIMIT 20) w",
                [words],
            )
            for word, known in cursor.fetchall():
                found[word].add(known)
        return found
    first = Q()
    for word in words:
        first |= Q(word__startswith=word[0])
    for known in SearchWord.objects.filter(first).values_list("word", flat=True):
        for word in words:
            if known[0] == word[0]:
                found[word].add(known)
    return found


# The published state, read on every public request (the whole cost of a page the server
# kept: docs/architecture.md, "Public pages and the cache"): plain SQL on two indexes, since
# building the same query through the ORM takes longer than the database takes to answer it.
# "published_revision_id IS NOT NULL" is Claim.objects.published() in SQL; a test
# (tests/public/test_public_cache.py) holds both readings to the same answer.
_SITE_STATE_SQL = """
    SELECT s.n, s.last_id, r.published_at
    FROM (SELECT COUNT(*) AS n, MAX(published_revision_id) AS last_id
          FROM claims_claim WHERE published_revision_id IS NOT NULL) s
    LEFT JOIN claims_publishedrevision r ON r.id = s.last_id"""
_CLAIM_STATE_SQL = """
    SELECT r.id, r.published_at
    FROM claims_claim c JOIN claims_publishedrevision r ON r.id = c.published_revision_id
    WHERE c.slug = %s"""


def _one_row(sql: str, params=()) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def as_aware(value) -> datetime | None:
    """A date read by plain SQL: SQLite answers with text, in UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def site_state() -> dict:
    """How many fact checks are published (``n``), the newest current revision's id
    (``last_id``) and date (``last_at``): one of them changes whenever anything on the home
    page, the feed or the sitemap may change (a publish adds a newer revision, a merge or a
    deletion lowers the count). One query: an index-only count and a primary-key read."""
    n, last_id, last_at = _one_row(_SITE_STATE_SQL)
    return {"n": n, "last_id": last_id, "last_at": as_aware(last_at)}


def redirect_for_slug(slug: str) -> str | None:
    """Where a merged claim's old public address leads: the surviving claim's page."""
    target = ClaimRedirect.objects.filter(slug=slug).values_list("claim__slug", flat=True).first()
    return reverse("claim_public", args=[target]) if target else None


def claim_state(slug: str) -> tuple[int, datetime] | None:
    """The id and date of the claim's current revision; None when it is unpublished."""
    row = _one_row(_CLAIM_STATE_SQL, [slug])
    return row and (row[0], as_aware(row[1]))


@dataclass
class FactCheckPage:
    """A fact check's public page. What only the page's kept part shows (everything below
    its kicker, drawn once per revision, language and page: public/claim.html) is read on
    first use, so a page drawn with that part kept reads the revision's row and nothing else:
    the first appearances, the update log, the statement's language."""

    revision: PublishedRevision
    appearance_total: int
    language: str = ""  # the page's
    listed: list[Appearance] | None = None  # a page of "show all"; None: the first ones

    @cached_property
    def first_appearances(self) -> list[Appearance]:
        """The first APPEARANCES_SHOWN: the origin, the JSON-LD, the page's list."""
        return [appearance(e) for e in _first_entries(self.revision.pk)]

    @property
    def first_appearance(self) -> Appearance | None:
        return self.first_appearances[0] if self.first_appearances else None

    @property
    def appearances(self) -> list[Appearance]:
        """Those the page lists."""
        return self.first_appearances if self.listed is None else self.listed

    @property
    def more_appearances(self) -> int:
        return self.appearance_total - len(self.appearances)

    @cached_property
    def updates(self) -> list[PublishedRevision]:
        """The update log, newest first: none before a second revision (most fact checks),
        so no query for it."""
        revision = self.revision
        if revision.number == 1:
            return []
        history = list(
            PublishedRevision.objects.filter(claim_id=revision.claim_id)
            .defer("appearances", "evidence", "summary_html", "summary_text")
            .order_by("number")
        )
        updates = []
        for previous, later in pairwise(history):
            if later.shows_in_update_log:
                later.previous = previous
                updates.append(later)
        return updates[::-1]

    # The claim as the reader reads it: its wording in the page's language when the desk
    # gave one (ClaimWording, frozen in the revision), else the statement as published.
    @property
    def statement(self) -> str:
        return claim_in_language(self.revision, None, self.language)[0]

    @property
    def statement_language(self) -> str:
        """The statement's language when known ("" unknown)."""
        return claim_in_language(self.revision, self.first_appearance, self.language)[1]

    @property
    def in_original(self) -> bool:
        """Shown in the original language, not the page's."""
        return claim_in_language(self.revision, self.first_appearance, self.language)[2]


def claim_in_language(revision, first: Appearance | None, language: str) -> tuple[str, str, bool]:
    """(text, its language, whether it is the original shown instead of ``language``): the
    revision's wording in ``language`` when given, else its statement, whose language is
    taken to be its first appearance's article's."""
    wording = (revision.wordings or {}).get(language)
    if wording:
        return wording, language, False
    original = (first.language if first else "") or ""
    base = original.split("-")[0].lower()
    return revision.statement, original, bool(base) and base != language.split("-")[0]


def fact_check_page(
    slug: str, *, appearances_page: int | None = None, language: str = ""
) -> FactCheckPage | None:
    """A fact check's public page: its current revision's row (one query), the rest read on
    first use (``FactCheckPage``); None when unpublished.
    The page lists the first APPEARANCES_SHOWN appearances, or with ``appearances_page``
    (from 1) that page of APPEARANCES_PER_PAGE; only those leave the database."""
    # The JSON is read once per slice (each slice decompresses it whole: megabytes for a
    # viral claim). The first entries, which every page of the fact check shows, are read
    # once per revision and kept (a revision never changes).
    slices = {}
    if appearances_page is not None:
        start = (appearances_page - 1) * APPEARANCES_PER_PAGE
        slices["listed_entries"] = _JSONSlice("appearances", start, start + APPEARANCES_PER_PAGE)
    # One row at most (a claim has one current revision): read unordered.
    rows = PublishedRevision.objects.current(slug).defer("appearances").annotate(**slices)
    revision = next(iter(rows.order_by()[:1]), None)
    if revision is None:
        return None
    return FactCheckPage(
        revision=revision,
        appearance_total=revision.article_count,
        language=language,
        listed=(
            [appearance(e) for e in revision.listed_entries]
            if appearances_page is not None
            else None
        ),
    )


def _first_entries(revision_id: int) -> list[dict]:
    """A revision's first APPEARANCES_SHOWN appearances: read (one query) once per
    revision and kept."""
    key = f"factcheck:first-appearances:{revision_id}"
    entries = cache.get(key)
    if entries is None:
        entries = (
            PublishedRevision.objects.filter(pk=revision_id)
            .values_list(_JSONSlice("appearances", 0, APPEARANCES_SHOWN), flat=True)
            .get()
        )
        cache.set(key, entries, FIRST_ENTRIES_TIMEOUT)
    return entries


def _in_language(rows, language: str):
    """The row in ``language``, else the default language's (LANGUAGE_CODE), else None."""
    by_language = {row[0] if isinstance(row, tuple) else row.language: row for row in rows}
    return by_language.get(language) or by_language.get(settings.LANGUAGE_CODE)


def public_page(slug: str, language: str) -> Page | None:
    """An about/methodology/ratings page in ``language``, else in the default language; None
    when an admin has deleted it. One query."""
    return _in_language(_pages(slug, language), language)


def page_updated_at(slug: str, language: str) -> tuple[str, datetime] | None:
    """The language and date of the page ``public_page`` shows (its ETag)."""
    return _in_language(_pages(slug, language).values_list("language", "updated_at"), language)


def _pages(slug: str, language: str):
    """The page in ``language`` and in the default language; an empty one (a language's
    rating scale waiting for its first approval: claims.services.pages) counts as absent."""
    languages = {language, settings.LANGUAGE_CODE}
    return Page.objects.filter(slug=slug, language__in=languages).exclude(body="")


def share_card(slug: str) -> dict | None:
    """What a fact check's share image shows, from its published revision: ``id``,
    ``statement``, ``rating``, ``published_at``; None when unpublished."""
    return (
        PublishedRevision.objects.current(slug)
        .values("id", "statement", "rating", "published_at")
        .first()
    )
