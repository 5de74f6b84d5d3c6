"""One way to answer a refusal (factcheck.responses, docs/architecture.md, "Errors"): the same
refusal gets the same status from every view, with what was typed kept and the message
where the person is looking."""

import pytest
from django.urls import reverse

from claims.models import Annotation, Claim
from claims.services.corrections import article_correct
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TOO_LONG = "x" * 501  # Claim.statement holds 500


def test_a_statement_too_long_is_422_on_the_article_page_and_on_the_claim_page(
    editor_client,
):
    article = factories.ArticleFactory(body="The Kremlin denied it.")
    annotate = editor_client.post(
        reverse("article_annotations", args=[article.pk]),
        {"start": 4, "end": 11, "exact": "Kremlin", "claim_text": TOO_LONG, "stance": "asserts"},
        **HTMX,
    )
    claim = factories.ClaimFactory(statement="Short.")
    wording = editor_client.post(
        reverse("claim_detail", args=[claim.pk]), {"statement": TOO_LONG, "claimant": ""}
    )
    assert annotate.status_code == wording.status_code == 422
    # In the form that was sent: the annotate form's errors, the claim page's statement field.
    assert "at most 500 characters" in annotate.content.decode()
    assert "at most 500 characters" in wording.content.decode()
    assert TOO_LONG in wording.content.decode()  # what was typed is kept
    assert not Annotation.objects.exists()
    assert Claim.objects.get(pk=claim.pk).statement == "Short."


def test_a_stale_correction_is_409_like_a_stale_verdict(editor, editor_client):
    article = factories.ArticleFactory(body="First text.")
    loaded = article.content_hash
    article_correct(article=article, user=editor, new_text="Second text.", reason="Typo")
    response = editor_client.post(
        reverse("article_correct", args=[article.pk]),
        {"text": "My text.", "reason": "Mine", "content_hash": loaded},
    )
    assert response.status_code == 409
    assert "My text." in response.content.decode()


def test_a_refusal_from_a_form_posted_elsewhere_is_said_on_that_page(editor_client):
    """Undoing a re-anchoring that never happened, without htmx: back on the article page,
    the message on top (a redirect carries no status; the message carries the refusal)."""
    article = factories.ArticleFactory(body="The Kremlin denied it.")
    annotation = factories.AnnotationFactory(article=article, quote="Kremlin")
    url = reverse("annotation_undo_reanchor", args=[annotation.pk])
    plain = editor_client.post(url, follow=True)
    assert plain.redirect_chain[-1][0] == article.get_absolute_url()
    assert "nothing to undo" in " ".join(str(m) for m in plain.context["messages"])
    htmx = editor_client.post(url, **HTMX)
    assert htmx.status_code == 422 and "nothing to undo" in htmx.content.decode()
