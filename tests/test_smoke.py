import re

import pytest
from django.contrib.auth.models import Group

from factcheck import roles


@pytest.mark.django_db
def test_roles_exist_with_their_permissions():
    editors = Group.objects.get(name=roles.EDITORS)
    reviewers = Group.objects.get(name=roles.REVIEWERS)
    assert editors.permissions.filter(codename="add_annotation").exists()
    assert not editors.permissions.filter(codename="review_verdict").exists()
    assert reviewers.permissions.filter(codename="review_verdict").exists()
    assert not reviewers.permissions.filter(codename="add_annotation").exists()


@pytest.mark.django_db
def test_htmx_loads_with_the_nonce_and_no_debug_page_replacer(client, settings):
    # django-htmx's DEBUG helper swaps the whole page for any 400/403 answer; our refusals
    # are fragments for the form, so `make run` (DEBUG=1) must not load it.
    settings.DEBUG = True
    response = client.get("/accounts/login/")  # public pages load no script at all
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'htmx-2.min.js" defer nonce="{nonce}"' in html
    assert "django-htmx.js" not in html


def test_favicon_ico_points_at_our_icon(client):
    # The admin and the JSON-LD export have no <link rel="icon">; the browser's own request
    # for /favicon.ico must not show up as a 404 in its console.
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
