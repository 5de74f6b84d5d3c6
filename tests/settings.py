"""Settings for the test suite: the app's settings as on a developer's machine (DEBUG=1 at
import, so no HTTPS redirect and no SECRET_KEY needed), with background tasks run at once.

Tests that need production behaviour override single settings (override_settings)."""

import os

os.environ.setdefault("DEBUG", "1")

from factcheck.settings import *  # noqa: E402, F403

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# The server keeps public pages as in production (DEBUG=1 alone would keep nothing).
CACHES = {
    "default": {
        **CACHES["default"],  # noqa: F405
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    }
}
# The API's rate limit per address: the suite's many requests come from one address (the
# limit itself is tested with a low one, tests/public/test_api.py).
API_RATE_LIMIT = "1000000/m"
# No test reaches the network by saving a verdict's evidence: tests/webfetch turns it on
# for its own local server.
EVIDENCE_ARCHIVE = False
