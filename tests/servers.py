"""Real servers for tests and benchmarks, each on a free port of 127.0.0.1 and stopped
whatever happens: redis-server (Debian's, as tests/with_postgres.sh starts PostgreSQL) and
gunicorn serving the app."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not start in {seconds:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway redis-server, nothing written to disk; yields its redis:// URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError(
            "redis-server not found (apt-get install redis-server; make system-deps)"
        )
    port = free_port()
    folder = tempfile.mkdtemp(prefix="factcheck-redis-")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", folder, "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru"],
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, process, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def app_environment(env: dict) -> dict:
    environment = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        **env,
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)  # the app's own settings, not the tests'
    return environment


@contextlib.contextmanager
def collected_static() -> Iterator[str]:
    """``collectstatic`` into a temporary folder (production serves the hashed files)."""
    folder = tempfile.mkdtemp(prefix="factcheck-static-")
    try:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=app_environment({"STATIC_ROOT": folder}),
            cwd=ROOT,
            check=True,
        )
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int = 1, port: int | None = None) -> Iterator[int]:
    """The app under gunicorn (sync workers, DEBUG=0 unless ``env`` says otherwise) with
    ``env`` added to this process's environment (STATIC_ROOT: a ``collected_static``
    folder); yields its port."""
    port = port or free_port()
    environment = app_environment(env)
    binary = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [binary, "factcheck.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
        + ["--log-level", "warning"],
        env=environment,
        cwd=ROOT,
    )
    try:
        _wait_for_port(port, process, "gunicorn")
        yield port
    finally:
        _stop(process)


def database_url() -> str:
    """The test database's address, for servers and workers started by a test (PostgreSQL:
    several processes on one SQLite file is not a deployment the project supports)."""
    from django.db import connection

    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
