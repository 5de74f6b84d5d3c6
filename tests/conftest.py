"""Fixtures shared by the whole suite. Browser fixtures live in tests/e2e/conftest.py."""

import importlib
import os

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tests import factories

# Property tests draw the same examples on every run, so a green `main` stays green on CI;
# HYPOTHESIS_EXPLORE=1 draws fresh ones when hunting for bugs (then pin what they find).
EXPLORE = bool(os.environ.get("HYPOTHESIS_EXPLORE"))
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile("explore" if EXPLORE else "ci")


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Real hashing costs ~0.5 s per user; the suite makes hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def language_of_the_thread():
    """A request leaves its language active in the thread (LocaleMiddleware does not undo
    it): the next test would reverse() /uk/ addresses and read Ukrainian messages."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # Uploads waiting for the worker are stored under MEDIA_ROOT: never the project's own.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: ids start again after a rollback (SQLite), and
    a page kept by the server in one test must not answer in the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def roles_after_flush(transactional_db):
    """Transactional tests (live_server, backups) flush the database after each test, and the
    flush takes the groups made by the roles data migration with it (permissions are rebuilt
    by post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    roles = importlib.import_module("claims.migrations.0002_roles").ROLES
    for name, perms in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in (MOVED.get(perm, perm).split(".") for perm in perms)
            ]
        )


# Permissions the roles migration names by the app their model had then.
MOVED = {"articles.add_articlecorrection": "claims.add_articlecorrection"}  # claims 0012


@pytest.fixture
def editor(db):
    return factories.EditorFactory()


@pytest.fixture
def reviewer(db):
    return factories.ReviewerFactory()


@pytest.fixture
def admin_user(db):
    return factories.AdminFactory()


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor):
    return _client_for(editor)


@pytest.fixture
def reviewer_client(reviewer):
    return _client_for(reviewer)


@pytest.fixture
def admin_client(admin_user):
    return _client_for(admin_user)


@pytest.fixture
def htmx_headers():
    return {"HX-Request": "true"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/tests/e2e/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
