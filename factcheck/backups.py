"""Backups of the database (README, "Backups"): SQLite through its online backup API,
PostgreSQL through pg_dump's custom format and pg_restore.

pg_dump must be of the server's major version or newer: PG_BIN names the folder of the
PostgreSQL programs to use (e.g. /usr/lib/postgresql/17/bin); unset, they are looked up on
PATH. Only the database is backed up: files waiting in MEDIA_ROOT for an import are not.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.cache import cache
from django.core.management.base import CommandError
from django.db import connections

SQLITE, POSTGRESQL = "sqlite", "postgresql"


def engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in {SQLITE, POSTGRESQL}:
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def suffix(alias: str = "default") -> str:
    return ".sqlite3" if engine(alias) == SQLITE else ".dump"


def backup(path: Path, alias: str = "default") -> None:
    if engine(alias) == SQLITE:
        connection = connections[alias]
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
            # The live database logs ahead (WAL); the backup is one self-contained file.
            target.execute("PRAGMA journal_mode=DELETE")
        target.close()
    else:
        _run("pg_dump", "--format=custom", "--no-owner", f"--file={path}", alias=alias)


def restore(path: Path, alias: str = "default") -> None:
    """Replace the database's contents with the backup's."""
    if not path.is_file():
        raise CommandError(f"No backup file at {path}.")
    if engine(alias) == SQLITE:
        connection = connections[alias]
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise CommandError(f"{path} is not an SQLite backup: {exc}") from None
        finally:
            source.close()
    else:
        connections[alias].close()
        _run(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(path),
            alias=alias,
            database_flag="--dbname",
        )
    # Pages kept by the server are keyed by the published state (ids and dates); after a
    # restore, ids are handed out again. A shared cache forgets them here; a worker's own
    # memory goes when the app, stopped for the restore, starts again.
    cache.clear()


def _run(program: str, *args: str, alias: str, database_flag: str = "--dbname") -> None:
    settings = connections[alias].settings_dict
    command = [_program(program), *args, f"{database_flag}={settings['NAME']}"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command.append(f"{flag}={settings[key]}")
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{program} failed ({result.returncode}): {result.stderr.strip()}")


def _program(name: str) -> str:
    folder = os.environ.get("PG_BIN")
    path = str(Path(folder) / name) if folder else shutil.which(name)
    if not path or not Path(path).is_file():
        raise CommandError(
            f"{name} not found{f' in PG_BIN={folder}' if folder else ' on PATH'}: install the "
            "PostgreSQL client of the server's version, or set PG_BIN to its bin folder."
        )
    return path
