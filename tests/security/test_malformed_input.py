"""Malformed input gets a 4xx with a message, never a 500 (issue 10's probe, case by case)."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from claims.models import Annotation, Status
from tests import factories

HUGE_INT = "9" * 5000  # more digits than int() accepts (4,300)


def client_for(user=None, **kwargs):
    client = Client(raise_request_exception=False, **kwargs)
    if user is not None:
        client.force_login(user)
    return client


def assert_4xx(response, *, mentions=""):
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    if mentions:
        assert mentions.lower() in response.content.decode(errors="replace").lower()


@pytest.fixture
def article(db):
    return factories.ArticleFactory(body="Putin congratulated Trump via intermediaries.")


# ------------------------------------------------------------------------- form charset


@pytest.mark.parametrize("charset", ["bogus", "rot13", "base64", "hex", "zlib", "idna", "x" * 300])
def test_an_unusable_form_charset_is_refused_anonymously(db, charset):
    client = client_for(enforce_csrf_checks=True)
    client.get(reverse("login"))  # the CSRF cookie, as a browser would have it
    token = client.cookies["csrftoken"].value
    response = client.generic(
        "POST",
        reverse("login"),
        f"csrfmiddlewaretoken={token}&username=a&password=b".encode(),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert_4xx(response, mentions="charset")


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "cp037", "latin-1"])
def test_an_odd_but_real_charset_is_never_a_500(db, charset):
    client = client_for(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    response = client.generic(
        "POST",
        reverse("login"),
        f"csrfmiddlewaretoken={token}&username=a&password=b".encode(),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code < 500


def test_a_multipart_body_with_an_unknown_charset_is_refused(admin_user):
    response = client_for(admin_user).generic(
        "POST",
        reverse("admin:articles_article_import"),
        b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--x--\r\n",
        content_type="multipart/form-data; boundary=x; charset=bogus",
    )
    assert_4xx(response, mentions="charset")


# ----------------------------------------------------------------------- huge integers


@pytest.mark.parametrize("field", ["start", "end"])
def test_a_huge_offset_is_refused(editor, article, field):
    data = {"start": "0", "end": "5", "exact": "Putin", "stance": "asserts", "claim_text": "C c"}
    data[field] = HUGE_INT
    response = client_for(editor).post(
        reverse("article_annotations", args=[article.pk]), data, headers={"HX-Request": "true"}
    )
    assert_4xx(response, mentions="not a number")
    assert not Annotation.objects.exists()


def test_a_huge_offset_on_reattach_is_refused(editor, article):
    annotation = factories.AnnotationFactory(article=article, orphaned=True)
    response = client_for(editor).post(
        reverse("annotation_reattach", args=[annotation.pk]),
        {"start": HUGE_INT, "end": "5", "exact": "Putin"},
        headers={"HX-Request": "true"},
    )
    assert_4xx(response, mentions="not a number")


def test_huge_ids_in_a_query_are_ignored(editor, article):
    response = client_for(editor).get(
        reverse("article_annotations", args=[article.pk]),
        {"ids": f"{HUGE_INT},1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200


@pytest.fixture
def claim_with_submitted_verdict(db):
    verdict = factories.VerdictFactory(status=Status.SUBMITTED)
    return verdict


@pytest.mark.parametrize("view", ["verdict_approve", "verdict_request_changes"])
def test_a_huge_version_in_a_review_is_refused(reviewer, claim_with_submitted_verdict, view):
    verdict = claim_with_submitted_verdict
    response = client_for(reviewer).post(
        reverse(view, args=[verdict.pk]),
        {"version": HUGE_INT, "comment": "why"},
        headers={"HX-Request": "true"},
    )
    assert_4xx(response)


@pytest.mark.parametrize("view", ["verdict_approve", "verdict_request_changes"])
def test_a_huge_version_on_the_review_page_is_refused(reviewer, claim_with_submitted_verdict, view):
    verdict = claim_with_submitted_verdict
    response = client_for(reviewer).post(
        reverse(view, args=[verdict.pk]) + "?from=review",
        {"version": HUGE_INT, "comment": "why"},
        headers={"HX-Request": "true"},
    )
    assert_4xx(response)
    # Without htmx the row's form goes back to the review page with the refusal as a message.
    response = client_for(reviewer).post(
        reverse(view, args=[verdict.pk]) + "?from=review", {"version": HUGE_INT, "comment": "?"}
    )
    assert response.status_code == 302
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


def test_a_huge_version_when_submitting_is_refused(editor):
    verdict = factories.VerdictFactory(author=editor, last_edited_by=editor)
    response = client_for(editor).post(
        reverse("verdict_submit", args=[verdict.pk]),
        {"version": HUGE_INT},
        headers={"HX-Request": "true"},
    )
    assert_4xx(response)


def verdict_form(**extra):
    return {
        "rating": "false",
        "summary": "No evidence.",
        "correction_note": "",
        "version": "",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        **extra,
    }


@pytest.mark.parametrize(
    "extra",
    [
        {"version": HUGE_INT},
        {"evidence-TOTAL_FORMS": HUGE_INT},
        {"evidence-INITIAL_FORMS": HUGE_INT},
        {"evidence-TOTAL_FORMS": HUGE_INT, "add_evidence": "1"},
        {"evidence-TOTAL_FORMS": "1", "evidence-0-ORDER": HUGE_INT, "evidence-0-url": "x"},
    ],
)
def test_huge_numbers_in_the_verdict_form_are_refused(editor, extra):
    claim = factories.ClaimFactory()
    response = client_for(editor).post(
        reverse("verdict_edit", args=[claim.pk]),
        verdict_form(**extra),
        headers={"HX-Request": "true"},
    )
    assert response.status_code < 500, response.content[:300]
    if "add_evidence" not in extra:
        assert_4xx(response)


# ----------------------------------------------------------------------------- Markdown


def crafted_markdown(size: int) -> str:
    # Deep nesting and unclosed emphasis: the shapes that make Markdown parsers slow.
    unit = "> " * 50 + "*a **b " * 20 + "[x](" * 20 + "\n"
    return (unit * (size // len(unit) + 1))[:size]


def test_a_huge_summary_is_refused(editor, settings):
    claim = factories.ClaimFactory()
    summary = crafted_markdown(1024 * 1024)
    response = client_for(editor).post(
        reverse("verdict_edit", args=[claim.pk]),
        verdict_form(summary=summary),
        headers={"HX-Request": "true"},
    )
    assert_4xx(response, mentions=f"{settings.MARKDOWN_MAX_CHARS:,}")
    assert not claim.verdicts.exists()


def test_a_huge_note_is_refused(editor, article, settings):
    data = {
        "start": "0",
        "end": "5",
        "exact": "Putin",
        "stance": "asserts",
        "claim_text": "A claim",
        "note": crafted_markdown(settings.MARKDOWN_MAX_CHARS + 1),
    }
    response = client_for(editor).post(
        reverse("article_annotations", args=[article.pk]), data, headers={"HX-Request": "true"}
    )
    assert_4xx(response, mentions=f"{settings.MARKDOWN_MAX_CHARS:,}")
    assert not Annotation.objects.exists()


def test_a_huge_note_on_edit_is_refused(editor, article, settings):
    annotation = factories.AnnotationFactory(article=article)
    data = {
        "claim": str(annotation.claim_id),
        "stance": "asserts",
        "note": "x" * (settings.MARKDOWN_MAX_CHARS + 1),
    }
    response = client_for(editor).post(reverse("annotation_edit", args=[annotation.pk]), data)
    assert_4xx(response, mentions=f"{settings.MARKDOWN_MAX_CHARS:,}")


@pytest.mark.parametrize("where", ["", "?from=review"])
def test_a_huge_review_comment_is_refused(reviewer, claim_with_submitted_verdict, where, settings):
    verdict = claim_with_submitted_verdict
    response = client_for(reviewer).post(
        reverse("verdict_request_changes", args=[verdict.pk]) + where,
        {"version": str(verdict.version), "comment": "x" * (settings.MARKDOWN_MAX_CHARS + 1)},
        headers={"HX-Request": "true"},
    )
    assert_4xx(response, mentions=f"{settings.MARKDOWN_MAX_CHARS:,}")
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


def test_markdown_at_the_limit_renders_quickly(editor, settings):
    import time

    claim = factories.ClaimFactory()
    started = time.process_time()
    response = client_for(editor).post(
        reverse("verdict_edit", args=[claim.pk]),
        verdict_form(summary=crafted_markdown(settings.MARKDOWN_MAX_CHARS)),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    # A generous bound: the point is seconds per megabyte never return.
    assert time.process_time() - started < 2


# ------------------------------------------------------------------------- request bodies


def test_an_anonymous_large_body_is_refused_before_it_is_read(db, settings):
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = client_for().generic(
        "POST",
        reverse("login"),
        b"x",  # the declared length is what counts
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(size),
    )
    assert_4xx(response, mentions="too large")
    assert response.status_code == 413


def test_a_large_upload_to_the_import_needs_the_import_permission(editor, settings):
    response = client_for(editor).generic(
        "POST",
        reverse("admin:articles_article_import"),
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
    )
    assert response.status_code == 413


@override_settings(IMPORT_UPLOAD_MAX_BYTES=20 * 1024 * 1024)
def test_the_import_upload_has_its_own_cap(admin_user, settings):
    client = client_for(admin_user)
    url = reverse("admin:articles_article_import")
    over = client.generic(
        "POST",
        url,
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.IMPORT_UPLOAD_MAX_BYTES + 1),
    )
    assert over.status_code == 413
    assert "too large" in over.content.decode()


def test_a_huge_field_is_refused(editor, article):
    response = client_for(editor).post(
        reverse("article_correct", args=[article.pk]),
        {"text": "x" * (11 * 1024 * 1024), "reason": "r", "content_hash": "x"},
    )
    assert_4xx(response)


def test_too_many_form_fields_is_a_400(editor, article):
    body = "&".join(f"f{i}=x" for i in range(1500))
    response = client_for(editor).post(
        reverse("article_correct", args=[article.pk]),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert_4xx(response)
