"""Races on a real PostgreSQL server: the marker for tests that need one, and a way to know
that one connection is waiting for a lock another transaction holds."""

import time

import pytest
from django.db import connection

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and concurrent writes need PostgreSQL"
)


def wait_until_blocked(thread, *, statement: str = "", timeout: float = 30) -> None:
    """Return once another connection waits for a lock (running ``statement``, when given:
    a LIKE pattern); fail if ``thread`` ends or ``timeout`` passes first."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while thread.is_alive() and time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND pid <> pg_backend_pid() AND query LIKE %s",
                [statement or "%"],
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail(f"no connection waited for a lock{' in ' + statement if statement else ''}")
