"""The WSGI application, for gunicorn (docker-compose.yml, Dockerfile, bench/site.py).

A worker loads the site's code while it starts, before it takes a request: left to Django,
the first request of every worker imports the URLconf (every view, the API and its schema
library), fills each language's URL table, compiles the public templates, and the first
cache read imports the Redis client: 0.4–0.6 s that one visitor per worker waited after
every deploy (bench/site.py's servers, 20,000 articles; 40 ms now). ``tests/test_wsgi.py``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
application = get_wsgi_application()


def _load_site() -> None:
    from django.conf import settings
    from django.core.cache import caches
    from django.template.loader import get_template
    from django.urls import reverse
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("home")
    for name in PUBLIC_TEMPLATES:
        get_template(name)
    for alias in settings.CACHES:  # the backends and their client libraries; no connection
        caches[alias]


PUBLIC_TEMPLATES = ("public/home.html", "public/claim.html", "public/page.html", "404.html")
_load_site()
