"""Writing highlights through the client: create, edit, delete, re-attach, type-ahead."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Annotation, AnnotationChange, Claim
from claims.services.annotations import MISMATCH
from tests import factories

BODY = "Putin congratulated Trump via intermediaries, a source said.\nThe Kremlin denied it."


@pytest.fixture
def article(db):
    return factories.ArticleFactory(body=BODY)


def create_url(article):
    return reverse("article_annotations", args=[article.pk])


def selection(body, quote, **extra):
    start = body.index(quote)
    return {"start": start, "end": start + len(quote), "exact": quote, **extra}


def post_create(client, article, data, htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(create_url(article), data, headers=headers)


def test_create_with_a_new_claim(editor_client, editor, article):
    data = selection(BODY, "Putin congratulated Trump", stance="asserts", note="See **Vyorstka**")
    data["claim_text"] = "  Putin congratulated   Trump via intermediaries "
    response = post_create(editor_client, article, data)
    assert response.status_code == 200
    a = Annotation.objects.get()
    assert (a.start, a.end, a.exact) == (0, 25, "Putin congratulated Trump")
    assert a.claim.statement == "Putin congratulated Trump via intermediaries"
    assert a.claim.slug == "putin-congratulated-trump-via-intermediaries"
    assert a.author == editor and a.stance == "asserts"
    assert a.prefix == "" and a.suffix == BODY[25 : 25 + Annotation.CONTEXT_LENGTH]
    assert a.note_html == "<p>See <strong>Vyorstka</strong></p>\n"
    html = response.content.decode()
    # Only what changed, out of band: the body segment with the new words, the panel's claim
    # lines (this claim's opened on the new highlight) and the count.
    assert '<span class="seg" id="seg-0" data-hx-swap-oob="true">' in html
    assert 'id="article-body"' not in html
    assert f'id="claim-group-{a.claim_id}" open' in html
    assert f'data-annotation="{a.pk}"' in html
    assert '<span id="panel-count" class="muted" data-hx-swap-oob="true">(1)</span>' in html
    assert json.loads(response["HX-Trigger-After-Settle"]) == {"annotationsChanged": {"id": a.pk}}
    change = AnnotationChange.objects.get()
    assert change.action == "created" and change.before is None
    assert change.after["exact"] == "Putin congratulated Trump" and change.user == editor


def test_create_reuses_a_claim_with_the_same_statement(editor_client, article):
    claim = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    data = selection(BODY, "Kremlin denied", stance="disputes")
    data["claim_text"] = "PUTIN congratulated trump via intermediaries"
    assert post_create(editor_client, article, data).status_code == 200
    assert Claim.objects.count() == 1
    assert Annotation.objects.get().claim == claim


def test_create_with_an_existing_claim_by_id(editor_client, article):
    claim = factories.ClaimFactory()
    data = selection(BODY, "Kremlin denied", stance="disputes", claim=claim.pk, claim_text="x")
    assert post_create(editor_client, article, data).status_code == 200
    assert Annotation.objects.get().claim == claim


def test_create_without_htmx_redirects_to_the_highlight(editor_client, article):
    data = selection(BODY, "Kremlin", stance="disputes", claim_text="Kremlin denied")
    response = post_create(editor_client, article, data, htmx=False)
    a = Annotation.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#annotation-{a.pk}")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start": "x"}, "not a number"),
        ({"start": "-1"}, "not a number"),
        ({"end": ""}, "not a number"),
        ({"start": "1.5"}, "not a number"),
        ({"end": str(len(BODY) + 1)}, "outside the article"),
        ({"start": "5", "end": "5", "exact": ""}, "selection is empty"),
        ({"start": "10", "end": "5"}, "selection is empty"),
        ({"start": "5", "end": "6", "exact": " "}, "not just spaces"),
        ({"exact": "Putin congratulated Trumq"}, MISMATCH),
        ({"stance": "believes"}, "Choose a stance"),
        ({"stance": ""}, "Choose a stance"),
        ({"claim_text": "   "}, "Choose a claim or type a new one"),
        ({"claim": "999999"}, "no longer exists"),
    ],
)
def test_create_refuses_with_a_message(editor_client, article, change, message):
    data = selection(BODY, "Putin congratulated Trump", stance="asserts", claim_text="A claim")
    data.update(change)
    response = post_create(editor_client, article, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Annotation.objects.exists() and not AnnotationChange.objects.exists()
    assert not Claim.objects.exists()


def test_whitespace_only_selection_that_matches_is_refused(editor_client, article):
    i = BODY.index("\n")
    data = {"start": i, "end": i + 1, "exact": "\n", "stance": "asserts", "claim_text": "c"}
    response = post_create(editor_client, article, data)
    assert response.status_code == 422 and "not just spaces" in response.content.decode()


def test_a_whole_article_selected_by_mistake_is_refused_with_the_reason(
    editor_client, db, settings
):
    """Ctrl+A on a 4,000-character article used to be saved as one highlight."""
    body = "Putin congratulated Trump via intermediaries, a source said. " * 70
    article = factories.ArticleFactory(body=body)
    data = {"start": 0, "end": len(body), "exact": body, "stance": "asserts", "claim_text": "c"}
    response = post_create(editor_client, article, data)
    assert response.status_code == 422
    assert f"This selection is {len(body):,} characters long" in response.content.decode()
    assert not Annotation.objects.exists()
    # At the limit it is saved.
    limit = settings.HIGHLIGHT_MAX_CHARS
    data.update(end=limit, exact=body[:limit])
    assert post_create(editor_client, article, data).status_code in {200, 201}
    assert Annotation.objects.get().end == limit


def test_offsets_are_code_points_with_emoji_and_cyrillic(editor_client, db):
    body = "🇺🇦 Слава Україні! 😀 Путін привітав Трампа через посередників 🎉 — джерело."
    article = factories.ArticleFactory(body=body, language="uk")
    quote = "Путін привітав Трампа"
    data = selection(body, quote, stance="attributes", claim_text="Putin congratulated Trump")
    assert post_create(editor_client, article, data).status_code == 200
    a = Annotation.objects.get()
    assert body[a.start : a.end] == quote
    # UTF-16 offsets (what a browser measures before converting) are refused: they point elsewhere.
    utf16_start = len(body[: data["start"]].encode("utf-16-le")) // 2
    bad = dict(data, start=utf16_start, end=utf16_start + len(quote))
    response = post_create(editor_client, article, bad)
    assert response.status_code == 422 and MISMATCH in response.content.decode()


def test_reviewer_cannot_write(reviewer_client, article):
    a = factories.AnnotationFactory(article=article)
    data = selection(BODY, "Kremlin", stance="disputes", claim_text="c")
    assert post_create(reviewer_client, article, data).status_code == 403
    for name in ["annotation_edit", "annotation_delete", "annotation_reattach"]:
        url = reverse(name, args=[a.pk])
        assert reviewer_client.post(url, data).status_code == 403
    assert reviewer_client.get(reverse("annotation_edit", args=[a.pk])).status_code == 403
    assert reviewer_client.get(reverse("claim_suggest")).status_code == 403
    assert Annotation.objects.count() == 1 and not AnnotationChange.objects.exists()


def test_reviewer_reads_details(reviewer_client, article):
    a = factories.AnnotationFactory(
        article=article, note="A *note*", note_html="<p>A <em>note</em></p>"
    )
    r = reviewer_client.get(
        reverse("annotation_detail", args=[a.pk]), headers={"HX-Request": "true"}
    )
    assert r.status_code == 200 and "<em>note</em>" in r.content.decode()
    assert reverse("annotation_edit", args=[a.pk]) not in r.content.decode()


@pytest.mark.parametrize(
    "name", ["annotation_detail", "annotation_edit", "annotation_delete", "annotation_reattach"]
)
def test_anonymous_is_sent_to_sign_in(client, article, name):
    a = factories.AnnotationFactory(article=article)
    response = client.post(reverse(name, args=[a.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.post(create_url(article), {})
    assert response.status_code == 302


def test_detail_fragment_and_page(editor_client, article):
    a = factories.AnnotationFactory(article=article, quote="Kremlin denied")
    fragment = editor_client.get(
        reverse("annotation_detail", args=[a.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "Kremlin denied" in fragment and "<html" not in fragment
    assert reverse("annotation_edit", args=[a.pk]) in fragment
    page = editor_client.get(reverse("annotation_detail", args=[a.pk])).content.decode()
    assert "<html" in page and a.claim.statement in page


def test_cards_for_a_run_of_several_highlights(editor_client, article):
    a = factories.AnnotationFactory(article=article, quote="Putin congratulated")
    b = factories.AnnotationFactory(article=article, quote="congratulated Trump")
    other = factories.AnnotationFactory(quote="Kremlin")
    url = create_url(article) + f"?ids={a.pk},{b.pk},{other.pk},junk"
    html = editor_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert a.claim.statement in html and b.claim.statement in html
    assert other.claim.statement not in html  # another article's highlight is never shown here


@pytest.mark.parametrize("junk", ["²", str(2**70), "-1", "1\x00"])
def test_cards_ignore_ids_that_are_not_ids(editor_client, article, junk):
    a = factories.AnnotationFactory(article=article, quote="Putin congratulated")
    url = create_url(article)
    response = editor_client.get(url, {"ids": f"{junk},{a.pk}"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert a.claim.statement in response.content.decode()


def test_edit_changes_stance_note_and_claim_with_history(editor_client, editor, article):
    a = factories.AnnotationFactory(article=article, quote="Kremlin denied", stance="asserts")
    url = reverse("annotation_edit", args=[a.pk])
    form = editor_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Edit highlight" in form and a.claim.statement in form
    response = editor_client.post(
        url,
        {"claim_text": "The Kremlin denied it", "stance": "disputes", "note": "_Peskov_"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    a.refresh_from_db()
    assert a.stance == "disputes" and a.claim.statement == "The Kremlin denied it"
    assert a.note_html == "<p><em>Peskov</em></p>\n"
    change = AnnotationChange.objects.get(action="updated")
    assert change.before["stance"] == "asserts" and change.after["stance"] == "disputes"
    assert change.user == editor


def test_edit_errors_are_shown(editor_client, article):
    a = factories.AnnotationFactory(article=article)
    url = reverse("annotation_edit", args=[a.pk])
    r = editor_client.post(
        url, {"claim": a.claim_id, "stance": "nope"}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 422 and "Choose a stance" in r.content.decode()
    r = editor_client.post(url, {"claim": a.claim_id, "stance": "nope"})
    assert r.status_code == 422 and "Choose a stance" in r.content.decode()


def test_edit_without_change_records_nothing(editor_client, article):
    a = factories.AnnotationFactory(article=article)
    url = reverse("annotation_edit", args=[a.pk])
    editor_client.post(url, {"claim": a.claim_id, "stance": a.stance, "note": ""})
    assert not AnnotationChange.objects.exists()


def test_delete_asks_first_then_deletes_and_keeps_history(editor_client, editor, article):
    a = factories.AnnotationFactory(article=article, quote="Kremlin denied")
    url = reverse("annotation_delete", args=[a.pk])
    confirm = editor_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Delete highlight" in confirm and "Kremlin denied" in confirm
    page = editor_client.get(url).content.decode()
    assert "<html" in page and "Delete highlight" in page
    assert Annotation.objects.filter(pk=a.pk).exists()
    response = editor_client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert not Annotation.objects.filter(pk=a.pk).exists()
    change = AnnotationChange.objects.get()
    assert change.action == "deleted" and change.annotation_key == a.pk
    assert change.before["exact"] == "Kremlin denied" and change.after is None
    assert change.user == editor


def test_a_deletion_says_so_and_can_be_undone_once_by_its_author(editor_client, editor, article):
    a = factories.AnnotationFactory(
        article=article, quote="Kremlin denied", stance="disputes", note="From *TASS*"
    )
    response = editor_client.post(reverse("annotation_delete", args=[a.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    change = AnnotationChange.objects.get(action="deleted")
    restore = reverse("annotation_restore", args=[change.pk])
    assert "Highlight “Kremlin denied” deleted." in html and restore in html

    # Another editor cannot undo someone else's deletion.
    other = Client()
    other.force_login(factories.EditorFactory())
    refused = other.post(restore, HTTP_HX_REQUEST="true")
    assert refused.status_code == 403
    assert not Annotation.objects.exists()

    response = editor_client.post(restore, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Highlight brought back." in response.content.decode()
    back = Annotation.objects.get()
    assert (back.claim_id, back.stance, back.note) == (a.claim_id, "disputes", "From *TASS*")
    assert article.body[back.start : back.end] == back.exact == "Kremlin denied"
    assert AnnotationChange.objects.filter(action="created", annotation=back).exists()
    # Once only.
    again = editor_client.post(restore, HTTP_HX_REQUEST="true")
    assert again.status_code == 422 and "brought back already" in again.content.decode()
    assert Annotation.objects.count() == 1


def test_an_undo_after_the_words_changed_is_refused(editor_client, editor, article):
    from claims.services.corrections import article_correct

    a = factories.AnnotationFactory(article=article, quote="Kremlin denied")
    editor_client.post(reverse("annotation_delete", args=[a.pk]), HTTP_HX_REQUEST="true")
    change = AnnotationChange.objects.get(action="deleted")
    article_correct(
        article=article, user=editor, new_text=BODY.replace("Kremlin denied", "Kremlin refuted"),
        reason="The outlet changed a word.",
    )  # fmt: skip
    response = editor_client.post(
        reverse("annotation_restore", args=[change.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code in {409, 422}
    assert not Annotation.objects.exists()


def test_reattach_an_orphan_to_new_words(editor_client, article):
    a = factories.AnnotationFactory(article=article, quote="Kremlin", orphaned=True)
    url = reverse("annotation_reattach", args=[a.pk])
    data = selection(BODY, "Kremlin denied it")
    response = editor_client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    a.refresh_from_db()
    assert not a.orphaned and a.exact == "Kremlin denied it"
    assert BODY[a.start : a.end] == "Kremlin denied it"
    change = AnnotationChange.objects.get()
    assert change.action == "reattached" and change.before["orphaned"] is True


def test_reattach_refuses_a_mismatch(editor_client, article):
    a = factories.AnnotationFactory(article=article, orphaned=True)
    url = reverse("annotation_reattach", args=[a.pk])
    data = dict(selection(BODY, "Kremlin denied it"), exact="Kremlin denies it")
    response = editor_client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 422 and MISMATCH in response.content.decode()
    a.refresh_from_db()
    assert a.orphaned


def test_suggest_lists_matching_claims_with_outlet_counts(editor_client, db):
    claim = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    factories.ClaimFactory(statement="Trump promised to end the war in 24 hours")
    for outlet in factories.OutletFactory.create_batch(3):
        factories.AnnotationFactory(claim=claim, article=factories.ArticleFactory(outlet=outlet))
    html = editor_client.get(reverse("claim_suggest"), {"claim_text": "congrat"}).content.decode()
    assert claim.statement in html and "appears in 3 outlets" in html
    assert "24 hours" not in html
    html = editor_client.get(reverse("claim_suggest"), {"q": "nothing like it"}).content.decode()
    assert "saving creates a new one" in html


def test_suggest_says_existing_claim_when_the_typed_text_is_one(editor_client, db):
    claim = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries, TASS says")
    factories.AnnotationFactory(claim=claim)
    html = editor_client.get(
        reverse("claim_suggest"), {"q": "  putin CONGRATULATED trump  via intermediaries"}
    ).content.decode()
    assert f'data-claim-id="{claim.pk}"' in html
    assert f"Existing claim: {claim.statement}" in html
    assert "saving creates a new one" not in html
    html = editor_client.get(reverse("claim_suggest"), {"q": claim.statement.upper()}).content
    html = html.decode()
    assert html.count(f'data-claim-id="{claim.pk}"') == 1  # not listed twice
    assert "TASS says" in html  # the other matches still follow
    html = editor_client.get(
        reverse("claim_suggest"), {"q": "Putin congratulated"}
    ).content.decode()
    assert "Existing claim:" not in html
    response = editor_client.get(reverse("claim_suggest"), {"q": "Putin congratulated\x00"})
    assert response.status_code == 200


def test_suggest_with_a_nul_byte_is_not_a_500(editor_client, db):
    # PostgreSQL refuses NUL even in a query parameter; SQLite does not mind.
    claim = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    response = editor_client.get(reverse("claim_suggest"), {"q": "congr\x00at"})
    assert response.status_code == 200
    assert claim.statement in response.content.decode()


def test_a_user_without_role_gets_403_on_writes(article):
    c = Client()
    c.force_login(factories.UserFactory())
    data = selection(BODY, "Kremlin", stance="disputes", claim_text="c")
    assert c.post(create_url(article), data).status_code == 403
