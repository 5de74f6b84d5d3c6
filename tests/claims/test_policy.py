"""One policy for who may do what (claims/policy.py; issue 26, item 1): for every role and
every state of a claim, each decision's button is on the page exactly when the server
accepts it. Shown and refused, or hidden and accepted, would both fail here.

Each case builds its claim afresh, reads the claim's desk page (and, for reviewing, the
review grid) as that person, then posts the decision and sees whether the server did it.
"""

import itertools
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.models import Verdict
from claims.services import annotations, verdicts
from factcheck import roles
from tests import factories
from tests.claims.helpers import publish

pytestmark = pytest.mark.django_db

STATES = ["none", "draft", "submitted", "changes_requested", "published", "published_pending"]
ROLES = ["author", "editor", "reviewer", "new_reviewer", "superuser"]
DECISIONS = ["edit", "withdraw", "approve", "request_changes", "publish", "merge"]
ARTICLES = itertools.count()
BODY = "Putin congratulated Trump via intermediaries, a Kremlin source told the paper."


def _author():
    """An editor and reviewer (powers in force) who writes everything in the scenario."""
    user = factories.EditorFactory()
    user.groups.add(Group.objects.get(name=roles.REVIEWERS))
    factories.established(user)
    return user


def _highlight(claim, user, article):
    start = article.body.index("Putin")
    return annotations.annotation_create(
        article=article, user=user, claim=claim, stance="asserts",
        start=start, end=start + 5, exact="Putin",
    )  # fmt: skip


def _scenario(state: str):
    author, other = _author(), factories.ReviewerFactory()
    article = factories.ArticleFactory(body=f"{next(ARTICLES)}. {BODY}")
    claim = factories.ClaimFactory()
    if state in ("published", "published_pending"):
        publish(claim, at=timezone.now() - timedelta(days=1))
    if state == "published_pending":
        _highlight(claim, author, article)
    if state in ("draft", "submitted", "changes_requested"):
        verdict = verdicts.verdict_save(
            claim=claim, user=author, rating="false", summary="No.", evidence=[], version=None
        )
        if state != "draft":
            verdict = verdicts.verdict_submit(verdict=verdict, user=author, version=verdict.version)
        if state == "changes_requested":
            verdicts.verdict_request_changes(
                verdict=verdict, user=other, version=verdict.version, comment="More."
            )
    # The claim it would be merged into: published, and newer than anything here.
    target = publish(factories.ClaimFactory()).claim
    claim.refresh_from_db()
    return claim, author, target


def _person(role: str, author):
    if role == "author":
        return author
    if role == "editor":
        return factories.EditorFactory()
    if role == "reviewer":
        return factories.ReviewerFactory()
    if role == "new_reviewer":
        return factories.ReviewerFactory(role__new=True)
    return factories.AdminFactory()


def _shown(client, decision: str, claim, target) -> bool:
    """Whether the page offers ``decision`` to the signed-in person."""
    if decision == "merge":
        page = client.get(reverse("claim_merge", args=[claim.pk]), {"into": target.pk}).text
        return bool(re.search(r'name="into" value="\d+"', page))
    page = client.get(reverse("claim_detail", args=[claim.pk])).text
    verdict = Verdict.objects.open_for(claim)
    pk = verdict.pk if verdict else 0
    markers = {
        "edit": f'action="{reverse("verdict_edit", args=[claim.pk])}"',
        "withdraw": f'action="{reverse("verdict_withdraw", args=[pk])}"',
        "approve": f'action="{reverse("verdict_approve", args=[pk])}"',
        "request_changes": f'formaction="{reverse("verdict_request_changes", args=[pk])}"',
        "publish": f'action="{reverse("claim_publish", args=[claim.pk])}"',
    }
    shown = markers[decision] in page
    if decision == "approve":
        review = client.get(reverse("review"), {"status": "all"})
        if review.status_code == 200:  # reviewers: the grid offers the same decision
            grid = f'action="{reverse("verdict_approve", args=[pk])}?from=review"' in review.text
            assert grid == shown, "the review grid and the claim page disagree"
    return shown


def _post(client, decision: str, claim, target):
    verdict = Verdict.objects.open_for(claim)
    pk, version = (verdict.pk, verdict.version) if verdict else (0, 0)
    if decision == "edit":
        return client.post(
            reverse("verdict_edit", args=[claim.pk]),
            {
                "rating": "mixed",
                "summary": "Partly.",
                "version": version if verdict else "",
                "evidence-TOTAL_FORMS": "0",
                "evidence-INITIAL_FORMS": "0",
                "evidence-MIN_NUM_FORMS": "0",
                "evidence-MAX_NUM_FORMS": "30",
            },
        )
    if decision in ("withdraw", "approve", "request_changes"):
        name = {"withdraw": "verdict_withdraw", "approve": "verdict_approve"}.get(
            decision, "verdict_request_changes"
        )
        return client.post(reverse(name, args=[pk]), {"version": version, "comment": "Hmm."})
    if decision == "publish":
        revision = claim.published_revision.number if claim.published_revision_id else 1
        return client.post(reverse("claim_publish", args=[claim.pk]), {"revision": revision})
    page = client.get(reverse("claim_merge", args=[claim.pk]), {"into": target.pk}).text
    action = re.search(r'name="action" value="(\w+)"', page)
    data = {"into": target.pk, **({"action": action.group(1)} if action else {})}
    return client.post(reverse("claim_merge", args=[claim.pk]), data)


@pytest.mark.parametrize("decision", DECISIONS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
def test_every_button_shown_is_accepted_and_every_refusal_is_a_button_not_shown(
    state, role, decision
):
    claim, author, target = _scenario(state)
    client = Client()
    client.force_login(_person(role, author))
    shown = _shown(client, decision, claim, target)
    response = _post(client, decision, claim, target)
    accepted = response.status_code == 302
    assert response.status_code in (302, 403, 404, 409, 422), response.status_code
    assert shown == accepted, (
        f"{decision} for the {role} on a {state} claim: "
        f"{'shown' if shown else 'not shown'} but {'accepted' if accepted else 'refused'}"
        f" ({response.status_code})"
    )


def test_the_matrix_has_both_answers_for_every_decision():
    """Guard against a matrix that passes by refusing (or allowing) everything: each
    decision is accepted for someone somewhere and refused for someone somewhere. (The cases
    above check the pairing; this names, per decision, a case for each answer.)"""
    expected = {
        "edit": (("draft", "author"), ("submitted", "author")),
        "withdraw": (("submitted", "author"), ("submitted", "editor")),
        "approve": (("submitted", "reviewer"), ("submitted", "author")),
        "request_changes": (("submitted", "superuser"), ("submitted", "new_reviewer")),
        "publish": (("published_pending", "reviewer"), ("published", "reviewer")),
        "merge": (("published", "reviewer"), ("published", "editor")),
    }
    for decision, (yes, no) in expected.items():
        for (state, role), answer in ((yes, True), (no, False)):
            claim, author, target = _scenario(state)
            client = Client()
            client.force_login(_person(role, author))
            response = _post(client, decision, claim, target)
            assert (response.status_code == 302) is answer, (decision, state, role)
