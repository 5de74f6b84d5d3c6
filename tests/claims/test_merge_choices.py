"""A merge shows every moving highlight with its stance and lets the reviewers flip or drop
each one, through the same four-eyes rule as the merge itself (issue 25, item 3)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Annotation, AnnotationChange, Claim, ClaimMerge, MergeProposal, Stance
from claims.services.claims import claim_merge, claim_merge_propose
from factcheck.errors import Refused, Stale
from tests import factories
from tests.claims.helpers import publish

pytestmark = pytest.mark.django_db


def _highlights(claim):
    """Three highlights of ``claim`` in three outlets, one of them in Cyrillic."""
    outlets = [
        factories.OutletFactory(name="Meduza"),
        factories.OutletFactory(name="Українська правда"),
        factories.OutletFactory(name="Reuters"),
    ]
    bodies = [
        "The Kremlin denied that Putin congratulated Trump. Peskov said so on Tuesday.",
        "Путін привітав Трампа, кажуть джерела. Кремль мовчить.",
        "Putin congratulated Trump privately, two sources said.",
    ]
    quotes = ["Kremlin denied", "Путін привітав Трампа", "Putin congratulated Trump"]
    stances = [Stance.DISPUTES, Stance.ASSERTS, Stance.ATTRIBUTES]
    return [
        factories.AnnotationFactory(
            claim=claim,
            article=factories.ArticleFactory(outlet=outlet, body=body),
            quote=quote,
            stance=stance,
        )
        for outlet, body, quote, stance in zip(outlets, bodies, quotes, stances, strict=True)
    ]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_page_lists_every_moving_highlight_with_quote_outlet_and_stance(reviewer_client):
    source = factories.ClaimFactory(statement="The Kremlin denied congratulating Trump")
    target = factories.ClaimFactory(statement="Putin congratulated Trump")
    denied, ukrainian, attributed = _highlights(source)
    page = reviewer_client.get(reverse("claim_merge", args=[source.pk]), {"into": target.pk}).text
    assert "The 3 highlights that move, with their stances" in page
    for highlight, outlet, label in (
        (denied, "Meduza", "Keeps: Disputes"),
        (ukrainian, "Українська правда", "Keeps: Asserts"),
        (attributed, "Reuters", "Keeps: Attributes"),
    ):
        assert f"“{highlight.exact}”" in page
        assert outlet in page
        assert f'name="choice-{highlight.pk}"' in page
        # The highlight's own stance is the one selected.
        assert f'<option value="{highlight.stance}" selected>{label}</option>' in page
        assert '<option value="drop">Drop this highlight</option>' in page


def test_one_reviewer_flips_one_stance_and_drops_another_in_the_merge(reviewer, reviewer_client):
    source = factories.ClaimFactory(statement="The Kremlin denied congratulating Trump")
    target = factories.ClaimFactory(statement="Putin congratulated Trump")
    denied, ukrainian, attributed = _highlights(source)
    url = reverse("claim_merge", args=[source.pk])
    response = reviewer_client.post(
        url,
        {
            "into": target.pk,
            f"choice-{denied.pk}": "disputes",  # unchanged
            f"choice-{ukrainian.pk}": "drop",
            f"choice-{attributed.pk}": "asserts",
        },
    )
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=source.pk).exists()
    assert dict(target.annotations.values_list("pk", "stance")) == {
        denied.pk: "disputes",
        attributed.pk: "asserts",
    }
    assert not Annotation.objects.filter(pk=ukrainian.pk).exists()
    # The history keeps the dropped highlight and the flip, each by the merger.
    dropped = AnnotationChange.objects.get(annotation_key=ukrainian.pk, action="deleted")
    assert dropped.user == reviewer and dropped.before["exact"] == "Путін привітав Трампа"
    flipped = AnnotationChange.objects.get(annotation_key=attributed.pk, action="updated")
    assert (flipped.before["stance"], flipped.after["stance"]) == ("attributes", "asserts")
    assert flipped.after["claim"] == target.pk
    # The merge record says what was chosen, and the survivor's page shows it.
    merge = ClaimMerge.objects.get(source_key=source.pk)
    assert merge.annotations_moved == 2
    assert [
        (c["annotation"], c["before"], c["after"], c["outlet"]) for c in merge.highlight_choices
    ] == [
        (ukrainian.pk, "asserts", "drop", "Українська правда"),
        (attributed.pk, "attributes", "asserts", "Reuters"),
    ]
    page = reviewer_client.get(reverse("claim_detail", args=[target.pk])).text
    assert "(Reuters): Attributes → Asserts" in page
    assert "(Українська правда): Asserts, dropped" in page
    # The admin shows the record too (read-only).
    admin = Client()
    admin.force_login(factories.AdminFactory())
    html = admin.get(reverse("admin:claims_claimmerge_change", args=[merge.pk])).text
    assert "Highlight choices" in html and "Reuters" in html


def test_a_bad_choice_is_refused_and_nothing_moves(reviewer, reviewer_client):
    source = factories.ClaimFactory()
    target = factories.ClaimFactory()
    (highlight,) = factories.AnnotationFactory.create_batch(1, claim=source)
    url = reverse("claim_merge", args=[source.pk])
    response = reviewer_client.post(url, {"into": target.pk, f"choice-{highlight.pk}": "maybe"})
    assert response.status_code == 422
    assert "Choose a stance for each highlight, or drop it." in response.text
    assert Claim.objects.filter(pk=source.pk).exists()
    highlight.refresh_from_db()
    assert (highlight.claim_id, highlight.stance) == (source.pk, "asserts")
    # A choice for a highlight that does not move with this claim: the page was stale.
    other = factories.AnnotationFactory()
    response = reviewer_client.post(url, {"into": target.pk, f"choice-{other.pk}": "drop"})
    assert response.status_code == 409 and "no longer moves with this claim" in response.text
    assert Annotation.objects.filter(pk=other.pk).exists()
    assert not ClaimMerge.objects.exists()


def _published_pair_with_highlights():
    source = publish(
        factories.ClaimFactory(statement="The Kremlin denied congratulating Trump"),
        rating="false",
        at=timezone.now() - timedelta(days=3),
    ).claim
    target = publish(
        factories.ClaimFactory(statement="Putin congratulated Trump"),
        rating="true",
        at=timezone.now() - timedelta(days=2),
    ).claim
    return source, target, _highlights(source)


def test_the_confirming_reviewer_sees_and_applies_exactly_the_proposed_choices():
    source, target, (denied, ukrainian, attributed) = _published_pair_with_highlights()
    first, second = factories.ReviewerFactory(), factories.ReviewerFactory()
    url = reverse("claim_merge", args=[source.pk])
    proposer = _client(first)
    response = proposer.post(
        url,
        {
            "into": target.pk,
            "action": "propose",
            f"choice-{denied.pk}": "asserts",
            f"choice-{ukrainian.pk}": "drop",
            f"choice-{attributed.pk}": "attributes",
        },
    )
    assert response.status_code == 302
    proposal = MergeProposal.objects.get(source=source)
    assert proposal.choices == {str(denied.pk): "asserts", str(ukrainian.pk): "drop"}
    # Nothing moved yet.
    denied.refresh_from_db()
    assert (denied.claim_id, denied.stance) == (source.pk, "disputes")

    # The second reviewer sees the proposal's choices, preset.
    confirmer = _client(second)
    page = confirmer.get(url, {"into": target.pk}).text
    assert "Confirm the proposed merge" in page
    assert '<option value="asserts" selected>Becomes: Asserts</option>' in page
    assert '<option value="drop" selected>Drop this highlight</option>' in page
    assert page.count("as proposed") == 2

    # Confirming other choices than the proposal's is refused, nothing moves.
    other = {f"choice-{denied.pk}": "disputes", f"choice-{ukrainian.pk}": "drop"}
    response = confirmer.post(url, {"into": target.pk, **other})
    assert response.status_code == 409 and "not the choices proposed" in response.text
    assert Claim.objects.filter(pk=source.pk).exists()
    with pytest.raises(Stale):
        claim_merge(source=source, target=target, user=second, choices={})

    # Confirming them as shown merges with exactly those choices.
    shown = {
        f"choice-{denied.pk}": "asserts",
        f"choice-{ukrainian.pk}": "drop",
        f"choice-{attributed.pk}": "attributes",
    }
    assert confirmer.post(url, {"into": target.pk, **shown}).status_code == 302
    merge = ClaimMerge.objects.get(source_key=source.pk)
    assert (merge.user, merge.proposed_by) == (second, first)
    assert dict(target.annotations.values_list("pk", "stance")) == {
        denied.pk: "asserts",
        attributed.pk: "attributes",
    }
    assert {c["annotation"]: c["after"] for c in merge.highlight_choices} == {
        denied.pk: "asserts",
        ukrainian.pk: "drop",
    }


def test_the_second_reviewer_may_propose_other_choices_which_the_first_then_confirms():
    source, target, (denied, ukrainian, _) = _published_pair_with_highlights()
    first, second = factories.ReviewerFactory(), factories.ReviewerFactory()
    claim_merge_propose(source=source, target=target, user=first, choices={denied.pk: "drop"})
    # The same choices again are no new proposal.
    with pytest.raises(Stale, match="Another reviewer proposed this merge"):
        claim_merge_propose(source=source, target=target, user=second, choices={denied.pk: "drop"})
    changed = {denied.pk: "asserts", ukrainian.pk: "disputes"}
    proposal = claim_merge_propose(source=source, target=target, user=second, choices=changed)
    assert proposal.proposed_by == second
    assert proposal.choices == {str(denied.pk): "asserts", str(ukrainian.pk): "disputes"}
    # The proposer cannot confirm their own choices; the first reviewer confirms them.
    with pytest.raises(Refused, match="another reviewer has to confirm"):
        claim_merge(source=source, target=target, user=second, choices=changed)
    merge = claim_merge(source=source, target=target, user=first, choices=changed)
    assert merge.proposed_by == second
    assert dict(
        target.annotations.filter(pk__in=[denied.pk, ukrainian.pk]).values_list("pk", "stance")
    ) == {
        denied.pk: "asserts",
        ukrainian.pk: "disputes",
    }


def test_the_merge_page_costs_the_same_whatever_the_number_of_highlights(reviewer_client):
    def queries(count):
        source, target = factories.ClaimFactory(), factories.ClaimFactory()
        factories.AnnotationFactory.create_batch(count, claim=source)
        url = reverse("claim_merge", args=[source.pk])
        with CaptureQueriesContext(connection) as captured:
            assert reviewer_client.get(url, {"into": target.pk}).status_code == 200
        return len(captured)

    assert queries(1) == queries(12)
