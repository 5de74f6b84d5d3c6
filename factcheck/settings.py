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
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "factcheck.middleware.sliding_session",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After the user is known (with their second factor): the import may send a large body.
    "factcheck.middleware.request_checks",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "factcheck.middleware.no_store_private_pages",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
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
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

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
]

# Sign-in throttling (django-axes; README, "Sign-in protection"). Failures are counted per
# username (from any address) and per client address (for any username); either reaching
# the limit locks that username or address out until the cool-off ends or an admin unlocks
# it (admin: Axes › Access attempts).
AXES_FAILURE_LIMIT = _env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
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

# Sessions end after this long without a request: factcheck.middleware.sliding_session
# starts the period again on use (at most one session write a minute).
SESSION_COOKIE_AGE = _env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "desk"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
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
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
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
    }
}

# Background tasks: Django's tasks framework with the database backend (django-tasks-db);
# `manage.py worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

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
