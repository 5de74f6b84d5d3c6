"""A gunicorn worker loads the site's code when it starts, not on its first request
(factcheck/wsgi.py): no visitor waits for the URLconf, the API's schema library, the public
templates or the Redis client to load after a deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A fresh process, as a worker: the application, then a first request (a page that reads no
# database) — which modules did that request import, and which templates did it compile?
PROBE = """
import io, sys
from factcheck.wsgi import application
from django.template import engines
before = set(sys.modules)
compiled = set(engines["django"].engine.template_loaders[0].get_template_cache)
environ = {
    "REQUEST_METHOD": "GET", "PATH_INFO": "/no-such-page/", "QUERY_STRING": "",
    "SERVER_NAME": "localhost", "SERVER_PORT": "80", "HTTP_HOST": "localhost",
    "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
    "wsgi.errors": sys.stderr,
}
status = []
body = b"".join(application(environ, lambda s, h, e=None: status.append(s)))
print(status[0])
print(" ".join(sorted(set(sys.modules) - before)))
print(" ".join(sorted(compiled)))
"""


def test_a_worker_loads_the_site_before_its_first_request(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {
        "DEBUG": "1",  # (DEBUG=0 wants collected static files; the loading is the same)
        "SECRET_KEY": "wsgi-test",
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite3'}",
        # The shared cache's backend: set up when the worker starts, never connected here.
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    status, imported, compiled = out.stdout.splitlines()[-3:]
    assert status.startswith("404"), out.stdout + out.stderr
    # A few of Django's own small modules (the messages' storage, the session's serializer);
    # before factcheck/wsgi.py loaded the site, several hundred, half a second of loading.
    loaded = imported.split()
    heavy = ("factcheck", "public", "claims", "articles", "ninja", "pydantic", "redis")
    assert not [name for name in loaded if name.split(".")[0] in heavy], loaded
    assert len(loaded) < 10, loaded
    assert {"public/home.html", "public/claim.html", "404.html"} <= set(compiled.split())
