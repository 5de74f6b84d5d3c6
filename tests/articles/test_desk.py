import pytest

from tests.factories import AnnotationFactory, ArticleFactory, OutletFactory, UserFactory

DESK = "/desk/"


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(DESK)
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/desk/"


@pytest.mark.django_db
def test_signed_in_users_without_a_desk_role_are_refused(client):
    client.force_login(UserFactory())
    assert client.get(DESK).status_code == 403


@pytest.mark.django_db
def test_editors_and_reviewers_see_the_desk(editor_client, reviewer_client):
    ArticleFactory(title="Peskov denies the call")
    for client in (editor_client, reviewer_client):
        response = client.get(DESK)
        assert response.status_code == 200
        assert "Peskov denies the call" in response.text


@pytest.mark.django_db
def test_articles_show_outlet_date_annotation_count_and_needs_metadata(editor_client):
    outlet = OutletFactory(name="Caliber.az")
    article = ArticleFactory(title="Kremlin denies reports", outlet=outlet)
    AnnotationFactory.create_batch(3, article=article, author=UserFactory())
    ArticleFactory(title="", outlet=None, published_on=None, source_filename="mystery.txt")
    response = editor_client.get(DESK)
    rows = {a.pk: a for a in response.context["page"].object_list}
    assert rows[article.pk].annotation_count == 3
    text = response.text
    assert "Caliber.az" in text
    assert article.published_on.strftime("%Y-%m-%d") in text
    assert "mystery.txt" in text
    assert text.count('class="badge badge-warn"') == 1


@pytest.mark.django_db
def test_search_by_title_and_by_text(editor_client):
    ArticleFactory(title="Pure fiction, says the Kremlin", body="Peskov spoke on Monday.")
    ArticleFactory(title="Another story", body="The Washington Post reported a phone call.")
    ArticleFactory(title="Unrelated", body="Nothing to see.")

    def titles(q):
        page = editor_client.get(DESK, {"q": q}).context["page"]
        return sorted(a.title for a in page.object_list)

    assert titles("pure FICTION") == ["Pure fiction, says the Kremlin"]
    assert titles("washington post") == ["Another story"]
    assert titles("") == ["Another story", "Pure fiction, says the Kremlin", "Unrelated"]


@pytest.mark.django_db
def test_filter_by_outlet_and_missing_metadata(editor_client):
    cnbc = OutletFactory(name="CNBC")
    mine = ArticleFactory(outlet=cnbc, title="CNBC story")
    ArticleFactory(title="Elsewhere")
    undated = ArticleFactory(outlet=cnbc, title="Undated", published_on=None)
    response = editor_client.get(DESK, {"outlet": cnbc.pk})
    assert set(response.context["page"].object_list) == {mine, undated}
    assert f'<option value="{cnbc.pk}" selected>CNBC</option>' in response.text
    response = editor_client.get(DESK, {"metadata": "missing"})
    assert list(response.context["page"].object_list) == [undated]
    # Garbage in the outlet parameter is ignored, not an error.
    assert editor_client.get(DESK, {"outlet": "x'; drop"}).status_code == 200


@pytest.mark.django_db
def test_honest_empty_states(editor_client):
    response = editor_client.get(DESK)
    assert "No articles yet" in response.text
    assert "import_articles" in response.text
    ArticleFactory(title="Something")
    response = editor_client.get(DESK, {"q": "nothing like this"})
    assert "No article matches" in response.text
    assert "Show all articles" in response.text


@pytest.mark.django_db
def test_admins_are_offered_the_import_and_the_metadata_fix(admin_client):
    assert "/admin/articles/article/import/" in admin_client.get(DESK).text
    article = ArticleFactory(published_on=None)
    assert f"/admin/articles/article/{article.pk}/change/" in admin_client.get(DESK).text


@pytest.mark.django_db
def test_pagination_keeps_the_filters(editor_client):
    outlet = OutletFactory()
    ArticleFactory.create_batch(51, outlet=outlet)
    response = editor_client.get(DESK, {"outlet": outlet.pk})
    assert "1–50 of 51 articles" in response.text
    assert f"outlet={outlet.pk}&amp;page=2" in response.text
    second = editor_client.get(DESK, {"outlet": outlet.pk, "page": 2})
    assert len(second.context["page"].object_list) == 1


# session, user, user and group permissions, article count, outlets, the page of articles
# session, user, groups×2 (roles), count, articles, the page's annotation counts, outlets,
# my drafts, assigned to me
DESK_QUERIES = 10


@pytest.mark.django_db
@pytest.mark.parametrize("articles", [3, 30])
def test_query_count_does_not_grow_with_articles(
    editor_client, django_assert_num_queries, articles
):
    author = UserFactory()
    for article in ArticleFactory.create_batch(articles, outlet=OutletFactory()):
        AnnotationFactory(article=article, author=author)
    with django_assert_num_queries(DESK_QUERIES):
        response = editor_client.get(DESK)
    assert len(response.context["page"].object_list) == articles


@pytest.mark.django_db
@pytest.mark.parametrize("drafts", [1, 8])
def test_my_drafts_are_listed_in_constant_queries(
    editor, editor_client, django_assert_num_queries, drafts
):
    from claims.models import Status
    from tests.factories import VerdictFactory

    ArticleFactory()
    mine = VerdictFactory.create_batch(drafts, author=editor, last_edited_by=editor)
    VerdictFactory(status=Status.SUBMITTED)  # someone else's: not listed
    with django_assert_num_queries(DESK_QUERIES):
        response = editor_client.get(DESK)
    listed = list(response.context["my_drafts"])
    assert {v.pk for v in listed} == {v.pk for v in mine}
    assert mine[0].claim.statement in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("outlet", ["²", str(2**70), "-1", "abc"])
def test_a_garbled_outlet_filter_is_ignored_not_a_500(editor_client, outlet):
    ArticleFactory(title="Still listed")
    response = editor_client.get(DESK, {"outlet": outlet})
    assert response.status_code == 200
    assert "Still listed" in response.text


@pytest.mark.django_db
def test_search_with_a_nul_byte_is_not_a_500(editor_client):
    # PostgreSQL refuses NUL even in a query parameter; SQLite does not mind.
    ArticleFactory(title="Peskov denies the call")
    response = editor_client.get(DESK, {"q": "Pes\x00kov"})
    assert response.status_code == 200
    assert "Peskov denies the call" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("desk_language", "article_language", "said"),
    [
        ("en", "uk", "Language: Ukrainian"),
        ("uk", "en", "Мова: Англійська"),
        ("uk", "ru", "Мова: Російська"),
        ("en", "pt-br", "Language: Brazilian Portuguese"),
        ("en", "x-klingon", "Language: x-klingon"),  # a tag Django does not know, as it is
    ],
)
def test_the_article_page_names_its_language_in_the_readers_language(
    editor_client, desk_language, article_language, said
):
    article = ArticleFactory(language=article_language)
    response = editor_client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=desk_language)
    assert said in " ".join(response.content.decode().split())
