"""The verdict form's preview: the summary rendered and sanitised as it would be stored,
for desk members only, nothing saved."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Verdict
from factcheck.sanitize import MAX_MARKDOWN

URL = reverse("markdown_preview")


def test_the_preview_renders_and_sanitises_like_the_stored_summary(editor_client):
    response = editor_client.post(
        URL, {"summary": "The Kremlin **denied** it. <script>alert(1)</script>[x](javascript:y)"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>denied</strong>" in html
    assert "<script" not in html and "&lt;script&gt;" in html  # shown as text, never run
    assert 'href="javascript' not in html
    assert not Verdict.objects.exists()


def test_the_preview_says_when_there_is_nothing_or_too_much(editor_client):
    assert "Nothing to preview" in editor_client.post(URL, {"summary": "  "}).content.decode()
    long = editor_client.post(URL, {"summary": "x" * (MAX_MARKDOWN + 1)}).content.decode()
    assert "Too long to preview" in long


@pytest.mark.django_db
def test_the_preview_is_for_desk_members_and_posts_only(editor_client):
    assert Client().post(URL, {"summary": "x"}).status_code == 302  # to sign in
    assert editor_client.get(URL).status_code == 405
