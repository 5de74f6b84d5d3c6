"""The claim radar on the desk, on both databases: scans on import, on a new claim or wording
and after a correction; accept and reject; the claim and review pages; the command."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from articles.models import Article
from bench.radar_set import ARTICLES
from claims.models import Annotation, Claim, ClaimChange, ClaimWording
from claims.services.corrections import article_correct
from claims.services.wordings import claim_wording_set
from radar.models import Rejection, Scan, Suggestion
from tests import factories

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"
CLAIM = "Putin congratulated Trump on his election victory"
LOOKALIKES = dict((key, body) for key, _, body in ARTICLES)["en-lookalikes"]


@pytest.fixture
def seeds(db, django_capture_on_commit_callbacks):
    """The seeds imported through the command, with the claim known first: the import's
    signal scans them (tasks run at once in the tests)."""
    with django_capture_on_commit_callbacks(execute=True):
        claim = Claim.objects.create(statement=CLAIM)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(SEEDS), stdout=io.StringIO())
    return claim


def _suggested(claim):
    return list(Suggestion.objects.filter(claim=claim).order_by("article_id", "start"))


def test_importing_scans_the_articles_and_suggests_the_claim(seeds):
    found = _suggested(seeds)
    assert len({s.article_id for s in found}) == 4  # the gazzeta seed speaks of a phone call
    for s in found:
        body = Article.objects.get(pk=s.article_id).body
        assert body[s.start : s.end] == s.exact
        assert 0 <= s.score <= 1
    stances = {s.stance for s in found}
    assert stances == {"attributes", "disputes"}
    assert Scan.objects.filter(status=Scan.Status.DONE, total=5, done=5).exists()


def test_the_seeds_look_alikes_are_not_suggested(seeds, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        zelensky = Claim.objects.create(statement="Zelensky congratulated Trump")
    exacts = [s.exact for s in _suggested(seeds)]
    assert not any("Zelensky" in e for e in exacts)
    assert not any("Peskov was reportedly asked" in e for e in exacts)
    assert any("Zelensky" in s.exact for s in _suggested(zelensky))
    # An article of look-alikes: Zelensky, Tokayev, Biden, the roles reversed, a hypothesis.
    article = factories.ArticleFactory(body=LOOKALIKES)
    call_command("suggest_claims", str(article.pk), "--json", stdout=(out := io.StringIO()))
    rows = json.loads(out.getvalue())
    assert [r["exact"] for r in rows if r["claim"] == seeds.pk] == []
    assert [r["claim"] for r in rows] == [zelensky.pk]


def test_the_command_prints_the_spec_json(seeds):
    out = io.StringIO()
    call_command("suggest_claims", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert isinstance(rows, list) and rows
    for row in rows:
        assert set(row) == {"article", "claim", "start", "end", "exact", "stance", "score"}
        assert isinstance(row["start"], int) and isinstance(row["end"], int)
        assert (
            Article.objects.get(pk=row["article"]).body[row["start"] : row["end"]] == (row["exact"])
        )
        assert row["stance"] in ("asserts", "attributes", "disputes")
        assert 0 <= row["score"] <= 1
    # The same as the desk stores, computed afresh.
    stored = {(s.article_id, s.claim_id, s.start, s.end) for s in Suggestion.objects.all()}
    assert {(r["article"], r["claim"], r["start"], r["end"]) for r in rows} == stored
    one = rows[0]["article"]
    out = io.StringIO()
    call_command("suggest_claims", str(one), "--json", stdout=out)
    assert {r["article"] for r in json.loads(out.getvalue())} == {one}
    with pytest.raises(CommandError, match="No article with id 999999"):
        call_command("suggest_claims", "999999", "--json", stdout=io.StringIO())


def test_accept_creates_the_highlight_with_the_words_and_chosen_stance(seeds, editor_client):
    suggestion = _suggested(seeds)[0]
    url = reverse("radar_suggestion_accept", args=[suggestion.pk])
    response = editor_client.post(url, {"stance": "asserts"})
    assert response.status_code == 302
    annotation = Annotation.objects.get(article=suggestion.article, claim=seeds)
    body = suggestion.article.body
    assert (annotation.start, annotation.end) == (suggestion.start, suggestion.end)
    assert body[annotation.start : annotation.end] == annotation.exact == suggestion.exact
    assert annotation.stance == "asserts"  # edited before saving
    assert not Suggestion.objects.filter(pk=suggestion.pk).exists()
    # Never suggested again: a rescan leaves the highlighted words out.
    call_command(
        "suggest_claims", str(suggestion.article_id), "--json", stdout=(out := io.StringIO())
    )
    assert suggestion.start not in [r["start"] for r in json.loads(out.getvalue())]


def test_accept_refuses_a_bad_stance_and_reviewers(seeds, editor_client, reviewer_client):
    suggestion = _suggested(seeds)[0]
    url = reverse("radar_suggestion_accept", args=[suggestion.pk])
    assert reviewer_client.post(url, {"stance": "asserts"}).status_code == 403
    editor_client.post(url, {"stance": "believes"})
    assert not Annotation.objects.exists()
    assert Suggestion.objects.filter(pk=suggestion.pk).exists()


def test_reject_is_remembered_with_who(
    seeds, editor, editor_client, django_capture_on_commit_callbacks
):
    suggestion = _suggested(seeds)[0]
    response = editor_client.post(reverse("radar_suggestion_reject", args=[suggestion.pk]))
    assert response.status_code == 302
    rejection = Rejection.objects.get()
    assert (rejection.user, rejection.claim, rejection.exact) == (editor, seeds, suggestion.exact)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("radar_article_rescan", args=[suggestion.article_id]))
    again = Suggestion.objects.filter(article_id=suggestion.article_id, claim=seeds)
    assert suggestion.exact not in [s.exact for s in again]
    assert again.exists()  # the article's other passages are back


def test_a_new_wording_rescans_the_archive(db, editor, django_capture_on_commit_callbacks):
    uk_body = dict((key, body) for key, _, body in ARTICLES)["uk-news"]
    article = factories.ArticleFactory(body=uk_body, language="uk")
    with django_capture_on_commit_callbacks(execute=True):
        claim = Claim.objects.create(statement=CLAIM)
    assert not Suggestion.objects.filter(article=article).exists()
    with django_capture_on_commit_callbacks(execute=True):
        claim_wording_set(
            claim=claim, user=editor, language="uk", text="Путін привітав Трампа з перемогою"
        )
    found = Suggestion.objects.filter(article=article, claim=claim)
    assert {s.stance for s in found} == {"attributes"}
    assert ClaimChange.objects.get(claim=claim).language == "uk"
    assert Scan.objects.filter(claim=claim, status=Scan.Status.DONE).count() == 2


def test_a_wording_is_added_on_the_claim_page_and_found_by_search(editor_client):
    claim = factories.ClaimFactory(statement=CLAIM)
    url = reverse("claim_wording", args=[claim.pk])
    editor_client.post(url, {"language": "ru", "text": "Путин поздравил Трампа"})
    assert ClaimWording.objects.get(claim=claim).text == "Путин поздравил Трампа"
    page = editor_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "Путин поздравил Трампа" in page
    listed = editor_client.get(reverse("claim_list"), {"q": "Путин поздравил"}).content.decode()
    assert CLAIM in listed
    assert list(Claim.objects.search("поздравил Путина")) == [claim]
    # Bad input changes nothing.
    editor_client.post(url, {"language": "Russian!", "text": "x"})
    assert ClaimWording.objects.count() == 1


def test_a_correction_never_leaves_a_suggestion_on_changed_text(
    seeds, editor, django_capture_on_commit_callbacks
):
    suggestion = _suggested(seeds)[0]
    article = suggestion.article
    new_text = "A new first paragraph.\n\n" + article.body.replace(
        suggestion.exact, suggestion.exact.replace("Putin", "Vladimir Vladimirovich Putin"), 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_correct(article=article, user=editor, new_text=new_text, reason="Typo")
    article.refresh_from_db()
    for s in Suggestion.objects.filter(article=article):
        assert article.body[s.start : s.end] == s.exact
    assert not Suggestion.objects.filter(pk=suggestion.pk).exists()
    assert Suggestion.objects.filter(article=article).exists()


def test_the_desk_pages_show_suggestions_and_counts(seeds, editor_client, reviewer_client):
    suggestion = _suggested(seeds)[0]
    page = editor_client.get(reverse("article_detail", args=[suggestion.article_id]))
    html = page.content.decode()
    assert f'id="suggestion-{suggestion.pk}"' in html
    assert f'data-start="{suggestion.start}"' in html
    assert "js/radar.js" in html and 'type="module"' in html
    claim_page = editor_client.get(reverse("claim_detail", args=[seeds.pk])).content.decode()
    assert "Likely appearances" in claim_page and f'id="likely-{suggestion.pk}"' in claim_page
    waiting = Suggestion.objects.filter(claim=seeds).count()
    review = reviewer_client.get(reverse("review"), {"status": "all"}).content.decode()
    assert f'data-radar-count="{waiting}"' in review


def test_scan_progress_answers_desk_members_only(seeds, editor_client, client):
    scan = Scan.objects.first()
    url = reverse("radar_scan_progress", args=[scan.pk])
    answer = editor_client.get(url).json()
    assert answer["status"] == "done" and answer["active"] is False
    assert client.get(url).status_code == 302  # signed out: to the sign-in page


def test_public_search_and_type_ahead_match_every_wording(client, editor, editor_client):
    from claims.models import ClaimWording
    from tests.claims.helpers import publish

    claim = factories.ClaimFactory(statement="Putin congratulated Trump")
    ClaimWording.objects.create(claim=claim, language="uk", text="Путін привітав Трампа")
    publish(claim=claim, rating="false")  # the public search reads the published wordings
    html = client.get(reverse("home"), {"q": "Путін привітав"}).content.decode()
    assert "Putin congratulated Trump" in html
    typed = editor_client.get(reverse("claim_suggest"), {"q": "Путін прив"})
    assert "Putin congratulated Trump" in typed.content.decode()


def test_the_panel_escapes_what_it_shows(seeds, editor_client):
    suggestion = _suggested(seeds)[0]
    Claim.objects.filter(pk=seeds.pk).update(statement="<script>alert(1)</script>")
    Suggestion.objects.filter(pk=suggestion.pk).update(reason="<b>bold</b>")
    html = editor_client.get(reverse("article_detail", args=[suggestion.article_id]))
    html = html.content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html


def test_accept_from_the_claim_page_goes_back_there_and_never_elsewhere(seeds, editor_client):
    first, second = _suggested(seeds)[:2]
    back = reverse("claim_detail", args=[seeds.pk]) + "#radar"
    url = reverse("radar_suggestion_accept", args=[first.pk])
    assert editor_client.post(url, {"stance": "disputes", "next": back})["Location"] == back
    url = reverse("radar_suggestion_reject", args=[second.pk])
    response = editor_client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("article_detail", args=[second.article_id]) + "#radar"
    # Accepting what is gone says so and changes nothing.
    editor_client.post(reverse("radar_suggestion_accept", args=[first.pk]), {"stance": "asserts"})
    assert Annotation.objects.count() == 1


def test_a_refused_accept_leaves_the_suggestion_waiting(seeds, editor):
    from factcheck.errors import Refused
    from radar.services import suggestion_accept

    suggestion = _suggested(seeds)[0]
    Suggestion.objects.filter(pk=suggestion.pk).update(exact="words that are not there")
    with pytest.raises(Refused):
        suggestion_accept(suggestion=suggestion, user=editor, stance="asserts")
    assert Suggestion.objects.filter(pk=suggestion.pk).exists()
    assert not Annotation.objects.exists()


def test_only_editors_reject_and_rescan(seeds, reviewer_client, client):
    suggestion = _suggested(seeds)[0]
    reject = reverse("radar_suggestion_reject", args=[suggestion.pk])
    rescan = reverse("radar_article_rescan", args=[suggestion.article_id])
    assert reviewer_client.post(reject).status_code == 403
    assert reviewer_client.post(rescan).status_code == 403
    assert client.post(reject).status_code == 302  # to sign in
    assert not Rejection.objects.exists()


def test_finished_scans_are_forgotten_after_a_day(seeds, editor_client):
    from datetime import timedelta

    from django.utils import timezone

    old = Scan.objects.first()
    Scan.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=2))
    article = Article.objects.first()
    editor_client.post(reverse("radar_article_rescan", args=[article.pk]))
    assert not Scan.objects.filter(pk=old.pk).exists()
    assert Scan.objects.filter(article=article).exists()


def test_accepting_on_a_published_claim_is_a_change_after_publication(seeds, editor_client):
    from tests.claims.helpers import publish

    publish(claim=seeds, rating="false")
    seeds.refresh_from_db()
    assert not seeds.has_unpublished_changes
    suggestion = _suggested(seeds)[0]
    editor_client.post(
        reverse("radar_suggestion_accept", args=[suggestion.pk]), {"stance": suggestion.stance}
    )
    seeds.refresh_from_db()
    assert seeds.has_unpublished_changes
