"""Corrections of an article's text: the service and the page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.models import Annotation, AnnotationChange, ArticleCorrection
from claims.services.corrections import article_correct
from factcheck.errors import Stale
from tests.factories import AnnotationFactory, ArticleFactory

BODY = (
    "Moscow, 8 November. Putin privately congratulated Republican Donald Trump on his victory, "
    "a source close to the Kremlin said.\n"
    "Kremlin spokesman Dmitry Peskov later said he knew of no such plans.\n"
    "The story was first reported on Thursday."
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(body=BODY)


def correct(article, user, new_text, reason="Typo fixed", **kwargs):
    return article_correct(article=article, user=user, new_text=new_text, reason=reason, **kwargs)


def test_correction_keeps_moves_and_orphans_and_records_everything(article, editor):
    kept = AnnotationFactory(article=article, quote="Moscow, 8 November")
    moved = AnnotationFactory(article=article, quote="Dmitry Peskov")
    lost = AnnotationFactory(article=article, quote="privately congratulated Republican Donald")
    new_text = BODY.replace(
        "Putin privately congratulated Republican Donald Trump", "Putin did not call Trump"
    )
    correction = correct(article, editor, new_text, reason="The source withdrew the claim.")

    assert (correction.kept, correction.moved, correction.orphaned) == (1, 1, 1)
    assert correction.previous_body == BODY
    assert correction.author == editor
    article.refresh_from_db()
    assert article.body == new_text
    assert Annotation.objects.filter(article=article).count() == 3

    for annotation in (kept, moved):
        annotation.refresh_from_db()
        assert not annotation.orphaned
        assert new_text[annotation.start : annotation.end] == annotation.exact
        assert annotation.prefix == new_text[max(0, annotation.start - 32) : annotation.start]
    lost.refresh_from_db()
    assert lost.orphaned
    assert lost.exact == "privately congratulated Republican Donald"

    changes = {c.annotation_key: c for c in AnnotationChange.objects.filter(article=article)}
    assert set(changes) == {moved.pk, lost.pk}
    assert changes[moved.pk].action == AnnotationChange.Action.MOVED
    assert changes[moved.pk].before["start"] == BODY.index("Dmitry Peskov")
    assert changes[moved.pk].after["start"] == moved.start
    assert changes[lost.pk].action == AnnotationChange.Action.ORPHANED
    assert changes[lost.pk].after["orphaned"] is True
    assert changes[lost.pk].user == editor


def test_a_second_correction_brings_an_orphan_back_when_its_words_return(article, editor):
    annotation = AnnotationFactory(article=article, quote="privately congratulated")
    removed = BODY.replace("privately congratulated", "called")
    correct(article, editor, removed)
    annotation.refresh_from_db()
    assert annotation.orphaned

    second = correct(article, editor, "Correction appended. " + BODY, reason="Restored")
    annotation.refresh_from_db()
    assert not annotation.orphaned
    assert (second.kept, second.moved, second.orphaned) == (0, 1, 0)
    article.refresh_from_db()
    assert article.body[annotation.start : annotation.end] == "privately congratulated"


def test_an_orphan_that_stays_lost_counts_but_adds_no_history(article, editor):
    annotation = AnnotationFactory(article=article, quote="privately congratulated")
    correct(article, editor, BODY.replace("privately congratulated", "called"))
    correction = correct(article, editor, BODY.replace("privately congratulated", "phoned"))
    assert correction.orphaned == 1
    assert AnnotationChange.objects.filter(annotation=annotation).count() == 1


def test_text_is_normalised_before_comparing(article, editor):
    with pytest.raises(ValidationError, match="unchanged"):
        correct(article, editor, "\ufeff" + BODY.replace("\n", "\r\n"))
    assert not ArticleCorrection.objects.exists()


@pytest.mark.parametrize(
    ("text", "reason", "message"),
    [
        ("", "Why", "empty"),
        ("  \n ", "Why", "empty"),
        (BODY + " More.", "", "reason"),
        (BODY + " More.", "   ", "reason"),
    ],
)
def test_invalid_corrections_are_refused(article, editor, text, reason, message):
    AnnotationFactory(article=article, quote="Dmitry Peskov")
    with pytest.raises(ValidationError, match=message):
        correct(article, editor, text, reason=reason)
    article.refresh_from_db()
    assert article.body == BODY
    assert not AnnotationChange.objects.exists()


def test_text_of_another_article_is_refused(article, editor):
    other = ArticleFactory(title="The other one")
    with pytest.raises(ValidationError, match="another article"):
        correct(article, editor, other.body)


def test_stale_hash_is_refused(article, editor):
    old_hash = article.content_hash
    correct(article, editor, BODY + " First.")
    with pytest.raises(Stale):
        correct(article, editor, BODY + " Second.", expected_hash=old_hash)
    article.refresh_from_db()
    assert article.body == BODY + " First."


def test_many_annotations_all_accounted_for(article, editor):
    for quote in ["Moscow", "Putin", "Kremlin spokesman", "Thursday", "source close"]:
        AnnotationFactory(article=article, quote=quote)
    correction = correct(article, editor, "Headline added.\n\n" + BODY.replace("Putin", "He"))
    assert correction.kept + correction.moved + correction.orphaned == 5
    assert Annotation.objects.filter(article=article).count() == 5
    assert Annotation.objects.filter(article=article, orphaned=True).count() == correction.orphaned


# The page ------------------------------------------------------------------------------


def url(article):
    return reverse("article_correct", args=[article.pk])


def test_anonymous_is_sent_to_sign_in(client, article):
    response = client.get(url(article))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_reviewer_cannot_open_or_post(reviewer_client, article):
    assert reviewer_client.get(url(article)).status_code == 403
    response = reviewer_client.post(
        url(article), {"text": BODY + " X", "reason": "r", "content_hash": article.content_hash}
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.body == BODY


def test_page_shows_form_with_text_and_history(editor_client, editor, article):
    correct(article, editor, BODY + " Earlier fix.", reason="Earlier reason <b>")
    article.refresh_from_db()
    response = editor_client.get(url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Corrected text" in html
    assert "Reason for the correction" in html
    assert "Save correction" in html
    assert f'value="{article.content_hash}"' in html
    assert "Earlier reason &lt;b&gt;" in html
    form_text = response.context["form"]["text"].value()
    assert form_text == article.body


def test_post_saves_and_redirects_with_counts(editor_client, article):
    AnnotationFactory(article=article, quote="Dmitry Peskov")
    AnnotationFactory(article=article, quote="privately congratulated")
    response = editor_client.post(
        url(article),
        {
            # What a browser sends: CRLF line breaks.
            "text": ("Update. " + BODY.replace("privately ", "")).replace("\n", "\r\n"),
            "reason": "Source clarified",
            "content_hash": article.content_hash,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == article.get_absolute_url()
    messages = [str(m) for m in response.context["messages"]]
    assert (
        "Correction saved: 0 highlights kept, 1 moved, 0 re-anchored with changes, "
        "1 orphaned, 0 ambiguous." in messages
    )
    article.refresh_from_db()
    assert "\r" not in article.body


def test_post_with_stale_hash_keeps_typed_text(editor_client, editor, article):
    old_hash = article.content_hash
    correct(article, editor, BODY + " Meanwhile.", reason="Someone else")
    typed = BODY + " My own fix."
    response = editor_client.post(
        url(article), {"text": typed, "reason": "Mine", "content_hash": old_hash}
    )
    assert response.status_code == 409  # Stale: the same status as every view gives it
    html = response.content.decode()
    assert "changed this article" in html
    assert response.context["form"]["text"].value() == typed
    assert response.context["form"]["reason"].value() == "Mine"
    article.refresh_from_db()
    assert article.body == BODY + " Meanwhile."
    # The form now carries the current hash: saving again is a deliberate overwrite.
    assert response.context["form"]["content_hash"].value() == article.content_hash


def test_post_without_reason_shows_error(editor_client, article):
    response = editor_client.post(
        url(article), {"text": BODY + " x", "reason": "", "content_hash": article.content_hash}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["reason"]
    article.refresh_from_db()
    assert article.body == BODY
