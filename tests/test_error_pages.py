"""Styled 403, 404 and 500 pages."""

import pytest
from django.template import loader
from django.test import RequestFactory

from factcheck.urls import handler500, server_error

pytestmark = pytest.mark.django_db


def test_an_editor_on_the_review_page_is_told_which_role_it_needs(editor_client):
    response = editor_client.get("/desk/review/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "site.css" in html and "You can't open this page" in html
    assert "This page is for reviewers" in html
    assert "signed in as" in html
    assert 'href="/desk/"' in html


def test_someone_without_a_role_gets_the_desk_explained(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/desk/")
    assert response.status_code == 403
    assert "editors and reviewers" in response.content.decode()


def test_404_is_styled_and_offers_search(client):
    response = client.get("/claims/no-such-claim/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'role="search"' in html
    assert "may not be published yet" in html
    assert client.get("/nowhere/").status_code == 404


def test_500_needs_neither_the_database_nor_the_request(django_assert_num_queries, settings):
    settings.SITE_NAME = "Example Fact Check"
    assert handler500 is server_error
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
        html = loader.get_template("500.html").render({})
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content and "Example Fact Check" in content
    assert "<script" not in content and "<script" not in html
