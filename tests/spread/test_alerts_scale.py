"""Resurfacing alerts under many editors: an appearance is a row appended to the open batch,
so a save rewrites and locks nothing that other saves write, and costs the same queries
however many appearances the batch has gathered (docs/architecture.md, "Claim spread")."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import PublishedRevision
from spread import alerts
from spread.models import Resurfacing, ResurfacingAppearance
from tests import factories
from tests.claims.helpers import first_word_highlight, publish

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: PostgreSQL only"
)

# A save of a highlight on a published claim whose batch is open: the article's text under
# its lock, the claim under its lock, the highlight, the reach recount (lock + update), the
# claim and its revision's date, the article's outlet, the open batch, the appearance's
# row, the claim marked changed, the history entry: 11, and a savepoint and its release
# (the test's transaction turns the service's durable transaction into a savepoint).
SAVE_QUERIES = 11 + 2


@pytest.fixture
def published(db):
    claim = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    publish(claim, at=timezone.now() - timedelta(days=2))
    claim.refresh_from_db()
    return claim


def _article(outlet: str):
    return factories.ArticleFactory(
        outlet=factories.OutletFactory(name=outlet), published_on=timezone.localdate()
    )


def test_an_appearance_is_a_row_appended_and_the_batch_row_is_left_alone(published, editor):
    first = first_word_highlight(published, editor, _article("Outlet A"))
    batch = Resurfacing.objects.get()
    with CaptureQueriesContext(connection) as queries:
        second = first_word_highlight(published, editor, _article("Outlet B"))
    table = Resurfacing._meta.db_table
    writes = [
        q["sql"]
        for q in queries
        if f'UPDATE "{table}"' in q["sql"]
        or (f'FROM "{table}"' in q["sql"] and "FOR UPDATE" in q["sql"])
    ]
    assert writes == []  # the batch is neither rewritten nor locked against other writers
    entries = list(batch.entries.all())
    assert [(e.annotation_id, e.outlet, e.url) for e in entries] == [
        (first.pk, "Outlet A", first.get_absolute_url()),
        (second.pk, "Outlet B", second.get_absolute_url()),
    ]
    assert Resurfacing.objects.get() == batch


def test_a_save_costs_the_same_queries_with_2_and_40_appearances_in_the_batch(
    published, editor, django_assert_num_queries
):
    first_word_highlight(published, editor, _article("Outlet 0"))
    article = _article("Outlet 1")
    with django_assert_num_queries(SAVE_QUERIES):
        first_word_highlight(published, editor, article)
    for n in range(2, 40):
        first_word_highlight(published, editor, _article(f"Outlet {n}"))
    article = _article("Outlet 40")
    with django_assert_num_queries(SAVE_QUERIES):
        first_word_highlight(published, editor, article)
    assert ResurfacingAppearance.objects.filter(batch__claim=published).count() == 41


def test_the_activity_feed_reads_the_batches_in_one_query(
    published, editor, django_assert_num_queries
):
    for n in range(3):
        first_word_highlight(published, editor, _article(f"Outlet {n}"))
    with django_assert_num_queries(1):
        entries = list(alerts.activity_entries(10))
    assert len(entries) == 1
    assert "Outlet 0, Outlet 1, Outlet 2 (3 new appearances" in entries[0].text


def _in_thread(work):
    """``work()`` on its own connection, in a thread; returns (thread, result holder)."""
    result = {}

    def run():
        try:
            result["value"] = work()
        except Exception as error:  # reported by the test
            result["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_sender_leaves_a_batch_that_a_save_is_adding_to(roles_after_flush, published, editor):
    first_word_highlight(published, editor, _article("Outlet A"))
    batch = Resurfacing.objects.get()
    later = batch.due_at + timedelta(seconds=1)
    with transaction.atomic():
        assert alerts._open_batch(published.pk) == batch  # a writer adding to it, not done
        thread, result = _in_thread(lambda: alerts.resurfacing_send_due(now=later))
        thread.join(timeout=30)
        assert result == {"value": 0}  # not sent: an appearance may still join it
    thread, result = _in_thread(lambda: alerts.resurfacing_send_due(now=later))
    thread.join(timeout=30)
    assert result == {"value": 1}


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_a_batch_being_sent_and_opens_the_next(
    roles_after_flush, published, editor
):
    first_word_highlight(published, editor, _article("Outlet A"))
    batch = Resurfacing.objects.get()
    locked, release = threading.Event(), threading.Event()

    def sender():
        with transaction.atomic():
            row = Resurfacing.objects.select_for_update().get(pk=batch.pk)
            row.sent_at = timezone.now()
            row.save(update_fields=["sent_at"])
            locked.set()
            release.wait(timeout=30)

    thread, result = _in_thread(sender)
    assert locked.wait(timeout=30)
    timer = threading.Timer(0.5, release.set)
    timer.start()
    started = time.monotonic()
    with transaction.atomic():
        found = alerts._open_batch(published.pk)
    assert time.monotonic() - started >= 0.4  # it waited for the sender's commit …
    assert found is None  # … and does not add to the batch that was mailed
    thread.join(timeout=30)
    assert "error" not in result
    second = first_word_highlight(published, editor, _article("Outlet B"))
    new = Resurfacing.objects.get(sent_at__isnull=True)
    assert new != batch
    assert [e.annotation_id for e in new.entries.all()] == [second.pk]
    assert PublishedRevision.objects.filter(claim=published).count() == 1
