"""The published record changes only through review (docs/architecture.md, "Publishing").

The public reads frozen revisions; a change of wording or appearances after publication is
a proposal a reviewer who made none of it publishes; four eyes counts every contributor.
"""

import re
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from articles.models import Article
from claims.models import (
    Annotation,
    Claim,
    ClaimChange,
    PublishedRevision,
    Rating,
    Status,
    Verdict,
    VerdictVersion,
)
from claims.selectors.desk import word_diff
from claims.services import annotations, claims, corrections, publishing, verdicts
from factcheck import roles
from factcheck.errors import NotAllowed, Refused, Stale
from tests import factories
from tests.claims.helpers import jsonld, publish
from tests.races import postgres_only, wait_until_blocked

pytestmark = pytest.mark.django_db
NONCE = re.compile(r' nonce="[^"]*"')

BODY = "Putin congratulated Trump via intermediaries, a Kremlin source told the paper."


def _published_claim(statement="Putin congratulated Trump"):
    """A claim with one appearance, published by the service path: written, saved by an
    editor, approved by a reviewer."""
    editor, reviewer = factories.EditorFactory(), factories.ReviewerFactory()
    article = factories.ArticleFactory(body=BODY, outlet=factories.OutletFactory(name="online.ua"))
    annotation = annotations.annotation_create(
        article=article,
        user=editor,
        new_claim_statement=statement,
        stance="asserts",
        start=0,
        end=44,
        exact=BODY[:44],
    )
    claim = annotation.claim
    verdict = verdicts.verdict_save_and_submit(
        claim=claim,
        user=editor,
        rating=Rating.FALSE,
        summary="No evidence & none published.",
        evidence=[],
        version=None,
    )
    verdicts.verdict_approve(verdict=verdict, user=reviewer, version=verdict.version)
    claim.refresh_from_db()
    return claim, annotation, editor, reviewer


def _public_views(client, claim_slug):
    """What the public reads, with the per-request CSP nonce taken out."""
    page = NONCE.sub("", client.get(f"/claims/{claim_slug}/").content.decode())
    data = jsonld(client.get(f"/claims/{claim_slug}/"))[0]
    return {
        "page": page,
        "claimReviewed": data["claimReviewed"],
        "home": NONCE.sub("", client.get(reverse("home")).content.decode()),
        "feed": client.get(reverse("claims_feed")).content.decode(),
    }


def test_approval_publishes_a_revision_with_what_the_public_sees(client):
    claim, annotation, editor, reviewer = _published_claim()
    revision = claim.published_revision
    assert revision.number == 1 and revision.published_by == reviewer
    assert revision.statement == "Putin congratulated Trump"
    assert revision.summary_text == "No evidence & none published."
    assert revision.appearances[0]["outlet"] == "online.ua"
    assert revision.appearances[0]["quotes"] == [{"quote": BODY[:44], "stance": "asserts"}]
    home = client.get(reverse("home")).content.decode()
    assert "No evidence &amp; none published." in home  # escaped once, not twice
    with pytest.raises(ValueError):
        revision.save()  # frozen


def test_editing_a_published_claims_wording_changes_nothing_public_until_published(client):
    claim, _, editor, reviewer = _published_claim()
    before = _public_views(client, claim.slug)
    other_editor = factories.EditorFactory()
    response = factories_client(other_editor).post(
        reverse("claim_detail", args=[claim.pk]),
        {"statement": "Putin sent congratulations to Trump", "claimant": "Vedomosti"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.statement == "Putin sent congratulations to Trump"
    assert claim.has_unpublished_changes
    assert _public_views(client, claim.slug) == before
    assert claim.changes.get().statement_before == "Putin congratulated Trump"

    # The desk shows the proposal; the editor who made it cannot publish it...
    changes = publishing.pending_changes(claim)
    assert changes.statement == ("Putin congratulated Trump", "Putin sent congratulations to Trump")
    both = factories.EditorFactory()
    both.groups.add(Group.objects.get(name=roles.REVIEWERS))
    factories.established(both)
    claims.claim_update(claim=claim, user=both, statement=claim.statement, claimant="Vedomosti!")
    with pytest.raises(NotAllowed):
        publishing.fact_check_publish(claim=claim, user=both, revision_number=1)
    # ...a stale form is refused...
    with pytest.raises(Stale):
        publishing.fact_check_publish(claim=claim, user=reviewer, revision_number=7)
    # ...and another reviewer publishes it with a note.
    response = factories_client(reviewer).post(
        reverse("claim_publish", args=[claim.pk]),
        {"revision": 1, "update_note": "We corrected the wording of the claim."},
    )
    assert response.status_code == 302
    after = _public_views(client, claim.slug)
    assert after["claimReviewed"] == "Putin sent congratulations to Trump"
    assert "Putin sent congratulations to Trump" in after["home"]
    assert "Putin sent congratulations to Trump" in after["feed"]
    assert "Updated" in after["page"] and "We corrected the wording of the claim." in after["page"]
    assert "previously: “Putin congratulated Trump”" in after["page"]
    claim.refresh_from_db()
    assert not claim.has_unpublished_changes and claim.published_revision.number == 2


def test_a_deleted_or_orphaned_highlight_changes_nothing_public_until_published(client):
    claim, annotation, editor, reviewer = _published_claim()
    before = _public_views(client, claim.slug)
    second = factories.ArticleFactory(
        body="The Kremlin said Putin congratulated Trump via intermediaries.",
        outlet=factories.OutletFactory(name="Caliber.az"),
    )
    annotations.annotation_create(
        article=second, user=editor, claim=claim, stance="attributes", start=17, end=61,
        exact=second.body[17:61],
    )  # fmt: skip
    assert _public_views(client, claim.slug) == before
    assert publishing.pending_changes(claim).outlets_added == ["Caliber.az"]

    corrections.article_correct(
        article=annotation.article,
        user=editor,
        new_text="A Kremlin source denied everything.",
        reason="Retracted",
    )
    annotation.refresh_from_db()
    assert annotation.orphaned
    assert _public_views(client, claim.slug) == before
    claim.refresh_from_db()
    assert claim.has_unpublished_changes
    assert publishing.pending_changes(claim).outlets_removed == ["online.ua"]

    desk = factories_client(factories.ReviewerFactory()).get(
        reverse("claim_detail", args=[claim.pk])
    )
    html = desk.content.decode()
    assert "Unpublished changes" in html and "Outlets removed" in html and "online.ua" in html


def test_four_eyes_counts_every_saved_version_even_for_superusers():
    claim = factories.ClaimFactory()
    launderer = factories.EditorFactory()
    launderer.groups.add(Group.objects.get(name=roles.REVIEWERS))
    factories.established(launderer)
    helper = factories.EditorFactory()
    verdict = verdicts.verdict_save(
        claim=claim, user=launderer, rating="false", summary="My words.", evidence=[], version=None
    )
    verdict = verdicts.verdict_save(
        claim=claim, user=helper, rating="false", summary="My words.", evidence=[],
        version=verdict.version,
    )  # fmt: skip
    verdict = verdicts.verdict_submit(verdict=verdict, user=helper, version=verdict.version)
    # The launderer wrote it; the helper saved it last and submitted it.
    assert (verdict.author, verdict.last_edited_by) == (launderer, helper)
    with pytest.raises(NotAllowed, match="four eyes"):
        verdicts.verdict_approve(verdict=verdict, user=launderer, version=verdict.version)

    boss = factories.AdminFactory()
    verdict = verdicts.verdict_request_changes(
        verdict=verdict, user=factories.ReviewerFactory(), version=verdict.version, comment="More"
    )
    verdict = verdicts.verdict_save(
        claim=claim, user=boss, rating="false", summary="Boss edit.", evidence=[],
        version=verdict.version,
    )  # fmt: skip
    verdict = verdicts.verdict_submit(verdict=verdict, user=helper, version=verdict.version)
    with pytest.raises(NotAllowed):
        verdicts.verdict_approve(verdict=verdict, user=boss, version=verdict.version)
    assert VerdictVersion.objects.filter(verdict=verdict).count() == 3
    assert not PublishedRevision.objects.exists()


def test_four_eyes_refusal_is_a_403_with_a_clear_message(editor):
    editor.groups.add(Group.objects.get(name=roles.REVIEWERS))
    factories.established(editor)
    claim = factories.ClaimFactory()
    verdict = verdicts.verdict_save_and_submit(
        claim=claim, user=editor, rating="false", summary="Mine.", evidence=[], version=None
    )
    response = factories_client(editor).post(
        reverse("verdict_approve", args=[verdict.pk]), {"version": verdict.version}
    )
    assert response.status_code == 403
    assert "four eyes" in response.content.decode()
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


def test_the_desk_shows_verdict_versions_and_wording_history_with_diffs(reviewer_client):
    claim, _, editor, reviewer = _published_claim()
    verdict = verdicts.verdict_save(
        claim=claim, user=editor, rating="mostly_false", summary="No evidence at all.",
        evidence=[], version=None,
    )  # fmt: skip
    verdicts.verdict_save(
        claim=claim, user=editor, rating="mostly_false", summary="No evidence whatsoever.",
        evidence=[], version=verdict.version,
    )  # fmt: skip
    claims.claim_update(
        claim=claim, user=editor, statement="Putin congratulated Trump twice", claimant=""
    )
    html = reviewer_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "Saved versions" in html
    assert "<del>at all</del>" in html and "<ins>whatsoever</ins>" in html
    assert "Wording history" in html and "<ins> twice</ins>" in html


def test_versions_read_as_text_and_their_diffs_part_removed_from_added_words(
    editor, reviewer_client
):
    """QA: saved versions showed raw Markdown, and "the" → "The" read "theThe"."""
    claim = factories.ClaimFactory()
    texts = [
        "the only source is **anonymous** insiders quoted by [Verstka](https://verstka.media/).",
        "The only source is **anonymous** insiders quoted by [Verstka](https://verstka.media/)"
        " and TASS.",
        "The only source is *anonymous* insiders quoted by [Verstka](https://verstka.media/)"
        " and TASS.",
    ]
    version = None
    for text in texts:
        version = verdicts.verdict_save(
            claim=claim, user=editor, rating="unproven", summary=text, evidence=[],
            version=version,
        ).version  # fmt: skip
    html = reviewer_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    versions = html.split('<ul class="version-list">', 1)[1].split("</ul>", 1)[0]
    diffs = re.findall(r'<p class="diff pre-line">(.*?)</p>', versions, re.S)
    newest, middle, oldest = diffs
    assert "<del>the</del> <ins>The</ins> only source is anonymous insiders" in middle
    assert "quoted by Verstka<ins> and TASS</ins>." in middle
    assert oldest == "the only source is anonymous insiders quoted by Verstka."
    assert "**" not in versions.replace("<strong>", "") and "](https" not in versions
    # A change of formatting alone says so; each version can be read formatted, with links.
    assert "<del>" not in newest and "Only formatting or link addresses changed." in versions
    assert (
        '<strong>anonymous</strong> insiders quoted by <a href="https://verstka.media/" '
        'rel="nofollow noopener noreferrer">Verstka</a>' in versions
    )


def test_word_diff_parts_touching_removed_and_added_runs():
    assert word_diff("won his victory in the", "won winning the") == [
        ("same", "won "),
        ("removed", "his victory in"),
        ("gap", " "),
        ("added", "winning"),
        ("same", " the"),
    ]
    assert word_diff("the", "The") == [("removed", "the"), ("gap", " "), ("added", "The")]
    # Nothing to part: a word only removed, or runs that meet at a space.
    assert word_diff("a b.", "a.") == [("same", "a"), ("removed", " b"), ("same", ".")]
    assert word_diff("a.", "a b.") == [("same", "a"), ("added", " b"), ("same", ".")]


def test_a_claim_typed_twice_is_one_claim(editor):
    article = factories.ArticleFactory(body=BODY)
    kwargs = dict(article=article, user=editor, stance="asserts", start=0, end=5, exact="Putin")
    a = annotations.annotation_create(new_claim_statement="Putin  won", **kwargs)
    b = annotations.annotation_create(new_claim_statement=" PUTIN won ", **kwargs)
    assert a.claim_id == b.claim_id and Claim.objects.count() == 1


def factories_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# --- races on a real PostgreSQL server ----------------------------------------------------


def _run_together(*targets):
    barrier = threading.Barrier(len(targets))
    results, errors = [None] * len(targets), []

    def run(i, target):
        try:
            barrier.wait()
            results[i] = target()
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_two_editors_creating_the_same_new_claim_at_once_get_one_claim():
    editors = [factories.EditorFactory(), factories.EditorFactory()]
    article = factories.ArticleFactory(body=BODY)
    for attempt in range(10):
        statement = f"A brand new claim number {attempt}"
        results, errors = _run_together(
            *[
                lambda user=user, s=statement: annotations.annotation_create(
                    article=article,
                    user=user,
                    new_claim_statement=s,
                    stance="asserts",
                    start=0,
                    end=5,
                    exact="Putin",
                )  # fmt: skip
                for user in editors
            ]
        )
        assert errors == []
        assert results[0].claim_id == results[1].claim_id
        assert Claim.objects.filter(statement=statement).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_a_correction_racing_a_highlight_never_leaves_a_highlight_on_other_words():
    editor = factories.EditorFactory()
    for attempt in range(10):
        body = f"Attempt {attempt}: Putin congratulated Trump via intermediaries."
        article = factories.ArticleFactory(body=body)
        start = body.index("Putin")
        _run_together(
            lambda article=article, start=start: annotations.annotation_create(
                article=article,
                user=editor,
                new_claim_statement="Race",
                stance="asserts",
                start=start,
                end=start + 5,
                exact="Putin",
            ),  # fmt: skip
            lambda article=article, body=body: corrections.article_correct(
                article=article,
                user=editor,
                reason="Race",
                new_text="Correction first. " + body,
            ),  # fmt: skip
        )
        article = Article.objects.get(pk=article.pk)
        for a in Annotation.objects.filter(article=article, orphaned=False):
            assert article.body[a.start : a.end] == a.exact


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_two_highlights_saved_at_once_on_one_claim_are_both_counted():
    """A save's recount that waits for another transaction's recount of the same claim
    counts that one's highlight too, once it commits: the claim's reach never misses a
    highlight saved at the same moment (and the two do not deadlock)."""
    claim = factories.ClaimFactory()
    editor = factories.EditorFactory()
    articles = [factories.ArticleFactory(body=f"{n}. {BODY}") for n in range(2)]  # two outlets
    saved, release, errors = threading.Event(), threading.Event(), []

    def first():  # any save of a highlight (the admin, a factory) recounts its claim
        try:
            with transaction.atomic():
                factories.AnnotationFactory(article=articles[0], claim=claim, quote="Putin")
                saved.set()
                assert release.wait(30)
        except Exception as error:  # asserted on below
            errors.append(error)
        finally:
            saved.set()
            connection.close()

    def second():  # the desk's save
        try:
            annotations.annotation_create(
                article=articles[1],
                user=editor,
                claim=claim,
                stance="asserts",
                start=3,
                end=8,
                exact="Putin",
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    saved.wait(30)
    threads[1].start()
    wait_until_blocked(threads[1])
    release.set()
    for thread in threads:
        thread.join(30)
    assert errors == []
    claim.refresh_from_db()
    assert (claim.appearance_count, claim.outlet_count) == (2, 2)


# --- issue 24: no side doors -------------------------------------------------------------


def test_a_publish_with_nothing_pending_is_refused(client):
    """Finding 3: any reviewer alone could put "RETRACTED" on a page with an empty publish."""
    claim, _, _, _ = _published_claim()
    before = _public_views(client, claim.slug)
    desk = Client()
    desk.force_login(factories.ReviewerFactory())
    response = desk.post(
        reverse("claim_publish", args=[claim.pk]),
        {"revision": 1, "update_note": "RETRACTED: this fact check was wrong"},
    )
    assert response.status_code == 422
    assert "Nothing is waiting to be published" in response.text
    assert PublishedRevision.objects.filter(claim=claim).count() == 1
    assert _public_views(client, claim.slug) == before
    with pytest.raises(Refused, match="Nothing is waiting"):
        publishing.fact_check_publish(
            claim=claim, user=factories.ReviewerFactory(), revision_number=1, update_note="x"
        )


def _admin_article_post(admin, article, **changes):
    desk = Client()
    desk.force_login(admin)
    count = article.annotations.count()
    data = {
        "title": article.title,
        "outlet": article.outlet_id,
        "published_on": article.published_on.isoformat() if article.published_on else "",
        "url": article.url,
        "language": article.language,
        "annotations-TOTAL_FORMS": str(count),
        "annotations-INITIAL_FORMS": str(count),
        "annotations-MIN_NUM_FORMS": "0",
        "annotations-MAX_NUM_FORMS": "0",
        **changes,
    }
    response = desk.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    return desk


def test_an_article_edited_in_the_admin_is_a_contribution_shown_in_the_diff(client):
    """Finding 2: an admin's new article URL rode to the public on their own publish."""
    claim, annotation, _, _ = _published_claim()
    before = _public_views(client, claim.slug)
    boss = factories.AdminFactory()
    desk = _admin_article_post(
        boss, annotation.article, url="https://evil.example/phish", published_on="2020-01-02"
    )
    claim.refresh_from_db()
    assert claim.has_unpublished_changes
    assert _public_views(client, claim.slug) == before  # nothing public yet
    assert "evil.example" not in client.get(f"/claims/{claim.slug}/").text
    # The desk shows what changed, and who did it may not publish it.
    page = desk.get(reverse("claim_detail", args=[claim.pk])).text
    assert "Article details" in page and "https://evil.example/phish" in page
    assert "2020-01-02" in page
    assert boss.pk in publishing.contributor_ids(claim)
    refused = desk.post(reverse("claim_publish", args=[claim.pk]), {"revision": 1})
    assert refused.status_code == 403 and "four eyes" in refused.text
    # Another reviewer sees it and publishes it.
    publishing.fact_check_publish(claim=claim, user=factories.ReviewerFactory(), revision_number=1)
    assert "https://evil.example/phish" in client.get(f"/claims/{claim.slug}/").text


def test_an_article_edit_rides_on_no_one_elses_publish():
    """Finding 2: the same edit went out unseen with a later honest publish of the claim."""
    claim, annotation, editor, _ = _published_claim()
    boss = factories.AdminFactory()
    _admin_article_post(boss, annotation.article, title="A new title")
    claims.claim_update(claim=claim, user=editor, statement="Putin congratulated Trump twice",
                        claimant="")  # fmt: skip
    changes = publishing.pending_changes(Claim.objects.get(pk=claim.pk))
    assert changes.articles_changed == [
        [{"label": "Title", "before": annotation.article.title, "after": "A new title"}]
    ]
    with pytest.raises(NotAllowed, match="four eyes"):
        publishing.fact_check_publish(claim=claim, user=boss, revision_number=1)


def test_an_outlet_renamed_in_the_admin_is_a_contribution_shown_in_the_diff(client):
    claim, annotation, _, _ = _published_claim()
    boss = factories.AdminFactory()
    desk = Client()
    desk.force_login(boss)
    outlet = annotation.article.outlet
    response = desk.post(
        reverse("admin:articles_outlet_change", args=[outlet.pk]),
        {"name": "Totally Trustworthy News", "domain": outlet.domain},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.has_unpublished_changes and boss.pk in publishing.contributor_ids(claim)
    assert "Totally Trustworthy News" not in client.get(f"/claims/{claim.slug}/").text
    page = desk.get(reverse("claim_detail", args=[claim.pk])).text
    assert "Outlet renamed: online.ua → Totally Trustworthy News." in page


def test_the_claimant_type_is_not_editable_in_the_admin_and_recorded_on_the_desk(client):
    claim, _, editor, _ = _published_claim()
    boss = factories.AdminFactory()
    desk = Client()
    desk.force_login(boss)
    response = desk.post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        {"claimant_type": "organization", "annotations-TOTAL_FORMS": "1",
         "annotations-INITIAL_FORMS": "1", "annotations-MIN_NUM_FORMS": "0",
         "annotations-MAX_NUM_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.claimant_type == ""
    claims.claim_update(
        claim=claim, user=editor, statement=claim.statement, claimant="",
        claimant_type="organization",
    )  # fmt: skip
    assert editor.pk in publishing.contributor_ids(claim)
    assert ClaimChange.objects.filter(claim=claim, note__startswith="Claimant type").exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_two_simultaneous_approvals_one_wins_the_other_is_told_never_a_500():
    """Finding 5: the loser's claim row lost its joined revision after the lock wait."""
    editor = factories.EditorFactory()
    reviewers = [factories.ReviewerFactory(), factories.ReviewerFactory()]
    for attempt in range(10):
        claim = factories.ClaimFactory(statement=f"Approved twice {attempt}")
        if attempt % 2:
            publish(claim)  # and for a published claim's next version
        verdict = verdicts.verdict_save_and_submit(
            claim=claim, user=editor, rating="false", summary="No.", evidence=[], version=None
        )
        results, errors = _run_together(
            *[
                lambda user=user, verdict=verdict: verdicts.verdict_approve(
                    verdict=verdict, user=user, version=verdict.version
                )
                for user in reviewers
            ]
        )
        assert len(errors) == 1 and isinstance(errors[0], Stale), errors
        assert PublishedRevision.objects.filter(claim=claim).count() == 1 + attempt % 2


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_a_correction_waiting_for_a_publish_is_dated_after_it():
    """Finding 12: a correction stamped before it waited for the claim's lock was dated
    before the publish it waited for, and its author did not count for the next one."""
    claim, annotation, _, _ = _published_claim()
    article = annotation.article
    corrector = factories.EditorFactory()
    locked, release, errors = threading.Event(), threading.Event(), []

    def publisher():  # a publish holding the claim's row
        try:
            with transaction.atomic():
                locked_claim = publishing.lock_claim(claim.pk)
                locked.set()
                assert release.wait(30)
                publishing.publish_revision(
                    claim=locked_claim,
                    user=factories.ReviewerFactory(),
                    verdict=Verdict.objects.latest_approved_for(claim),
                )
        except Exception as error:  # asserted on below
            errors.append(error)
        finally:
            locked.set()
            connection.close()

    def correct():
        try:
            corrections.article_correct(
                article=article, user=corrector,
                new_text=f"Moscow, Monday. {BODY}",  # the highlight moves
                reason="The source was not from the Kremlin.",
            )  # fmt: skip
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publisher), threading.Thread(target=correct)]
    threads[0].start()
    locked.wait(30)
    threads[1].start()
    wait_until_blocked(threads[1])
    release.set()
    for thread in threads:
        thread.join(30)
    assert errors == []
    claim.refresh_from_db()
    assert claim.published_revision.number == 2
    assert corrector.pk in publishing.contributor_ids(claim)
