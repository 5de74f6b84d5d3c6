"""Settings for the test suite: the app's settings as on a developer's machine (DEBUG=1 at
import, so no HTTPS redirect and no SECRET_KEY needed), with background tasks run at once.

Tests that need production behaviour override single settings (override_settings)."""

import os

os.environ.setdefault("DEBUG", "1")

from factcheck.settings import *  # noqa: E402, F403

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# The server keeps public pages as in production (DEBUG=1 alone would keep nothing).
CACHES = {
    name: {**CACHES[name], "BACKEND": "django.core.cache.backends.locmem.LocMemCache"}  # noqa: F405
    for name in ("default", "local")
}
# The API's rate limit per address: the suite's many requests come from one address (the
# limit itself is tested with a low one, tests/public/test_api.py).
API_RATE_LIMIT = "1000000/m"
# No test reaches the network by saving a verdict's evidence: tests/webfetch turns it on
# for its own local server.
EVIDENCE_ARCHIVE = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # The test database is a file, not Django's default in-memory one: in memory, the live
    # server's threads share the test thread's connection, and SQLite's connection mutex and
    # Python's GIL can then deadlock each other (a query calling one of Django's Python
    # functions in one thread while another reads a row): a browser test hung CI for 90
    # minutes that way. A file gives each thread its own connection; write-ahead logging
    # (factcheck.settings) lets the test read while the server writes. One file per run.
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"factcheck-test-{os.getpid()}.sqlite3")
    }
