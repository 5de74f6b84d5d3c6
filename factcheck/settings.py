"""Settings for the factcheck desk: one module, driven by the environment.

DATABASE_URL  unset: the embedded SQLite file db.sqlite3; else e.g. postgres://u:p@host/db
SECRET_KEY    required when DEBUG=0
DEBUG         "1" for a developer's machine; anything else (or unset) is production
ALLOWED_HOSTS comma-separated
SITE_NAME     the organisation named as the author of published fact checks

SITE_URL      the site's address, for links in notification mail

The README's settings table lists the rest.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


# Off unless asked for: a deployment that forgets the variable must not run in debug.
DEBUG = os.environ.get("DEBUG", "0") == "1"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set: DEBUG is off (set DEBUG=1 only on a developer's machine)."
        )
    # Only for a developer's machine: DEBUG=1 never serves the public.
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

SITE_NAME = os.environ.get("SITE_NAME", "Factcheck Desk")
# Where the site is served (e.g. https://factcheck.example.org): the links in notification mail.
# Unset, it is the first allowed host over https (runserver's address when DEBUG).
SITE_URL = os.environ.get("SITE_URL") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else ""
)

INSTALLED_APPS = [
    "factcheck.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "axes",
    "factcheck.apps.FactcheckConfig",
    "articles",
    # Before claims: its templates fill the claims templates' evidence hooks.
    "webfetch",
    "claims",
    "public",
    "spread",
    "radar",
    "webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "factcheck.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "factcheck.middleware.sliding_session",
    # The language (docs/architecture.md, "Languages"): a public page's from its address
    # (/uk/…; none is the default language); language_vary, outside it, keeps those pages
    # free of "Vary: Accept-Language", which they do not read.
    "factcheck.middleware.language_vary",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The desk's pages in the person's language: their preference, else Accept-Language.
    "factcheck.middleware.person_language",
    # After the user is known (with their second factor): the import may send a large body.
    "factcheck.middleware.request_checks",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "factcheck.middleware.htmx_session_ended",
    "factcheck.middleware.no_store_private_pages",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"

# The public API (public.api): requests per client address ("300/m": 300 a minute) before it
# answers 429; the address is the last proxy's view of it when NINJA_NUM_PROXIES proxies
# (a load balancer, a CDN) stand in front, else the connection's (never a spoofable header).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300/m")
NINJA_NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

# Browser features no page uses, off for every page (factcheck.middleware.permissions_policy).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
)
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "factcheck.context_processors.site",
                "factcheck.context_processors.languages",
                "claims.context_processors.desk",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A desk with several editors writes concurrently: wait for the lock instead of failing.
    # Write-ahead logging lets pages be read while the worker writes an import (readers never
    # wait for a writer); NORMAL sync is durable across a crash of the process in WAL mode.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# What the planner charges for reading a page at random: PostgreSQL's default (4) models a
# spinning disk; for SSD, or a database that sits in memory, its manual suggests about 1.1.
# With the default, a search of a few thousand fact checks reads them all rather than its
# index (0.8 ms against 0.2 on the bench archive; docs/architecture.md, "Search"). Set per
# connection, after any options DATABASE_URL gives (?options=…); empty leaves the server's
# own setting (a pooler in transaction mode, say, which refuses startup options).
RANDOM_PAGE_COST = os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and RANDOM_PAGE_COST:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _cost = f"-c random_page_cost={float(RANDOM_PAGE_COST)}"
    _options["options"] = " ".join(filter(None, [_options.get("options"), _cost]))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses locked-out sign-ins before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        # Stricter than the default 0.7, which lets "editor2editor2" through for editor2.
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"max_similarity": 0.6},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # "aaaaaaaaaaaa", "abcabcabcabc", "passwordpassword": long enough, guessed at once.
    {"NAME": "factcheck.passwords.VarietyValidator"},
]

# Sign-in throttling (django-axes; README, "Sign-in protection"). Failures are counted per
# (username, address) pair: reaching the limit locks that pair out until the cool-off ends
# or an admin unlocks it (admin: Axes › Access attempts). A stranger elsewhere cannot lock a
# colleague out, and one person's typos do not lock out the newsroom behind its address. A
# username (or address) failing that often from anywhere is slowed down, not blocked
# (factcheck.security.sign_in_wait), except from an address it signed in from before.
AXES_FAILURE_LIMIT = _env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "factcheck.security.client_ip"
# How many proxies in front of the app append to X-Forwarded-For; 0 (the default) trusts no
# header and takes the address the connection came from (README, "Behind a proxy").
TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)

# A second factor (TOTP, django-otp) is optional for staff; with this on, superusers must
# sign in to the admin with one (README, "Two-factor sign-in for the admin").
ADMIN_REQUIRE_OTP = os.environ.get("ADMIN_REQUIRE_OTP", "0" if DEBUG else "1") == "1"
OTP_TOTP_ISSUER = SITE_NAME

# Reviewer powers granted to an account (added to Reviewers, or made a superuser) start when
# a second superuser confirms the grant in the admin, or after this many hours; every grant
# is on the desk's activity feed (README, "Security").
REVIEWER_COOLING_OFF_HOURS = _env_int("REVIEWER_COOLING_OFF_HOURS", 72)

# Sessions end after this long without a request: factcheck.middleware.sliding_session
# starts the period again on use (at most one session write a minute).
SESSION_COOKIE_AGE = _env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)

LOGIN_URL = "login"
# A refused CSRF token from the desk's script answers "session ended" (factcheck.views).
CSRF_FAILURE_VIEW = "factcheck.views.csrf_failure"
LOGIN_REDIRECT_URL = "desk_landing"  # a reviewer lands on their queue (factcheck.views)
LOGOUT_REDIRECT_URL = "home"

# The interface's languages (README, "Adding a language"): English is the source, each other
# language a catalogue in locale/<code>/LC_MESSAGES/ (`make messages` updates them). The site
# default is LANGUAGE_CODE (an environment setting); a person's preference, then the browser's
# Accept-Language, choose on the desk.
LANGUAGES = [("en", "English"), ("uk", "Українська")]
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as each language writes them ("4 December 2026", "4 грудня 2026 р."): factcheck/formats.
FORMAT_MODULE_PATH = ["factcheck.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "factcheck.storage.StaticFilesStorage"
        )
    },
}

# Article files: the importer refuses anything larger, and uploads may carry many of them.
ARTICLE_MAX_BYTES = 5 * 1024 * 1024
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 1000
# Request bodies (README, "Limits"). Form fields: a correction re-sends a whole article,
# percent-encoded. Uploaded files larger than FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary
# file. Any body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is refused before it is read, except
# an admin import by a user allowed to import, which may be up to IMPORT_UPLOAD_MAX_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440
IMPORT_UPLOAD_MAX_BYTES = _env_int("IMPORT_UPLOAD_MAX_BYTES", 250 * 1024 * 1024)
# Markdown sources (summaries, notes): longer ones are refused with a message.
MARKDOWN_MAX_CHARS = 20_000
# The longest highlight: the words that carry one claim, a sentence or a short paragraph. A
# whole article selected by mistake (Ctrl+A) is refused with the reason, never stored.
HIGHLIGHT_MAX_CHARS = int(os.environ.get("HIGHLIGHT_MAX_CHARS", "1500"))

# Uploaded import files wait here for the worker (README, "Background imports").
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# The server's copy of anonymous public pages and the share images (docs/architecture.md,
# "Public pages and the cache"; README, "Sessions and caching" and "Deploying"). REDIS_URL
# (e.g. redis://redis:6379/0, a database of its own: a restore clears it) shares one copy
# between every worker and host through Django's Redis backend, so a publish is drawn once,
# not once per worker; if Redis fails, pages are drawn (factcheck.cache), never a 500.
# Without it each worker process keeps its own copy in memory, bounded by CACHE_MAX_ENTRIES:
# nothing to run, right for one host and the default of `make run`. CACHE_BACKEND and
# CACHE_LOCATION name any other backend. Set CACHE_KEY_PREFIX per release with a shared
# cache. With DEBUG=1 and no REDIS_URL nothing is kept, so an edited template shows at once
# (the test suite keeps pages, as production does).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    _cache_backend, _cache_location = "factcheck.cache.ForgivingRedisCache", REDIS_URL
    # A cache that does not answer in a quarter of a second counts as down: the page is drawn.
    _cache_options = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
else:
    _cache_backend = "django.core.cache.backends." + (
        "dummy.DummyCache" if DEBUG else "locmem.LocMemCache"
    )
    _cache_location = "factcheck"
    _cache_options = {"MAX_ENTRIES": _env_int("CACHE_MAX_ENTRIES", 1000)}
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", _cache_backend),
        "LOCATION": os.environ.get("CACHE_LOCATION", _cache_location),
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": _cache_options,
    },
    # This process's memory, for small parts that never change once drawn (a published
    # revision's card, public.views.pages._cards): asking Redis for one costs more than
    # drawing it, and a deploy, which may change how it is drawn, starts new processes.
    "local": {
        "BACKEND": "django.core.cache.backends."
        + ("dummy.DummyCache" if DEBUG else "locmem.LocMemCache"),
        "LOCATION": "factcheck-local",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": _env_int("LOCAL_CACHE_MAX_ENTRIES", 5000)},
    },
}

# Background tasks: Django's tasks framework with the database backend (django-tasks-db);
# `manage.py worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Claim spread (README, "Claim spread"): the timeline on the public fact check (0 hides it;
# the desk always has it), and how long a resurfacing alert gathers appearances before its
# one mail leaves (at most one mail per claim per this many seconds).
SPREAD_PUBLIC_TIMELINE = os.environ.get("SPREAD_PUBLIC_TIMELINE", "1") != "0"
SPREAD_ALERT_WINDOW = _env_int("SPREAD_ALERT_WINDOW", 3600)


# Reading the web (webfetch/fetcher.py; README, "Articles from the web"). Private, loopback
# and link-local addresses are refused unless FETCH_ALLOW_PRIVATE_NETWORKS is "1" (every
# one: a developer's machine) or a comma-separated list of networks ("10.1.0.0/16").
def _networks_setting(name: str) -> bool | list[str]:
    value = os.environ.get(name, "0").strip()
    if value in ("", "0", "1"):
        return value == "1"
    return [net.strip() for net in value.split(",") if net.strip()]


FETCH_ALLOW_PRIVATE_NETWORKS = _networks_setting("FETCH_ALLOW_PRIVATE_NETWORKS")
FETCH_MAX_BYTES = _env_int("FETCH_MAX_BYTES", 10 * 1024 * 1024)
FETCH_MAX_REDIRECTS = _env_int("FETCH_MAX_REDIRECTS", 5)
FETCH_CONNECT_TIMEOUT = _env_int("FETCH_CONNECT_TIMEOUT", 5)
FETCH_TOTAL_TIMEOUT = _env_int("FETCH_TOTAL_TIMEOUT", 30)
FETCH_USER_AGENT = os.environ.get("FETCH_USER_AGENT", "")
# Feeds are polled every FEED_POLL_MINUTES; a failing feed waits twice as long after each
# failure in a row, up to FEED_MAX_BACKOFF_HOURS.
FEED_POLL_MINUTES = _env_int("FEED_POLL_MINUTES", 30)
FEED_MAX_BACKOFF_HOURS = _env_int("FEED_MAX_BACKOFF_HOURS", 24)
# Saved evidence is archived by the worker (off in the test suite but for its own tests:
# other tests' example.org links must not reach the network); published evidence is
# checked for dead links every EVIDENCE_CHECK_HOURS.
EVIDENCE_ARCHIVE = os.environ.get("EVIDENCE_ARCHIVE", "1") == "1"
EVIDENCE_CHECK_HOURS = _env_int("EVIDENCE_CHECK_HOURS", 24)
# Webhooks (webhooks/; README, "Webhooks"): sent through the fetcher's POST; private
# addresses refused unless WEBHOOK_ALLOW_PRIVATE_NETWORKS allows them (as above, its own
# setting: admins register endpoints, editors ask for pages); an endpoint is turned off
# after WEBHOOK_DISABLE_AFTER deliveries in a row failed (each retried for about a day).
WEBHOOK_ALLOW_PRIVATE_NETWORKS = _networks_setting("WEBHOOK_ALLOW_PRIVATE_NETWORKS")
WEBHOOK_DISABLE_AFTER = _env_int("WEBHOOK_DISABLE_AFTER", 5)
WEBHOOK_MAX_RESPONSE_BYTES = _env_int("WEBHOOK_MAX_RESPONSE_BYTES", 64 * 1024)

# Content Security Policy: no inline script or style; scripts carry the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": (
            {}
            if DEBUG
            else {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
            }
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "factcheck@localhost")

# Sign-ins, failures and lockouts are logged to "factcheck.security" (and by django-axes).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
