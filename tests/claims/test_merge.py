"""Merging two claims: what moves, what is refused, the redirects and the pages."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from claims.models import (
    Annotation,
    AnnotationChange,
    Claim,
    ClaimChange,
    ClaimMerge,
    ClaimRedirect,
    Comment,
    MergeProposal,
    PublishedRevision,
    Status,
    Verdict,
    VerdictTransition,
    VerdictVersion,
)
from claims.selectors.desk import DUPLICATES_SHOWN
from claims.selectors.published import APPEARANCES_SHOWN
from claims.services import verdicts
from claims.services.annotations import annotation_create
from claims.services.claims import claim_merge, claim_merge_propose, claim_update
from claims.services.publishing import contributor_ids
from factcheck.errors import NotAllowed, Refused, Stale
from tests import factories
from tests.claims.helpers import a_draft, confirmed_merge, publish, republish
from tests.claims.test_publishing import _run_together
from tests.races import postgres_only

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_merge_moves_highlights_verdicts_wording_and_comments(reviewer, editor):
    source = factories.ClaimFactory(statement="Putin sent congratulations to Trump")
    target = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    highlights = factories.AnnotationFactory.create_batch(2, claim=source)
    factories.AnnotationFactory(claim=target)
    draft = a_draft(source, editor)
    claim_update(claim=source, user=editor, statement=source.statement + " twice", claimant="")
    Comment.objects.create(claim=source, author=editor, body="x", body_html="<p>x</p>")
    source.refresh_from_db()
    old_slug, old_pk = source.slug, source.pk

    merge = confirmed_merge(source=source, target=target, user=reviewer)

    assert not Claim.objects.filter(pk=old_pk).exists()
    assert set(target.annotations.values_list("pk", flat=True)) >= {h.pk for h in highlights}
    assert target.annotations.count() == 3
    draft.refresh_from_db()
    assert draft.claim_id == target.pk and draft.status == Status.DRAFT
    assert VerdictVersion.objects.filter(verdict__claim=target).count() == 1
    assert VerdictTransition.objects.filter(verdict__claim=target).count() == 1
    assert ClaimChange.objects.filter(claim=target).count() == 1
    assert Comment.objects.filter(claim=target).count() == 1
    moves = AnnotationChange.objects.filter(annotation__in=highlights)
    assert moves.count() == 2
    for change in moves:
        assert change.user == reviewer
        assert change.before["claim"] == old_pk and change.after["claim"] == target.pk
        assert change.after["claim_statement"] == target.statement
    assert ClaimRedirect.objects.get(slug=old_slug).claim == target
    assert (merge.source_key, merge.annotations_moved, merge.verdicts_moved) == (old_pk, 2, 1)
    assert merge.user == reviewer and merge.target == target


def test_only_reviewers_merge(editor):
    source, target = factories.ClaimFactory.create_batch(2)
    with pytest.raises(NotAllowed):
        confirmed_merge(source=source, target=target, user=editor)
    assert Claim.objects.filter(pk=source.pk).exists()


def test_both_open_verdicts_are_refused_with_nothing_moved(reviewer, editor):
    source, target = factories.ClaimFactory.create_batch(2)
    factories.AnnotationFactory(claim=source)
    a_draft(source, editor)
    a_draft(target, editor)
    with pytest.raises(Refused, match="Both claims have a verdict in progress"):
        confirmed_merge(source=source, target=target, user=reviewer)
    assert source.annotations.count() == 1
    assert not ClaimMerge.objects.exists()


def test_a_claim_cannot_be_merged_into_itself(reviewer):
    claim = factories.ClaimFactory()
    with pytest.raises(Refused, match="itself"):
        confirmed_merge(source=claim, target=claim, user=reviewer)


def test_published_source_into_unpublished_target_is_refused(reviewer):
    source = publish().claim
    target = factories.ClaimFactory()
    with pytest.raises(Refused, match="merge the other way round"):
        confirmed_merge(source=source, target=target, user=reviewer)


def test_newer_approved_verdict_on_the_source_is_refused(reviewer):
    old = timezone.now() - timedelta(days=3)
    target = publish(at=old).claim
    source = publish().claim
    with pytest.raises(Refused, match="more recent approved verdict"):
        confirmed_merge(source=source, target=target, user=reviewer)


def test_published_source_marks_the_survivor_changed_and_public_page_is_unchanged(reviewer):
    target = publish(at=timezone.now() - timedelta(days=2)).claim
    source = publish(at=timezone.now() - timedelta(days=3)).claim
    factories.AnnotationFactory(claim=source)
    target.refresh_from_db()
    revision = target.published_revision

    confirmed_merge(source=source, target=target, user=reviewer)

    target.refresh_from_db()
    assert target.has_unpublished_changes
    assert target.published_revision == revision  # the public record changes only by review
    assert Verdict.objects.latest_approved_for(target).claim_id == target.pk
    # The merger moved highlights: another reviewer publishes the result (four eyes).
    assert reviewer.pk in contributor_ids(target)


def _published_twice(**claim_fields):
    """A claim published, then published again with a highlight, a new wording and an
    update note: two revisions that differ in every part a reader sees."""
    source = publish(
        factories.ClaimFactory(claimant="A Kremlin source", **claim_fields),
        at=timezone.now() - timedelta(days=5, microseconds=123457),
        rating="mostly_false",
        summary_html="<p>Nobody <strong>confirmed</strong> it &amp; the Kremlin denied it.</p>",
        evidence=[{"url": "https://example.org/denial", "title": "Denial", "note": "Peskov"}],
        correction_note="We had the date wrong.",
    ).claim
    factories.AnnotationFactory(claim=source, stance="disputes")
    claim_update(
        claim=source,
        user=factories.EditorFactory(),
        statement=source.statement + ", twice",
        claimant="A Kremlin source",
    )
    republish(source, at=timezone.now() - timedelta(days=4), update_note="Added a report.")
    source.refresh_from_db()
    return source


def _fields(revision) -> dict:
    return {f.attname: getattr(revision, f.attname) for f in revision._meta.concrete_fields}


def test_a_published_source_keeps_every_revision_on_the_merge_record(reviewer):
    target = publish(at=timezone.now() - timedelta(days=2)).claim
    source = _published_twice()
    kept = [_fields(r) for r in source.revisions.order_by("-number")]
    assert [r["number"] for r in kept] == [2, 1]
    assert kept[0]["appearances"] and kept[0]["update_note"] and kept[1]["evidence"]
    assert kept[1]["correction_note"] and kept[0]["wording_changed"]

    merge = confirmed_merge(source=source, target=target, user=reviewer)

    assert not PublishedRevision.objects.filter(claim_id=source.pk).exists()
    merge.refresh_from_db()  # read back from the database: what the desk will show
    archived = merge.archived_revisions()
    assert [_fields(r) for r in archived] == kept  # every field, to the microsecond
    assert all(r.pk is not None and r._state.adding for r in archived)  # records, not rows
    with pytest.raises(ValueError, match="never changed"):
        archived[0].save()


def test_an_unpublished_source_keeps_no_revisions(reviewer):
    source, target = factories.ClaimFactory.create_batch(2)
    merge = confirmed_merge(source=source, target=target, user=reviewer)
    merge.refresh_from_db()
    assert merge.source_revisions == [] and merge.archived_revisions() == []
    assert not merge.source_was_published


def test_a_merged_survivor_keeps_the_record_of_the_claim_merged_into_it(reviewer):
    first = _published_twice(statement="Putin congratulated Trump first")
    second = publish(at=timezone.now() - timedelta(days=3)).claim
    third = publish(at=timezone.now() - timedelta(days=2)).claim
    confirmed_merge(source=first, target=second, user=reviewer)
    confirmed_merge(source=second, target=third, user=reviewer)
    records = {m.source_key: m for m in ClaimMerge.objects.filter(target=third)}
    assert [r.number for r in records[first.pk].archived_revisions()] == [2, 1]
    assert [r.number for r in records[second.pk].archived_revisions()] == [1]


def test_an_open_verdict_moves_with_a_version_above_the_survivors(reviewer, editor):
    target = publish().claim
    target.verdicts.update(version=7)
    source = factories.ClaimFactory()
    draft = a_draft(source, editor)
    confirmed_merge(source=source, target=target, user=reviewer)
    draft.refresh_from_db()
    assert draft.version == 8
    assert draft.supersedes == Verdict.objects.latest_approved_for(target)
    assert Verdict.objects.open_for(target) == draft


def test_merging_a_survivor_again_keeps_old_addresses_working(reviewer):
    first, second, third = factories.ClaimFactory.create_batch(3)
    confirmed_merge(source=first, target=second, user=reviewer)
    confirmed_merge(source=second, target=third, user=reviewer)
    assert set(ClaimRedirect.objects.values_list("slug", "claim")) == {
        (first.slug, third.pk),
        (second.slug, third.pk),
    }
    assert ClaimMerge.objects.filter(target=third).count() == 2


def test_a_new_claim_never_takes_a_merged_claims_address(reviewer, editor):
    source = factories.ClaimFactory(statement="A statement made once")
    confirmed_merge(source=source, target=factories.ClaimFactory(), user=reviewer)
    again = Claim.objects.create(statement="A statement made once", created_by=editor)
    assert again.slug != source.slug


# --- pages ------------------------------------------------------------------------------


def test_old_public_slug_redirects_permanently_to_the_survivor(client, reviewer):
    target = publish(at=timezone.now() - timedelta(days=2)).claim
    source = publish(at=timezone.now() - timedelta(days=3)).claim
    old = reverse("claim_public", args=[source.slug])
    assert client.get(old).status_code == 200
    confirmed_merge(source=source, target=target, user=reviewer)
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == reverse("claim_public", args=[target.slug])
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("claim_public", args=["never-a-claim"])).status_code == 404


def test_old_desk_url_redirects_to_the_survivor(reviewer, reviewer_client):
    source, target = factories.ClaimFactory.create_batch(2)
    old_pk = source.pk
    confirmed_merge(source=source, target=target, user=reviewer)
    response = reviewer_client.get(reverse("claim_detail", args=[old_pk]))
    assert response.status_code == 301
    assert response["Location"] == reverse("claim_detail", args=[target.pk])
    assert reviewer_client.get(reverse("claim_detail", args=[10**9])).status_code == 404


def test_search_then_confirm_then_merge(reviewer_client):
    source = factories.ClaimFactory(statement="Putin sent congratulations to Trump")
    target = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    factories.AnnotationFactory(claim=source)
    url = reverse("claim_merge", args=[source.pk])

    page = reviewer_client.get(reverse("claim_detail", args=[source.pk])).content.decode()
    assert "Merge into another claim" in page and url in page

    found = reviewer_client.get(url, {"q": "intermediaries"}).content.decode()
    assert f"?into={target.pk}" in found
    # Similar, not every word: the issue's own example finds the survivor.
    found = reviewer_client.get(url, {"q": "Putin sent congratulations to Trump"})
    assert found.context["candidates"] == [target]
    assert reviewer_client.get(url, {"q": "Zelensky Macron"}).context["candidates"] == []

    confirm = reviewer_client.get(url, {"into": target.pk})
    html = confirm.content.decode()
    assert "1 highlight in 1 outlet" in html
    assert "Merge into this claim" in html
    assert Claim.objects.filter(pk=source.pk).exists()  # nothing happens before the POST

    response = reviewer_client.post(url, {"into": target.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("claim_detail", args=[target.pk])
    page = reviewer_client.get(response["Location"]).content.decode()
    assert "was merged into this claim" in page
    assert "Merged into this claim" in page and source.statement in page
    # The survivor was never published: no public page waits for a reviewer (QA).
    assert "publishes the changes" not in page


def test_merging_into_a_published_claim_says_the_public_page_waits(reviewer_client):
    source = factories.ClaimFactory(statement="Putin sent congratulations to Trump")
    target = publish(
        factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    ).claim
    factories.AnnotationFactory(claim=source)
    response = reviewer_client.post(
        reverse("claim_merge", args=[source.pk]), {"into": target.pk}, follow=True
    )
    notices = [str(m) for m in response.context["messages"]]
    assert notices == [
        f"“{source.statement}” was merged into this claim. Readers keep seeing the published "
        "fact check until a reviewer publishes the changes."
    ]


def test_confirmation_shows_the_refusal_instead_of_the_button(reviewer_client, editor):
    source, target = factories.ClaimFactory.create_batch(2)
    a_draft(source, editor)
    a_draft(target, editor)
    url = reverse("claim_merge", args=[source.pk])
    html = reviewer_client.get(url, {"into": target.pk}).content.decode()
    assert "Both claims have a verdict in progress" in html
    assert "Merge into this claim" not in html
    response = reviewer_client.post(url, {"into": target.pk})
    assert response.status_code == 422
    assert Claim.objects.filter(pk=source.pk).exists()


def test_editors_cannot_merge_and_anonymous_visitors_sign_in(editor_client, client):
    source, target = factories.ClaimFactory.create_batch(2)
    url = reverse("claim_merge", args=[source.pk])
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"into": target.pk}).status_code == 403
    assert (
        "Merge into another claim"
        not in editor_client.get(reverse("claim_detail", args=[source.pk])).content.decode()
    )
    response = client.post(url, {"into": target.pk})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert Claim.objects.filter(pk=source.pk).exists()


# --- possible duplicates on the claim's desk page ----------------------------------------


def test_possible_duplicates_link_into_the_merge_flow(reviewer_client, editor_client):
    source = factories.ClaimFactory(statement="Putin sent congratulations to Trump")
    target = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    for outlet in factories.OutletFactory.create_batch(2):
        factories.AnnotationFactory(claim=target, article=factories.ArticleFactory(outlet=outlet))
    unrelated = factories.ClaimFactory(statement="Trump promised to end the war in 24 hours")

    response = reviewer_client.get(reverse("claim_detail", args=[source.pk]))
    assert response.context["duplicates"] == [target]
    html = response.content.decode()
    assert "Possible duplicates" in html and unrelated.statement not in html
    assert "2 outlets" in html
    into_it = f"{reverse('claim_merge', args=[source.pk])}?into={target.pk}"
    into_this = f"{reverse('claim_merge', args=[target.pk])}?into={source.pk}"
    assert into_it in html and into_this in html
    # Each link says which claim survives (QA: "Merge this claim into it · Merge it into this
    # claim" read alike), and names the other claim for screen readers.
    keep_this = re.search(rf'href="{re.escape(into_this)}">([^<]*)<', html).group(1)
    keep_other = re.search(rf'href="{re.escape(into_it)}">([^<]*)<', html).group(1)
    assert keep_this == "keep this claim"
    assert keep_other == f"keep “{target.statement}”"
    assert f"and merge “{target.statement}” into it</span>" in html
    # The link opens the existing confirmation page; nothing moves before the POST.
    confirm = reviewer_client.get(into_it).content.decode()
    assert "Merge into this claim" in confirm
    assert Claim.objects.filter(pk=source.pk).exists()
    # Found from the other side too.
    other_side = reviewer_client.get(reverse("claim_detail", args=[target.pk]))
    assert other_side.context["duplicates"] == [source]

    # Editors see the list, not the reviewer's merge links.
    html = editor_client.get(reverse("claim_detail", args=[source.pk])).content.decode()
    assert "Possible duplicates" in html and target.statement in html
    assert into_it not in html


def test_no_duplicates_no_section(reviewer_client):
    claim = factories.ClaimFactory(statement="Zelensky met Macron in Paris")
    factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    html = reviewer_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "Possible duplicates" not in html


def test_duplicates_cost_one_query_whatever_their_number(
    reviewer_client, django_assert_num_queries
):
    claim = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    url = reverse("claim_detail", args=[claim.pk])
    reviewer_client.get(url)  # the spread timeline drawn, kept until the appearances change
    with CaptureQueriesContext(connection) as none_similar:
        reviewer_client.get(url)
    for n in range(8):
        factories.ClaimFactory(statement=f"Putin congratulated Trump, source {n} says")
    with django_assert_num_queries(len(none_similar.captured_queries)):
        response = reviewer_client.get(url)
    assert len(response.context["duplicates"]) == DUPLICATES_SHOWN
    similar = "to_tsvector" if connection.vendor == "postgresql" else "statement_share"
    duplicates = [q for q in none_similar.captured_queries if similar in q["sql"]]
    assert len(duplicates) == 1
    assert len(none_similar.captured_queries) == CLAIM_PAGE_QUERIES


# A reviewer's page of a claim without highlights or verdicts: session, user, groups×2
# (roles), the claim, its appearances, wording history, comments, merges, possible
# duplicates, verdicts, their transitions, the assign form's desk members, a proposal to
# merge it away, and whether the reviewer's powers are in force (claims.policy); its
# wordings in other languages, the claim radar's likely appearances and its scan; its
# orphans and how many, and a page of its appearances when it has any (bounded by design);
# the menu's count of verdicts waiting for the reviewer. The spread timeline and the
# appearances' outlet counts, kept under the claim's appearances_version, add their two
# (appearances, publication day) and one when drawn: test_claim_page_bounded.
CLAIM_PAGE_QUERIES = 20


# --- the published record a merge keeps ----------------------------------------------------


def _merged_published(reviewer, **claim_fields):
    """A claim published twice, merged into an older-published survivor: (merge, source)."""
    target = publish(
        factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries"),
        at=timezone.now() - timedelta(days=2),
    ).claim
    source = _published_twice(**claim_fields)
    return confirmed_merge(source=source, target=target, user=reviewer), source


def test_the_survivors_page_links_to_the_record_of_a_published_merged_claim(
    reviewer, editor_client
):
    merge, source = _merged_published(reviewer)
    unpublished = confirmed_merge(
        source=factories.ClaimFactory(), target=merge.target, user=reviewer
    )
    html = editor_client.get(reverse("claim_detail", args=[merge.target_id])).content.decode()
    record = reverse("merge_record", args=[merge.pk])
    assert f'href="{record}"' in html
    assert "It was published" in html and "2 revisions, read-only" in html
    assert reverse("merge_record", args=[unpublished.pk]) not in html


def test_the_record_page_shows_every_revision_newest_first(reviewer, editor_client):
    merge, source = _merged_published(reviewer, statement="Putin sent <b>congratulations</b>")
    revisions = {r.number: r for r in merge.archived_revisions()}
    response = editor_client.get(reverse("merge_record", args=[merge.pk]))
    assert response.status_code == 200
    html = response.content.decode()

    assert '<h1 class="desk-claim-statement">Archived record of a merged claim</h1>' in html
    assert "Putin sent &lt;b&gt;congratulations&lt;/b&gt;" in html  # escaped, like the desk
    target = f'<a href="{reverse("claim_detail", args=[merge.target_id])}">'
    assert f"Merged into {target}{merge.target.statement}</a>" in " ".join(html.split())
    assert f"by {reviewer.get_username()}." in html
    assert f"/claims/{source.slug}/" in html
    newer, older = html.index("Revision 2"), html.index("Revision 1")
    assert newer < older
    # The summary as the public page drew it: the HTML sanitised when it was published.
    assert "<p>Nobody <strong>confirmed</strong> it &amp; the Kremlin denied it.</p>" in html
    assert 'href="https://example.org/denial"' in html and "Peskov" in html
    assert "Added a report." in html[newer:older]  # the update note
    assert "We had the date wrong." in html[older:]  # the verdict's correction note
    assert escape(revisions[2].statement) in html[newer:older]
    assert escape(revisions[1].statement) in html[older:]
    assert escape(revisions[2].statement) not in html[older:]  # no ", twice" at first
    assert html.count("Mostly false") == 2
    for revision in revisions.values():  # each published by another reviewer
        assert f"<dd>{User.objects.get(pk=revision.published_by_id).get_username()}</dd>" in html
    # Revision 2 lists the highlight added before it was published, with its quote.
    entry = revisions[2].appearances[0]
    assert len(revisions[2].appearances) == 1 and not revisions[1].appearances
    assert escape(entry["title"]) in html[newer:older]
    assert escape(entry["outlet"]) in html[newer:older]
    assert escape(entry["quotes"][0]["quote"]) in html[newer:older]
    assert "Disputes the claim" in html[newer:older]
    assert "1 article" in html[newer:older]
    assert "No appearances were recorded." in html[older:]


def _block(html: str, opening: str) -> str:
    """The ``<ol …>`` element that starts with ``opening``, whitespace runs as one space."""
    start = html.index(opening)
    return " ".join(html[start : html.index("</ol>", start) + 5].split())


def test_the_record_draws_evidence_and_appearances_as_the_public_page_did(reviewer, editor_client):
    """One template each for a published revision's evidence and appearances
    (claims/published/), which the public fact check and this desk page both include: the
    record shows the merged claim's last revision exactly as readers saw it."""
    target = publish(at=timezone.now() - timedelta(days=2)).claim
    source = _published_twice()
    public = Client().get(f"/claims/{source.slug}/").content.decode()
    merge = confirmed_merge(source=source, target=target, user=reviewer)
    record = editor_client.get(reverse("merge_record", args=[merge.pk])).content.decode()
    newest = record[record.index("Revision 2") : record.index("Revision 1")]
    for opening in ('<ol class="evidence-list">', '<li class="appearance">'):
        assert _block(public, opening) in " ".join(newest.split()), opening


def test_the_record_page_lists_the_first_appearances_and_all_on_request(reviewer, editor_client):
    """A viral claim's revision lists thousands of articles: the page shows the first
    APPEARANCES_SHOWN of each revision and all of one revision when asked."""
    merge, _ = _merged_published(reviewer)
    newest = merge.source_revisions[0]
    entry = newest["fields"]["appearances"][0]
    newest["fields"]["appearances"] = [
        {**entry, "title": f"Report number {n}"} for n in range(APPEARANCES_SHOWN + 5)
    ]
    merge.save(update_fields=["source_revisions"])
    url = reverse("merge_record", args=[merge.pk])
    html = editor_client.get(url).content.decode()
    assert html.count("Report number") == APPEARANCES_SHOWN
    assert f"Report number {APPEARANCES_SHOWN - 1}<" in html
    assert f"Report number {APPEARANCES_SHOWN}<" not in html
    assert f'href="?all=2#revision-2-h">Show all {APPEARANCES_SHOWN + 5} articles</a>' in html
    every = editor_client.get(url, {"all": "2"}).content.decode()
    assert every.count("Report number") == APPEARANCES_SHOWN + 5
    assert "Show all" not in every


def test_the_record_page_is_for_desk_members(reviewer, reviewer_client, client):
    merge, _ = _merged_published(reviewer)
    url = reverse("merge_record", args=[merge.pk])
    assert reviewer_client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(factories.UserFactory())  # signed in, but not on the desk
    assert client.get(url).status_code == 403


def test_no_record_page_without_archived_revisions(reviewer, editor_client):
    merge = confirmed_merge(
        source=factories.ClaimFactory(), target=factories.ClaimFactory(), user=reviewer
    )
    assert editor_client.get(reverse("merge_record", args=[merge.pk])).status_code == 404
    assert editor_client.get(reverse("merge_record", args=[10**9])).status_code == 404


def test_the_record_page_costs_the_same_whatever_the_number_of_revisions(
    reviewer, editor_client, django_assert_num_queries
):
    one = confirmed_merge(
        source=publish(at=timezone.now() - timedelta(days=3)).claim,
        target=publish(at=timezone.now() - timedelta(days=2)).claim,
        user=reviewer,
    )
    many, _ = _merged_published(reviewer)
    source = many.target  # published, then merged again with its own revisions and more
    for days in (1.5, 1):
        factories.AnnotationFactory(claim=source)
        republish(source, at=timezone.now() - timedelta(days=days))
    again = confirmed_merge(source=source, target=publish(at=timezone.now()).claim, user=reviewer)
    assert len(one.archived_revisions()) == 1 and len(again.archived_revisions()) == 3
    with django_assert_num_queries(RECORD_PAGE_QUERIES):
        editor_client.get(reverse("merge_record", args=[one.pk]))
    with django_assert_num_queries(RECORD_PAGE_QUERIES):
        response = editor_client.get(reverse("merge_record", args=[again.pk]))
    assert [r.revision.number for r in response.context["record"].revisions] == [3, 2, 1]


# An editor's record page: session, user, groups×2 (the role), the merge with its target
# and merger, the publishers' names.
RECORD_PAGE_QUERIES = 6


def test_the_admin_shows_a_merge_without_its_record(reviewer, admin_client):
    merge, _ = _merged_published(reviewer)
    for url in (
        reverse("admin:claims_claimmerge_changelist"),
        reverse("admin:claims_claimmerge_change", args=[merge.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert escape(merge.source_statement) in html and "Added a report." not in html


def test_the_confirmation_says_a_published_claims_record_is_kept(reviewer_client):
    target = publish(at=timezone.now() - timedelta(days=2)).claim
    source = publish(at=timezone.now() - timedelta(days=3)).claim
    kept = "Its published record — every revision readers saw at that address — is kept"
    url = reverse("claim_merge", args=[source.pk])
    assert kept in reviewer_client.get(url, {"into": target.pk}).content.decode()
    unpublished = reverse("claim_merge", args=[factories.ClaimFactory().pk])
    assert kept not in reviewer_client.get(unpublished, {"into": target.pk}).content.decode()


# --- four eyes on a published claim's merge (issue 24, finding 1) --------------------------


def _two_published_opposites():
    """A published *False* and, later, a published *True*: merging the first into the second
    would put the opposite rating at its address."""
    source = publish(
        factories.ClaimFactory(statement="The dam burst on Monday"),
        rating="false",
        at=timezone.now() - timedelta(days=3),
    ).claim
    target = publish(
        factories.ClaimFactory(statement="The dam burst on Monday night"),
        rating="true",
        at=timezone.now() - timedelta(days=2),
    ).claim
    return source, target


def test_one_reviewer_alone_cannot_take_a_published_fact_check_off_the_site(client):
    source, target = _two_published_opposites()
    first, second = factories.ReviewerFactory(), factories.ReviewerFactory()
    url = reverse("claim_merge", args=[source.pk])
    desk = Client()
    desk.force_login(first)

    page = desk.get(url, {"into": target.pk}).content.decode()
    assert "Propose the merge" in page and "Confirm the proposed merge" not in page
    assert 'class="rating rating-false"' in page and 'class="rating rating-true"' in page

    response = desk.post(url, {"into": target.pk, "action": "propose"})
    assert response.status_code == 302
    # Nothing public changed: the fact check still answers at its address, rated False.
    public = client.get(f"/claims/{source.slug}/")
    assert public.status_code == 200 and "False" in public.content.decode()
    assert Claim.objects.filter(pk=source.pk).exists()
    assert MergeProposal.objects.get(source=source).proposed_by == first
    # The source's desk page says a merge waits for a second reviewer.
    assert "Merge proposed." in desk.get(reverse("claim_detail", args=[source.pk])).text

    # The proposer cannot confirm it, whatever they post.
    refused = desk.post(url, {"into": target.pk})
    assert refused.status_code == 403 and "another reviewer has to confirm" in refused.text
    assert Claim.objects.filter(pk=source.pk).exists()
    with pytest.raises(NotAllowed):
        claim_merge(source=source, target=target, user=first)

    # A second reviewer sees the confirm button, and confirming merges.
    other = Client()
    other.force_login(second)
    assert "Confirm the proposed merge" in other.get(url, {"into": target.pk}).text
    assert other.post(url, {"into": target.pk}).status_code == 302
    merge = ClaimMerge.objects.get(source_key=source.pk)
    assert (merge.user, merge.proposed_by) == (second, first)
    assert client.get(f"/claims/{source.slug}/").status_code == 301


def test_a_merge_without_a_proposal_is_refused_for_a_published_source(reviewer):
    source, target = _two_published_opposites()
    with pytest.raises(NotAllowed, match="one reviewer proposes the merge and another confirms"):
        claim_merge(source=source, target=target, user=reviewer)
    assert Claim.objects.filter(pk=source.pk).exists()


def test_a_proposal_of_another_merge_confirms_nothing(reviewer):
    source, target = _two_published_opposites()
    elsewhere = publish(at=timezone.now() - timedelta(days=1)).claim
    claim_merge_propose(source=source, target=elsewhere, user=factories.ReviewerFactory())
    with pytest.raises(NotAllowed):
        claim_merge(source=source, target=target, user=reviewer)


def test_an_unpublished_source_is_merged_by_one_reviewer(reviewer):
    target = publish().claim
    source = factories.ClaimFactory()
    with pytest.raises(Refused, match="not published"):
        claim_merge_propose(source=source, target=target, user=reviewer)
    assert claim_merge(source=source, target=target, user=reviewer).proposed_by is None


# --- races on the claim row, PostgreSQL (issue 24, findings 4 and 5) ------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_a_highlight_saved_while_its_claim_is_merged_is_kept_or_refused_never_lost():
    editor, reviewer = factories.EditorFactory(), factories.ReviewerFactory()
    article = factories.ArticleFactory(body="Putin congratulated Trump via intermediaries.")
    outcomes = set()
    for attempt in range(10):
        source = factories.ClaimFactory(statement=f"Merged away {attempt}")
        target = factories.ClaimFactory(statement=f"Survivor {attempt}")
        results, errors = _run_together(
            lambda source=source, target=target: claim_merge(
                source=source, target=target, user=reviewer
            ),
            lambda source=source: annotation_create(
                article=article,
                user=editor,
                claim=source,
                stance="asserts",
                start=0,
                end=5,
                exact="Putin",
            ),  # fmt: skip
        )
        assert all(isinstance(e, Stale) for e in errors), errors
        assert results[0] is not None  # the merge always goes through
        if results[1] is not None:  # saved first, then moved with the claim
            assert Annotation.objects.get(pk=results[1].pk).claim_id == target.pk
            outcomes.add("kept")
        else:
            assert f"merged into “{target.statement}”" in str(errors[0])
            outcomes.add("refused")
    assert outcomes  # every round ended one of the two ways


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_an_approval_racing_a_merge_of_its_claim_is_refused_or_done_never_a_500():
    editor = factories.EditorFactory()
    merger, approver = factories.ReviewerFactory(), factories.ReviewerFactory()
    for attempt in range(10):
        source = factories.ClaimFactory(statement=f"Merged away {attempt}")
        target = factories.ClaimFactory(statement=f"Survivor {attempt}")
        verdict = verdicts.verdict_save_and_submit(
            claim=source, user=editor, rating="false", summary="No.", evidence=[], version=None
        )
        results, errors = _run_together(
            lambda source=source, target=target: claim_merge(
                source=source, target=target, user=merger
            ),
            lambda verdict=verdict: verdicts.verdict_approve(
                verdict=verdict, user=approver, version=verdict.version
            ),
        )
        assert len(errors) <= 1 and all(isinstance(e, Refused) for e in errors), errors
        if results[0] is None:  # approved first: a published source, no longer merged alone
            assert not isinstance(errors[0], Stale) and "published" in str(errors[0])
        elif results[1] is None:  # merged first: the approval names the survivor
            assert isinstance(errors[0], Stale) and target.statement in str(errors[0])
