import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ImportBatch
from claims.models import AnnotationChange, ArticleCorrection, Status, VerdictTransition
from tests.articles.helpers import RUSSIAN, SEEDS, import_files, make_zip
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    EditorFactory,
    EvidenceLinkFactory,
    UserFactory,
)

IMPORT_URL = "/admin/articles/article/import/"


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def some_of_everything(admin_user):
    annotation = AnnotationFactory()
    article = annotation.article
    evidence = EvidenceLinkFactory(verdict__claim=annotation.claim)
    VerdictTransition.objects.create(
        verdict=evidence.verdict, user=admin_user, from_status=Status.DRAFT, to_status="submitted"
    )
    AnnotationChange.objects.create(
        annotation=annotation,
        annotation_key=annotation.pk,
        article=article,
        action="created",
        user=admin_user,
    )
    ArticleCorrection.objects.create(
        article=article, previous_body=article.body, reason="typo", author=admin_user
    )
    import_files(("x.txt", b"Imported through the admin test."), ("y.txt", b""), user=admin_user)
    return article


@pytest.mark.django_db
def test_every_model_is_registered():
    ours = {
        model
        for label in ("articles", "claims")
        for model in apps.get_app_config(label).get_models()
    }
    assert ours <= set(admin.site._registry)


@pytest.mark.django_db
def test_every_registered_model_has_a_working_changelist_and_change_page(
    admin_client, some_of_everything
):
    for model in admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = admin_client.get(changelist)
        assert response.status_code == 200, changelist
        response = admin_client.get(changelist, {"q": "Putin"})
        assert response.status_code == 200, changelist
        obj = model._default_manager.first()
        if obj is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert admin_client.get(change).status_code == 200, change


@pytest.mark.django_db
def test_the_article_changelist_links_to_the_import_and_has_no_add_form(admin_client):
    response = admin_client.get("/admin/articles/article/")
    assert f'href="{IMPORT_URL}"' in response.text
    assert "Import article files" in response.text
    assert admin_client.get("/admin/articles/article/add/").status_code == 403


@pytest.mark.django_db
def test_needs_metadata_column_and_filter(admin_client):
    complete = ArticleFactory(title="Complete one")
    incomplete = ArticleFactory(title="Missing date", published_on=None)
    response = admin_client.get("/admin/articles/article/", {"metadata": "missing"})
    assert list(response.context["cl"].result_list) == [incomplete]
    assert "needs metadata" in response.text
    response = admin_client.get("/admin/articles/article/", {"metadata": "complete"})
    assert list(response.context["cl"].result_list) == [complete]


@pytest.mark.django_db
def test_article_changelist_query_count_does_not_grow(admin_client):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get("/admin/articles/article/").status_code == 200
        return len(ctx)

    ArticleFactory.create_batch(2)
    few = count()
    ArticleFactory.create_batch(20)
    assert count() == few


@pytest.mark.django_db
def test_article_admin_edits_metadata_but_not_the_text(admin_client):
    annotation = AnnotationFactory()
    article = annotation.article
    url = f"/admin/articles/article/{article.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="body"' not in page.text
    assert 'name="title"' in page.text
    # The text is shown with its highlight and the annotation listed.
    assert re.search(r"<mark title=\"Asserts: [^\"]+\">" + re.escape(annotation.exact), page.text)
    assert str(annotation.claim) in page.text
    response = admin_client.post(
        url,
        {
            "title": "Corrected title",
            "outlet": article.outlet_id,
            "published_on": "2024-11-06",
            "url": "",
            "language": "en",
            "body": "Tampered text",
            "annotations-TOTAL_FORMS": "1",
            "annotations-INITIAL_FORMS": "1",
            "annotations-MIN_NUM_FORMS": "0",
            "annotations-MAX_NUM_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    article.refresh_from_db()
    assert article.title == "Corrected title"
    assert article.body != "Tampered text"


@pytest.mark.django_db
def test_bulk_upload_of_many_files_and_a_zip(admin_client, admin_user):
    page = admin_client.get(IMPORT_URL)
    assert page.status_code == 200
    assert 'type="file"' in page.text and "multiple" in page.text
    files = [
        upload("one.txt", b"First headline here\n\nFirst body."),
        upload("two.txt", RUSSIAN.encode("cp1251")),
        upload("empty.txt", b""),
        upload("bundle.zip", make_zip({"a.txt": b"Zipped article text.", "../b.txt": b"no"})),
        upload("000_01bdff13e4530c6d.txt", (SEEDS / "000_01bdff13e4530c6d.txt").read_bytes()),
    ]
    response = admin_client.post(IMPORT_URL, {"files": files})
    # The upload is queued and the admin is taken to the batch's page (the tests' task
    # backend runs the import at once; tests/articles/test_background_import.py covers the
    # worker).
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/articles/importbatch/{batch.pk}/change/"
    text = admin_client.get(response.url).text
    assert "Files done: 6 of 6" in text
    assert "4 imported, 0 duplicates, 2 failed" in text
    for name in ("one.txt", "two.txt", "empty.txt", "bundle.zip:a.txt", "bundle.zip:../b.txt"):
        assert name in text
    assert "empty file" in text
    assert "path leaves the archive" in text
    assert (batch.via, batch.user, batch.imported, batch.failed) == ("admin", admin_user, 4, 2)
    assert batch.status == "done" and batch.total == 6
    assert batch.records.count() == 6
    assert Article.objects.get(source_filename="two.txt").body == RUSSIAN
    # The stored upload is gone once the batch has run.
    assert not batch.uploads.exists()
    # Uploading the same again: all duplicates, nothing new.
    again = [upload("one.txt", b"First headline here\n\nFirst body.")]
    response = admin_client.post(IMPORT_URL, {"files": again}, follow=True)
    assert "0 imported, 1 duplicate, 0 failed" in response.text
    assert Article.objects.count() == 4


@pytest.mark.django_db
def test_the_import_report_flags_articles_that_need_metadata(admin_client):
    """QA: a file with no outlet or date read plain "Imported"."""
    files = [
        upload("bare.txt", b"Fresh article title\n\nA body that names no outlet or date."),
        upload("000_01bdff13e4530c6d.txt", (SEEDS / "000_01bdff13e4530c6d.txt").read_bytes()),
    ]
    response = admin_client.post(IMPORT_URL, {"files": files}, follow=True)
    text = response.text
    assert "2 imported, 0 duplicates, 0 failed" in text
    bare = Article.objects.get(source_filename="bare.txt")
    assert bare.missing_metadata == ["outlet", "date"]
    assert "1 of the articles needs metadata" in text
    assert 'href="/admin/articles/article/?metadata=missing"' in text
    rows = re.findall(r'<tr class="form-row.*?</tr>', text, re.S)
    flagged = [r for r in rows if "needs metadata" in r]
    assert len(flagged) == 1 and "bare.txt" in flagged[0] and "(no outlet or date)" in flagged[0]
    assert f'href="/admin/articles/article/{bare.pk}/change/">fill in</a>' in flagged[0]
    complete = [r for r in rows if "000_01bdff13e4530c6d.txt" in r]
    assert len(complete) == 1 and "complete" in complete[0]


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_a_nul_character_after_decoding_fails_that_file_only(admin_client, encoding):
    # The raw-bytes NUL check cannot see it in UTF-16; PostgreSQL would refuse the text.
    files = [
        upload("nul.txt", "Headline\n\nBody with a \x00 in it.".encode(encoding)),
        upload("fine.txt", b"Fine headline\n\nFine body."),
    ]
    response = admin_client.post(IMPORT_URL, {"files": files}, follow=True)
    assert response.status_code == 200
    assert "1 imported, 0 duplicates, 1 failed" in response.text
    assert "it contains a NUL character" in response.text
    assert list(Article.objects.values_list("source_filename", flat=True)) == ["fine.txt"]


@pytest.mark.django_db
def test_bulk_upload_requires_files(admin_client):
    response = admin_client.post(IMPORT_URL, {})
    assert response.status_code == 200
    assert "This field is required" in response.text
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_bulk_upload_needs_the_add_article_permission(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"files": [upload("a.txt", b"text")]}).status_code == 403
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_desk_editors_cannot_reach_the_admin(client):
    client.force_login(EditorFactory())
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response.url
