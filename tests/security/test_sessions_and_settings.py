"""Idle sessions, no-store on private pages, password rules, and production defaults."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from factcheck.middleware import RENEW_EVERY, RENEWED_KEY
from tests import factories


def signed_in_client(user) -> Client:
    client = Client()
    response = client.post(
        reverse("login"), {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    return client


def the_session(client) -> Session:
    return Session.objects.get(
        session_key=client.cookies[django_settings.SESSION_COOKIE_NAME].value
    )


def test_an_idle_session_expires(editor):
    client = signed_in_client(editor)
    assert client.get(reverse("desk")).status_code == 200
    session = the_session(client)
    assert session.expire_date <= timezone.now() + timedelta(
        seconds=django_settings.SESSION_COOKIE_AGE
    )
    # Eight hours (SESSION_COOKIE_AGE) pass without a request.
    session.expire_date = timezone.now() - timedelta(seconds=1)
    session.save()
    response = client.get(reverse("desk"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_using_a_session_keeps_it_alive(editor):
    client = signed_in_client(editor)
    session = the_session(client)
    store = session.get_decoded()
    # The last renewal was long ago and the session is about to expire.
    store[RENEWED_KEY] -= RENEW_EVERY + 1
    session.session_data = Session.objects.encode(store)
    session.expire_date = timezone.now() + timedelta(minutes=1)
    session.save()
    assert client.get(reverse("desk")).status_code == 200
    renewed = the_session(client).expire_date
    age = timedelta(seconds=django_settings.SESSION_COOKIE_AGE)
    assert renewed > timezone.now() + age - timedelta(minutes=1)


def test_the_default_idle_limit_is_eight_hours():
    assert django_settings.SESSION_COOKIE_AGE == 8 * 60 * 60


@pytest.mark.parametrize(
    "url_name", ["desk", "claim_list", "review", "login", "admin:index", "admin:login"]
)
def test_private_pages_are_never_stored(admin_client, url_name):
    response = admin_client.get(reverse(url_name))
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_public_pages_may_be_cached(db):
    response = Client().get(reverse("home"))
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("username", "password"),
    [("editor2", "editor2editor2"), ("someone", "short-pass1"), ("someone", "123456789012345")],
)
def test_weak_passwords_are_refused(db, username, password):
    user = factories.UserFactory.build(username=username)
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_unrelated_password_is_accepted(db):
    validate_password("vivid-otter-lantern-42", factories.UserFactory.build(username="editor2"))


def _settings_in_a_fresh_process(**env):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        check=False,
    )


def test_without_debug_set_the_secret_key_is_required():
    result = _settings_in_a_fresh_process()
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_set_to_1():
    result = _settings_in_a_fresh_process(SECRET_KEY="x" * 50, DEBUG="true")
    assert result.stdout.strip() == "False"
    result = _settings_in_a_fresh_process(DEBUG="1")
    assert result.stdout.strip() == "True"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/desk/", "/robots.txt", "/sitemap.xml"])
def test_every_page_turns_off_the_browser_features_it_does_not_use(client, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy


@pytest.mark.django_db
def test_robots_txt_names_the_sitemap_and_keeps_crawlers_off_the_desk(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert {"Disallow: /desk/", "Disallow: /admin/", "Disallow: /accounts/"} <= set(lines)
    assert "max-age=86400" in response["Cache-Control"]
    assert client.post("/robots.txt").status_code == 405
    again = client.get("/robots.txt", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
