"""An admin upload of 40 files of 5 MB, imported in the background while the site answers.

Starts the worker (`manage.py worker`) and a server (`runserver --noreload` on a free port)
against a throwaway SQLite database, uploads the files through the admin's import (in this
process, with django.test.Client), then prints once a second the batch's progress and how long
the public home page took to answer. Prints numbers, asserts nothing.

    .venv/bin/python bench/import_background.py [FILES] [MB]
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LINES = [
    "Путін привітав Трампа через посередників, повідомило джерело {n}. Кремль заперечив.\n",
    "The Kremlin said report {n} was pure fiction, and no call took place on that day.\n",
]


def article(n: int, size: int) -> bytes:
    line = LINES[n % 2].format(n=n).encode("utf-8")
    return f"Report number {n} from the desk\n\n".encode() + line * (size // len(line))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    size = int(float(sys.argv[2]) * 1024 * 1024) if len(sys.argv) > 2 else 5 * 1024 * 1024 - 4096
    tmp = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "MEDIA_ROOT": str(tmp / "media"),
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client

    from articles.models import ImportBatch

    call_command("migrate", verbosity=0)
    admin = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    port = free_port()
    manage = [sys.executable, str(ROOT / "manage.py")]
    worker = subprocess.Popen([*manage, "worker", "-v", "0"], env=env, cwd=ROOT)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        home = f"http://127.0.0.1:{port}/"
        for _ in range(60):  # the server and the worker start
            time.sleep(1)
            try:
                urllib.request.urlopen(home, timeout=5).close()  # noqa: S310
                break
            except OSError:
                continue
        client = Client()
        client.force_login(admin)
        uploads = [SimpleUploadedFile(f"a{n:02d}.txt", article(n, size)) for n in range(files)]
        started = time.monotonic()
        response = client.post("/admin/articles/article/import/", {"files": uploads})
        print(
            f"upload of {files} × {size / 1024 / 1024:.1f} MB answered {response.status_code} "
            f"in {time.monotonic() - started:.1f} s"
        )
        del uploads
        batch = ImportBatch.objects.get()
        slowest = 0.0
        while True:
            time.sleep(1)
            t0 = time.monotonic()
            try:
                with urllib.request.urlopen(home, timeout=30) as page:  # noqa: S310
                    status = page.status
            except OSError as exc:
                status = f"error {exc}"
            took = time.monotonic() - t0
            slowest = max(slowest, took) if isinstance(status, int) else slowest
            batch.refresh_from_db()
            print(
                f"{time.monotonic() - started:6.1f} s  {batch.status:<8} "
                f"{batch.done}/{batch.total if batch.total is not None else '?'}  "
                f"home page {status} in {took * 1000:.0f} ms"
            )
            if not batch.is_active:
                break
        print(
            f"finished: {batch.imported} imported, {batch.duplicates} duplicates, "
            f"{batch.failed} failed in {time.monotonic() - started:.1f} s; "
            f"slowest home page {slowest * 1000:.0f} ms"
        )
    finally:
        for process in (worker, server):
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
