"""A session that ended while someone was typing: htmx requests get an answer the desk script
understands (401, nothing swapped, the session-ended event), never the sign-in page or
Django's CSRF page drawn inside a card (issue: "An expired session destroys work")."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def claim(db):
    return factories.ClaimFactory()


def assert_session_ended(response):
    assert response.status_code == 401
    assert response["HX-Reswap"] == "none"
    trigger = json.loads(response["HX-Trigger"])
    assert "Sign in again" in trigger["session-ended"]["message"]
    assert b"<form" not in response.content


def test_an_htmx_save_after_the_session_ended_is_answered_401(client, claim):
    url = reverse("verdict_edit", args=[claim.pk])
    assert_session_ended(client.post(url, {"summary": "typed"}, **HX))
    # A plain request is still sent to sign in, and comes back after.
    plain = client.post(url, {"summary": "typed"})
    assert plain.status_code == 302 and plain["Location"].startswith(reverse("login"))


def test_an_htmx_request_with_no_csrf_cookie_is_answered_session_ended(claim):
    editor = factories.EditorFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = reverse("verdict_edit", args=[claim.pk])
    assert_session_ended(client.post(url, {"summary": "typed"}, **HX))
    plain = client.post(url, {"summary": "typed"})
    assert plain.status_code == 403 and b"CSRF" in plain.content


def test_a_signed_in_htmx_request_is_untouched(editor_client, claim):
    response = editor_client.get(reverse("claim_detail", args=[claim.pk]), **HX)
    assert response.status_code == 200
    assert "HX-Trigger" not in response


def test_the_desk_pages_carry_the_dialog_and_the_kept_drafts(editor_client, claim):
    html = editor_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert 'id="session-ended"' in html and "js/session.js" in html
    assert html.count("data-keep-draft") >= 2  # the verdict form and the comment form
    public = Client().get("/").content.decode()
    assert "session.js" not in public and "session-ended" not in public


@pytest.mark.parametrize(
    ("factory", "lands_on"),
    [(factories.ReviewerFactory, "review"), (factories.EditorFactory, "desk")],
)
def test_signing_in_lands_a_reviewer_on_their_queue_and_an_editor_on_the_desk(
    db, factory, lands_on
):
    user = factory(password="a long password for tests")
    client = Client()
    response = client.post(
        reverse("login"), {"username": user.username, "password": "a long password for tests"}
    )
    assert response.status_code == 302
    landing = client.get(response["Location"])
    assert landing.status_code == 302 and landing["Location"] == reverse(lands_on)
    assert Client().get(reverse("desk_landing")).status_code == 302  # signed out: to sign in
