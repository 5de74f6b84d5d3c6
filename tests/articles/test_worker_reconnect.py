"""The worker survives a database restart (issue 24, finding 9): its connection is killed
while new connections are refused, as during a restart, and once the database is back it
runs the next import. Before, db_worker raised and the worker exited."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from articles.models import ImportBatch
from tests.articles.test_background_import import DATABASE_TASKS, stored_batch
from tests.races import postgres_only


def _other_backends(cursor) -> list[int]:
    cursor.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
    )
    return [row[0] for row in cursor.fetchall()]


def _allow_connections(allow: bool) -> None:
    """ALTER DATABASE from the server's maintenance database (not on the test database's
    own connection, which PostgreSQL refuses)."""
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    ) as maintenance:
        maintenance.execute(
            f'ALTER DATABASE "{db["NAME"]}" ALLOW_CONNECTIONS {"true" if allow else "false"}'
        )


def _until(check, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_the_worker_reconnects_after_the_database_restarts(admin_user, tmp_path):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "worker", "--interval", "0.2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with connection.cursor() as cursor:
            assert _until(lambda: _other_backends(cursor)), "the worker never connected"
            # The restart: nobody may connect, and the worker's connection is cut.
            _allow_connections(False)
            for pid in _other_backends(cursor):
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            time.sleep(2)  # the worker tries, and fails, to reconnect meanwhile
            assert worker.poll() is None, worker.stdout.read()
            _allow_connections(True)
        with override_settings(TASKS=DATABASE_TASKS):
            from articles.tasks import import_batch

            batch = stored_batch(admin_user)
            import_batch.enqueue(batch.pk)

        def done():
            batch.refresh_from_db()
            return batch.status == ImportBatch.Status.DONE

        assert _until(done, timeout=60), "the worker did not run the import after the restart"
        assert batch.imported == 3
        assert worker.poll() is None
    finally:
        _allow_connections(True)
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert "Database unavailable" in output
