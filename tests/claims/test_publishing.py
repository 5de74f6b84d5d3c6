"""The published record changes only through review (docs/architecture.md, "Publishing").

The public reads frozen revisions; a change of wording or appearances after publication is
a proposal a reviewer who made none of it publishes; four eyes counts every contributor.
"""

import re
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.urls import reverse

from articles.models import Article
from claims.models import Annotation, Claim, PublishedRevision, Rating, Status, VerdictVersion
from claims.selectors.desk import word_diff
from claims.services import annotations, claims, corrections, publishing, verdicts
from factcheck import roles
from factcheck.errors import NotAllowed, Stale
from tests import factories
from tests.claims.helpers import jsonld
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
