"""The verdict workflow's services: transitions, roles, four eyes, stale versions."""

import pytest
from django.contrib.auth.models import Group

from claims.models import EvidenceLink, Rating, Status, Verdict, VerdictTransition
from claims.services import verdicts as services
from factcheck import roles
from factcheck.errors import NotAllowed, Refused, Stale
from tests import factories

pytestmark = pytest.mark.django_db

LINKS = [
    {"url": "https://kremlin.example/statement", "title": "Kremlin statement", "publisher": "TASS"},
    {"url": "http://news.example/denial", "title": "The denial", "note": "Peskov, 8 Nov."},
]


def both_roles():
    user = factories.EditorFactory()
    user.groups.add(Group.objects.get(name=roles.REVIEWERS))
    factories.established(user)
    return user


def save(claim, user, *, version=None, **fields):
    values = {"rating": Rating.FALSE, "summary": "No evidence **at all**.", "evidence": LINKS}
    values.update(fields)
    return services.verdict_save(claim=claim, user=user, version=version, **values)


def submitted(author=None):
    verdict = save(factories.ClaimFactory(), author or factories.EditorFactory())
    return services.verdict_submit(verdict=verdict, user=verdict.author, version=verdict.version)


def history(verdict):
    return list(
        VerdictTransition.objects.filter(verdict=verdict).values_list(
            "from_status", "to_status", "user", "comment"
        )
    )


def test_save_creates_a_draft_with_evidence_and_records_it(editor):
    claim = factories.ClaimFactory()
    verdict = save(claim, editor)
    assert verdict.status == Status.DRAFT
    assert verdict.author == verdict.last_edited_by == editor
    assert verdict.summary_html == "<p>No evidence <strong>at all</strong>.</p>\n"
    assert verdict.version == 1
    assert [(e.url, e.title, e.position) for e in verdict.evidence.all()] == [
        ("https://kremlin.example/statement", "Kremlin statement", 0),
        ("http://news.example/denial", "The denial", 1),
    ]
    assert history(verdict) == [("", Status.DRAFT, editor.pk, "")]


def test_update_by_another_editor_bumps_version_and_replaces_evidence(editor):
    verdict = save(factories.ClaimFactory(), editor)
    other = factories.EditorFactory()
    updated = save(
        verdict.claim,
        other,
        version=verdict.version,
        rating=Rating.MISLEADING,
        evidence=[LINKS[1], {"url": "https://third.example/", "title": "Third"}],
    )
    assert updated.pk == verdict.pk
    assert updated.version == verdict.version + 1
    assert updated.author == editor and updated.last_edited_by == other
    assert updated.rating == Rating.MISLEADING
    assert [e.title for e in updated.evidence.all()] == ["The denial", "Third"]
    assert EvidenceLink.objects.count() == 2
    assert len(history(updated)) == 1  # an edit is not a status change


def test_stale_version_is_refused_and_names_who_changed_it(editor):
    verdict = save(factories.ClaimFactory(), editor)
    other = factories.EditorFactory(username="olga")
    save(verdict.claim, other, version=verdict.version, summary="Theirs.")
    with pytest.raises(Stale, match=r"changed by olga at \d\d:\d\d"):
        save(verdict.claim, editor, version=verdict.version, summary="Mine.")
    assert Verdict.objects.get().summary == "Theirs."


def test_new_verdict_form_is_stale_when_someone_opened_one_meanwhile(editor):
    claim = factories.ClaimFactory()
    save(claim, factories.EditorFactory())
    with pytest.raises(Stale):
        save(claim, editor, version=None)
    assert Verdict.objects.count() == 1


def test_submit_then_approve_by_another_reviewer(editor, reviewer):
    verdict = save(factories.ClaimFactory(), editor)
    verdict = services.verdict_submit(verdict=verdict, user=editor, version=verdict.version)
    assert verdict.status == Status.SUBMITTED and verdict.submitted_at is not None
    verdict = services.verdict_approve(
        verdict=verdict, user=reviewer, version=verdict.version, comment="Solid."
    )
    assert verdict.status == Status.APPROVED
    assert verdict.reviewer == reviewer and verdict.approved_at is not None
    assert history(verdict) == [
        ("", Status.DRAFT, editor.pk, ""),
        (Status.DRAFT, Status.SUBMITTED, editor.pk, ""),
        (Status.SUBMITTED, Status.APPROVED, reviewer.pk, "Solid."),
    ]
    assert Verdict.objects.latest_approved_for(verdict.claim) == verdict


def test_request_changes_then_edit_and_resubmit(editor, reviewer):
    verdict = submitted(editor)
    verdict = services.verdict_request_changes(
        verdict=verdict, user=reviewer, version=verdict.version, comment="Cite the transcript."
    )
    assert verdict.status == Status.CHANGES_REQUESTED
    verdict = save(verdict.claim, editor, version=verdict.version, summary="With transcript.")
    assert verdict.status == Status.CHANGES_REQUESTED
    verdict = services.verdict_submit(verdict=verdict, user=editor, version=verdict.version)
    assert verdict.status == Status.SUBMITTED
    assert [t[:2] for t in history(verdict)] == [
        ("", Status.DRAFT),
        (Status.DRAFT, Status.SUBMITTED),
        (Status.SUBMITTED, Status.CHANGES_REQUESTED),
        (Status.CHANGES_REQUESTED, Status.SUBMITTED),
    ]


def test_request_changes_needs_a_comment(reviewer):
    verdict = submitted()
    with pytest.raises(Refused, match="comment is required"):
        services.verdict_request_changes(
            verdict=verdict, user=reviewer, version=verdict.version, comment="  "
        )
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


@pytest.mark.parametrize("action", ["approve", "request_changes"])
def test_four_eyes_author_cannot_review(action):
    author = both_roles()
    verdict = submitted(author)
    with pytest.raises(NotAllowed, match="four eyes"):
        getattr(services, f"verdict_{action}")(
            verdict=verdict, user=author, version=verdict.version, comment="Fine by me."
        )
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


def test_four_eyes_last_editor_cannot_approve(editor, reviewer):
    last_editor = both_roles()
    verdict = save(factories.ClaimFactory(), editor)
    verdict = save(verdict.claim, last_editor, version=verdict.version, summary="Edited.")
    verdict = services.verdict_submit(verdict=verdict, user=editor, version=verdict.version)
    with pytest.raises(NotAllowed):
        services.verdict_approve(verdict=verdict, user=last_editor, version=verdict.version)
    # Someone who neither wrote nor edited it may.
    assert (
        services.verdict_approve(verdict=verdict, user=reviewer, version=verdict.version).status
        == Status.APPROVED
    )


def test_roles_are_enforced(editor, reviewer):
    with pytest.raises(NotAllowed):
        save(factories.ClaimFactory(), reviewer)
    verdict = submitted()
    with pytest.raises(NotAllowed):
        services.verdict_approve(verdict=verdict, user=editor, version=verdict.version)
    with pytest.raises(NotAllowed):
        services.verdict_request_changes(
            verdict=verdict, user=editor, version=verdict.version, comment="No."
        )


def test_wrong_status_is_not_allowed(editor, reviewer):
    verdict = save(factories.ClaimFactory(), editor)
    with pytest.raises(NotAllowed, match="draft can't be approved"):
        services.verdict_approve(verdict=verdict, user=reviewer, version=verdict.version)
    verdict = services.verdict_submit(verdict=verdict, user=editor, version=verdict.version)
    with pytest.raises(NotAllowed, match="waiting for review"):
        save(verdict.claim, editor, version=verdict.version)
    with pytest.raises(NotAllowed):
        services.verdict_submit(verdict=verdict, user=editor, version=verdict.version)


def test_simultaneous_approval_exactly_one_wins(reviewer):
    verdict = submitted()
    loaded = verdict.version
    second = factories.ReviewerFactory(username="second")
    services.verdict_approve(verdict=verdict, user=reviewer, version=loaded)
    with pytest.raises(Stale, match=f"changed by {reviewer.username}"):
        services.verdict_approve(verdict=verdict, user=second, version=loaded)
    with pytest.raises(Stale):
        services.verdict_request_changes(
            verdict=verdict, user=second, version=loaded, comment="Wait."
        )
    verdict.refresh_from_db()
    assert verdict.reviewer == reviewer
    assert VerdictTransition.objects.filter(to_status=Status.APPROVED).count() == 1


def test_editing_after_approval_makes_a_new_draft(editor, reviewer):
    verdict = submitted(editor)
    approved = services.verdict_approve(verdict=verdict, user=reviewer, version=verdict.version)
    other = factories.EditorFactory()
    draft = save(
        approved.claim,
        other,
        version=None,
        rating=Rating.MOSTLY_FALSE,
        summary="New evidence.",
        evidence=[],
        correction_note="Rating changed after the transcript was published.",
    )
    assert draft.pk != approved.pk
    assert draft.status == Status.DRAFT and draft.supersedes == approved
    assert draft.author == other
    assert draft.version > approved.version
    assert not draft.evidence.exists()  # nothing is copied that the editor didn't send
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED and approved.evidence.count() == 2
    assert Verdict.objects.latest_approved_for(approved.claim) == approved
    # A form still holding the approved verdict's version is stale for the new draft.
    with pytest.raises(Stale):
        save(approved.claim, editor, version=approved.version)


def test_form_for_a_verdict_approved_meanwhile_is_stale(editor, reviewer):
    verdict = save(factories.ClaimFactory(), editor)
    loaded = verdict.version
    verdict = services.verdict_submit(verdict=verdict, user=editor, version=loaded)
    services.verdict_approve(verdict=verdict, user=reviewer, version=verdict.version)
    with pytest.raises(Stale):
        save(verdict.claim, editor, version=loaded)
    assert Verdict.objects.count() == 1


def test_save_and_submit_in_one_call(editor):
    claim = factories.ClaimFactory()
    verdict = services.verdict_save_and_submit(
        claim=claim, user=editor, version=None, rating=Rating.TRUE, summary="Yes.", evidence=[]
    )
    assert verdict.status == Status.SUBMITTED


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.org/x", "//example.org/x", "", "https://"],
)
def test_service_refuses_non_http_evidence(editor, url):
    with pytest.raises(Refused, match="http"):
        save(factories.ClaimFactory(), editor, evidence=[{"url": url, "title": "x"}])
    assert not Verdict.objects.exists()


def test_service_validates_rating_summary_and_title(editor):
    claim = factories.ClaimFactory()
    with pytest.raises(Refused, match="rating"):
        save(claim, editor, rating="pants_on_fire")
    with pytest.raises(Refused, match="summary"):
        save(claim, editor, summary="   ")
    with pytest.raises(Refused, match="title"):
        save(claim, editor, evidence=[{"url": "https://example.org/", "title": ""}])
    assert not Verdict.objects.exists()


def test_my_open_verdicts(editor, reviewer):
    mine = save(factories.ClaimFactory(), editor)
    edited_by_me = save(factories.ClaimFactory(), factories.EditorFactory())
    edited_by_me = save(edited_by_me.claim, editor, version=edited_by_me.version)
    save(factories.ClaimFactory(), factories.EditorFactory())  # someone else's
    approved = submitted(editor)
    services.verdict_approve(verdict=approved, user=reviewer, version=approved.version)
    assert list(Verdict.objects.open_by(editor, limit=20)) == [edited_by_me, mine]
    assert list(Verdict.objects.open_by(editor, limit=1)) == [edited_by_me]
