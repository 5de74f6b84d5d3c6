"""The admin's pages whose markup Django or django-otp writes are valid HTML (the Nu checker,
as tests/e2e/test_standards.py runs it): factcheck.admin_markup's fixes, each checked on the
page it fixes."""

import pytest

from tests import factories
from tests.e2e.test_standards import _vnu_errors

pytestmark = pytest.mark.django_db


def test_django_admin_pages_are_valid_html(admin_client, tmp_path):
    editor = factories.EditorFactory()
    article = factories.ArticleFactory()
    pages = {
        "article (optional outlet)": f"/admin/articles/article/{article.pk}/change/",
        "user (the password's summary)": f"/admin/auth/user/{editor.pk}/change/",
        "password (the unusable-password warning)": f"/admin/auth/user/{editor.pk}/password/",
        "authenticator (a key with a callable default)": "/admin/otp_totp/totpdevice/add/",
        "feed (a required outlet)": "/admin/webfetch/feed/add/",
    }  # fmt: skip
    files = {}
    for name, url in pages.items():
        response = admin_client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        path = tmp_path / f"{len(files)}.html"
        path.write_bytes(response.content)
        files[path] = name
    assert _vnu_errors(files) == []


def test_the_fixes_keep_what_django_meant(admin_client):
    """The empty choice still clears the outlet; the warning is still hidden by Django's own
    stylesheet while the password is kept; the summary still links to the password form."""
    editor = factories.EditorFactory()
    article = factories.ArticleFactory()
    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert '<option value="" label="—"></option>' in page
    page = admin_client.get(f"/admin/auth/user/{editor.pk}/password/").content.decode()
    assert 'id="id_unusable_warning" class="messagelist"' in page
    page = admin_client.get(f"/admin/auth/user/{editor.pk}/change/").content.decode()
    assert 'href="../password/"' in page and " disabled " not in page


def test_an_authenticator_is_still_added_in_the_admin(admin_client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    editor = factories.EditorFactory()
    form = admin_client.get("/admin/otp_totp/totpdevice/add/").context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data |= {"user": editor.pk, "name": "phone", "confirmed": "on"}
    response = admin_client.post("/admin/otp_totp/totpdevice/add/", {
        k: v for k, v in data.items() if v is not None
    })  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    device = TOTPDevice.objects.get(user=editor)
    assert device.key == form["key"].value()


def test_a_required_autocomplete_starts_with_a_placeholder_and_still_requires_a_choice(
    admin_client,
):
    from webfetch.models import Feed

    page = admin_client.get("/admin/webfetch/feed/add/").content.decode()
    assert '<option value="" label="—"></option>' in page
    response = admin_client.post(
        "/admin/webfetch/feed/add/", {"outlet": "", "url": "https://example.org/rss"}
    )
    assert response.status_code == 200 and not Feed.objects.exists()
    assert response.context["adminform"].form.errors["outlet"]
