"""The embedded SQLite database (`make run`) is set up for a desk with a worker beside it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = (
    "from django.db import connection\n"
    "cursor = connection.cursor()\n"
    "print(cursor.execute('PRAGMA journal_mode').fetchone()[0],"
    " cursor.execute('PRAGMA synchronous').fetchone()[0],"
    " cursor.execute('PRAGMA busy_timeout').fetchone()[0])\n"
)


def test_the_embedded_database_reads_while_the_worker_writes(tmp_path):
    """Write-ahead logging: pages are read while an import writes (readers never wait for
    the writer), NORMAL sync, and a writer waits 20 s for the lock instead of failing."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite3'}"}
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert out.stdout.split()[-3:] == ["wal", "1", "20000"]


def test_a_backup_of_the_embedded_database_is_one_self_contained_file(tmp_path):
    """The live database logs ahead; its backup must not need a -wal file beside it."""
    import sqlite3

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite3'}"}
    target = tmp_path / "backup.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "backup", "--output", str(target)],
        cwd=ROOT, env=env, capture_output=True, check=True,
    )  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("backup")) == [
        "backup.sqlite3"
    ]
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
