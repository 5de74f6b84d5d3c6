"""Searches that stay flat as the archive grows (docs/architecture.md, "Search at scale"):
the public search reads current revisions only, through the statement indexes partial on
``PublishedRevision.is_current``; the flag follows the claim's pointer through every door
that moves it; no search switches a planner setting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, PublishedRevision, statement_key
from factcheck import search
from public.selectors.pages import list_sql, search_fact_checks
from tests import factories
from tests.claims.helpers import publish, republish

pytestmark = pytest.mark.django_db
SIZE = 3000  # current revisions, and as many superseded ones
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the partial indexes are PostgreSQL's"
)


def _plan(query: str) -> str:
    """PostgreSQL's plan for the first page of the public search for ``query``."""
    sql, params = list_sql(search.published_match(query), "")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", [*params, 21, 0])
        return "\n".join(row[0] for row in cursor.fetchall())


def _current_pairs():
    pointed = set(
        Claim.objects.exclude(published_revision=None).values_list("published_revision", flat=True)
    )
    flagged = set(PublishedRevision.objects.filter(is_current=True).values_list("pk", flat=True))
    return pointed, flagged


def test_is_current_follows_the_claims_pointer():
    first = publish(factories.ClaimFactory(statement="Putin congratulated Trump")).claim
    other = publish(factories.ClaimFactory(statement="The Kremlin denied the call")).claim
    republish(first)
    republish(first)
    pointed, flagged = _current_pairs()
    assert pointed == flagged and len(flagged) == 2
    assert PublishedRevision.objects.filter(claim=first).count() == 3
    assert set(PublishedRevision.objects.current().values_list("claim", flat=True)) == {
        first.pk,
        other.pk,
    }


def test_the_public_search_finds_the_current_statement_only(client):
    claim = publish(factories.ClaimFactory(statement="Putin congratulated Trump")).claim
    Claim.objects.filter(pk=claim.pk).update(statement="Zelensky thanked Macron")
    republish(claim)
    assert [r.claim_id for r in search_fact_checks("Zelensky Macron")] == [claim.pk]
    # The superseded wording no longer finds it (its summary does not hold the words).
    assert list(search_fact_checks("congratulated")) == []
    response = client.get(reverse("home"), {"q": "Zelensky Macron"})
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert "Zelensky thanked Macron" in html


@on_postgres
def test_the_public_search_reads_current_revisions_through_partial_indexes():
    """With a few thousand fact checks and as many superseded revisions, the planner (no
    setting switched) answers the search through the stored vector's index, which holds
    current revisions only."""
    template = publish(
        factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    )
    revision = template.claim.published_revision
    # A newsroom's archive, not a handful: on a few hundred short rows a sequential scan is
    # rightly the cheapest plan, whatever the indexes.
    claims = Claim.objects.bulk_create(
        Claim(statement=(text := f"Claim number {n} about harvest {n}"), key=statement_key(text),
              slug=f"claim-number-{n}")
        for n in range(SIZE)
    )  # fmt: skip
    fields = {
        f.name: getattr(revision, f.name)
        for f in PublishedRevision._meta.concrete_fields
        if f.name not in ("id", "claim", "number", "statement", "slug", "is_current")
    }
    rows = []
    for n, claim in enumerate(claims):
        for number, current in ((1, False), (2, True)):
            rows.append(
                PublishedRevision(
                    **fields,
                    claim=claim,
                    number=number,
                    is_current=current,
                    slug=claim.slug,
                    statement=f"Claim number {n} about harvest {n} v{number}",
                )  # fmt: skip
            )
    made = PublishedRevision.objects.bulk_create(rows, batch_size=1000)
    for claim, current in zip(claims, made[1::2], strict=True):
        claim.published_revision = current
    Claim.objects.bulk_update(claims, ["published_revision"], batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_publishedrevision")
    with CaptureQueriesContext(connection) as queries:
        plan = _plan("Putin sent congratulations")
    # One index, and no document parsed per row: to_tsvector appears only in the vector's
    # definition, the statement and the summary are never read by the condition.
    assert "Bitmap Index Scan on claims_revision_search" in plan, plan
    assert "to_tsvector" not in plan and "~~" not in plan and "%>" not in plan, plan
    assert not any("set_config" in q["sql"] for q in queries.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'claims_publishedrevision'"
            " AND indexdef LIKE '%%USING gin%%'"
        )
        definitions = [row[0] for row in cursor.fetchall()]
    assert len(definitions) == 1 and "(search_vector)" in definitions[0]
    assert "WHERE is_current" in definitions[0]
    assert "fastupdate=off" in definitions[0].replace("'", "")
    found = [r.statement for r in search_fact_checks("Putin sent congratulations")]
    assert found == ["Putin congratulated Trump via intermediaries"]


@on_postgres
def test_the_connection_prices_random_reads_for_memory_so_common_words_use_the_index():
    """``DATABASE_RANDOM_PAGE_COST`` (1.1, PostgreSQL's advice for SSD) is set on every
    connection (factcheck/settings.py): a search for two common words over a modest archive
    reads the index. With the server's default (4) the bench archive's 1,765 fact checks
    were read whole (bench/site.py, "drawn: search": 0.8 ms of SQL against 0.2)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == 1.1
    template = publish(factories.ClaimFactory(statement="Putin congratulated Trump")).claim
    revision = template.published_revision
    names = ["Putin", "Trump", "Ukraine", "Kremlin", "Biden", "Macron", "Scholz"]
    claims = Claim.objects.bulk_create(
        Claim(statement=(text := f"{names[n % 7]} called {names[n * 3 % 7]} about {n}"),
              key=statement_key(text), slug=f"called-{n}")
        for n in range(1500)
    )  # fmt: skip
    fields = {
        f.name: getattr(revision, f.name)
        for f in PublishedRevision._meta.concrete_fields
        if f.name not in ("id", "claim", "number", "statement", "slug", "is_current")
    }
    made = PublishedRevision.objects.bulk_create(
        (PublishedRevision(**fields, claim=c, number=1, is_current=True, slug=c.slug,
                           statement=c.statement) for c in claims),
        batch_size=1000,
    )  # fmt: skip
    for claim, current in zip(claims, made, strict=True):
        claim.published_revision = current
    Claim.objects.bulk_update(claims, ["published_revision"], batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_publishedrevision")
    plan = _plan("Putin Trump")
    assert "Bitmap Index Scan on claims_revision_search" in plan, plan
