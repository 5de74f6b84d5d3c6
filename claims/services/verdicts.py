"""Writing verdicts and moving them through review (docs/architecture.md, "Verdict workflow").

Every change is a conditional UPDATE on (pk, version, status): of two people acting on the
same verdict at once, exactly one matches the row and wins; the other matches nothing and
gets a ``Stale`` refusal naming who got there first. Nothing is read-modified-written.
"""

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from claims import notifications, policy
from claims.models import (
    EDITABLE_STATUSES,
    Claim,
    EvidenceLink,
    Rating,
    Status,
    Verdict,
    VerdictTransition,
    VerdictVersion,
)
from claims.services.publishing import claim_gone, contributor_ids, lock_claim, publish_revision
from factcheck.errors import NotAllowed, Refused, Stale
from factcheck.roles import User
from factcheck.sanitize import MAX_MARKDOWN, is_http_url, render_markdown
from factcheck.search import without_nul

EVIDENCE_FIELDS = ("url", "title", "publisher", "note")


def _display_name(user: User | None) -> str:
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()


def _stale(verdict_pk: int | None, *, user: User, claim: Claim | None = None) -> Stale:
    """The refusal for a form that no longer matches the database, naming the last change:
    by whom (``user`` themselves, from another tab or window) and when. The views show the
    verdict as it is now with it, so it says nothing about reloading."""
    current = None
    if verdict_pk is not None:
        current = Verdict.objects.select_related("last_edited_by").filter(pk=verdict_pk).first()
    elif claim is not None:
        current = (
            Verdict.objects.select_related("last_edited_by")
            .filter(claim=claim)
            .order_by("-updated_at", "-pk")
            .first()
        )
    if current is None:
        return Stale(_("This verdict was changed by someone else while you were looking at it."))
    # A status change and its transition share one timestamp; a plain edit has none.
    last = current.transitions.select_related("user").order_by("-at", "-pk").first()
    who = last.user if last is not None and last.at >= current.updated_at else None
    who = who or current.last_edited_by
    when = timezone.localtime(current.updated_at).strftime("%H:%M")
    if who is not None and who.pk == user.pk:
        return Stale(
            _(
                "This verdict was changed by you, in another tab or window, at {when}, after "
                "this page was loaded."
            ).format(when=when)
        )
    return Stale(
        _("This verdict was changed by {name} at {when} while you were looking at it.").format(
            name=_display_name(who), when=when
        )
    )


def _clean_evidence(evidence: list[dict]) -> list[dict]:
    cleaned = []
    for number, item in enumerate(evidence, start=1):
        row = {key: (item.get(key) or "").strip() for key in EVIDENCE_FIELDS}
        if not is_http_url(row["url"]):
            raise Refused(
                _(
                    "Evidence link {number}: the URL must be a web address starting with "
                    "http:// or https://."
                ).format(number=number)
            )
        if len(row["url"]) > EvidenceLink._meta.get_field("url").max_length:
            raise Refused(_("Evidence link {number}: the URL is too long.").format(number=number))
        if not row["title"]:
            raise Refused(_("Evidence link {number}: give the link a title.").format(number=number))
        cleaned.append(row)
    return cleaned


def _check_editor(user: User) -> None:
    if refusal := policy.may_edit(user, None):
        raise refusal


def _record(
    verdict: Verdict, *, user: User, from_status: str, to_status: str, at, comment: str = ""
):
    VerdictTransition.objects.create(
        verdict=verdict,
        user=user,
        at=at,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )


def _replace_evidence(verdict: Verdict, evidence: list[dict]) -> None:
    verdict.evidence.all().delete()
    EvidenceLink.objects.bulk_create(
        EvidenceLink(verdict=verdict, position=position, **row)
        for position, row in enumerate(evidence)
    )


def _record_version(
    verdict: Verdict, *, user: User, fields: dict, evidence: list[dict], at
) -> None:
    """Keep what was saved and who saved it: the four-eyes record and the history."""
    number = (verdict.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    VerdictVersion.objects.create(
        verdict=verdict,
        number=number,
        rating=fields["rating"],
        summary=fields["summary"],
        correction_note=fields["correction_note"],
        evidence=evidence,
        saved_by=user,
        saved_at=at,
    )


def _save(
    *,
    claim: Claim,
    user: User,
    rating: str,
    summary: str,
    evidence: list[dict],
    version: int | None,
    correction_note: str = "",
) -> Verdict:
    """Create the claim's open verdict or update it; after approval, start a new draft.

    ``version`` is the version the form was loaded with, None when it showed no open
    verdict. Evidence replaces the verdict's links, in the order given. Every save is kept
    as a VerdictVersion.
    """
    _check_editor(user)
    if rating not in Rating.values:
        raise Refused(_("Choose a rating."))
    summary = (summary or "").strip()
    if not summary:
        raise Refused(_("Write a summary of the evidence."))
    if len(summary) > MAX_MARKDOWN:
        raise Refused(
            _("Keep the summary under {count} characters.").format(
                count=formats.number_format(MAX_MARKDOWN, force_grouping=True)
            )
        )
    evidence = _clean_evidence(evidence)
    fields = {
        "rating": rating,
        "summary": summary,
        "summary_html": render_markdown(summary),
        "correction_note": (correction_note or "").strip(),
    }
    now = timezone.now()
    open_verdict = Verdict.objects.open_for(claim)

    if open_verdict is None:
        if version is not None:
            # The verdict this form was editing has been approved since.
            raise _stale(None, user=user, claim=claim)
        verdict = _create(claim=claim, user=user, fields=fields, now=now)
    else:
        if version is None or version != open_verdict.version:
            raise _stale(open_verdict.pk, user=user)
        if refusal := policy.may_edit(user, open_verdict):
            raise refusal
        if _unchanged(open_verdict, user, fields, evidence):
            # The same text saved again by whoever saved it last ("Submit" right after
            # "Save draft"): the draft as it is moves on, with no identical second version.
            # Someone else saving it unchanged is still recorded (a contributor, four eyes).
            return open_verdict
        updated = Verdict.objects.filter(
            pk=open_verdict.pk, version=version, status__in=EDITABLE_STATUSES
        ).update(
            **fields,
            last_edited_by=user,
            updated_at=now,
            version=F("version") + 1,
        )
        if not updated:
            raise _stale(open_verdict.pk, user=user)
        verdict = open_verdict
    _replace_evidence(verdict, evidence)
    _record_version(verdict, user=user, fields=fields, evidence=evidence, at=now)
    verdict.refresh_from_db()
    return verdict


def _unchanged(verdict: Verdict, user: User, fields: dict, evidence: list[dict]) -> bool:
    """``fields`` and ``evidence`` are what ``verdict``'s latest saved version holds, and
    ``user`` saved it."""
    latest = (
        verdict.versions.filter(saved_by=user)
        .filter(number=verdict.versions.order_by("-number").values("number")[:1])
        .values("rating", "summary", "correction_note", "evidence")
        .first()
    )
    return latest is not None and latest == {
        "rating": fields["rating"],
        "summary": fields["summary"],
        "correction_note": fields["correction_note"],
        "evidence": evidence,
    }


# The entry point; ``_save`` is also a step of ``verdict_save_and_submit``.
verdict_save = transaction.atomic(durable=True)(_save)


def _create(*, claim: Claim, user: User, fields: dict, now) -> Verdict:
    latest_approved = Verdict.objects.latest_approved_for(claim)
    # Versions keep rising across a claim's chain of verdicts, so a form loaded for an
    # earlier verdict can never match the version of a newer one.
    highest = claim.verdicts.aggregate(highest=Max("version"))["highest"] or 0
    try:
        with transaction.atomic():
            verdict = Verdict.objects.create(
                claim=claim,
                status=Status.DRAFT,
                author=user,
                last_edited_by=user,
                supersedes=latest_approved,
                version=highest + 1,
                created_at=now,
                updated_at=now,
                **fields,
            )
    except IntegrityError:
        # verdict_one_open_per_claim: someone else opened a verdict at the same moment.
        raise _stale(None, user=user, claim=claim) from None
    _record(verdict, user=user, from_status="", to_status=Status.DRAFT, at=now)
    return verdict


def _transition(
    *,
    verdict: Verdict,
    user: User,
    version: int,
    expected: tuple[str, ...],
    to_status: str,
    comment: str = "",
    **changes,
) -> Verdict:
    """Move the verdict from one of ``expected`` to ``to_status`` if nobody got there first."""
    current = Verdict.objects.filter(pk=verdict.pk).values("status", "version").first()
    if current is None:
        raise Stale(_("This verdict no longer exists; reload the page."))
    if current["version"] != version:
        raise _stale(verdict.pk, user=user)
    from_status = current["status"]
    if from_status not in expected:
        raise NotAllowed(
            policy.WRONG_STATUS[_VERBS[to_status]].format(
                status=str(Status(from_status).label).lower()
            )
        )
    now = timezone.now()
    updated = Verdict.objects.filter(pk=verdict.pk, version=version, status=from_status).update(
        status=to_status, version=F("version") + 1, updated_at=now, **changes
    )
    if not updated:
        raise _stale(verdict.pk, user=user)
    _record(
        verdict, user=user, from_status=from_status, to_status=to_status, at=now, comment=comment
    )
    verdict.refresh_from_db()
    return verdict


_VERBS = {
    Status.DRAFT: "withdrawn from review",
    Status.SUBMITTED: "submitted for review",
    Status.APPROVED: "approved",
    Status.CHANGES_REQUESTED: "sent back for changes",
}


def _submit(*, verdict: Verdict, user: User, version: int) -> Verdict:
    """Draft or changes requested → submitted (editors)."""
    _check_editor(user)
    verdict = _transition(
        verdict=verdict,
        user=user,
        version=version,
        expected=EDITABLE_STATUSES,
        to_status=Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    notifications.review_requested(verdict, actor=user)
    return verdict


@transaction.atomic(durable=True)
def verdict_withdraw(*, verdict: Verdict, user: User, version: int) -> Verdict:
    """Submitted → draft, by an editor who contributed to it: taken back before review to
    be edited again. Recorded as a transition like every change of status."""
    current = _fresh(verdict)
    if current.version != version:
        raise _stale(verdict.pk, user=user)
    if refusal := policy.may_withdraw(user, current):
        raise refusal
    return _transition(
        verdict=verdict,
        user=user,
        version=version,
        expected=(Status.SUBMITTED,),
        to_status=Status.DRAFT,
        comment="Withdrawn from review.",
        submitted_at=None,
    )


verdict_submit = transaction.atomic(durable=True)(_submit)


@transaction.atomic(durable=True)
def verdict_save_and_submit(*, claim: Claim, user: User, version: int | None, **fields) -> Verdict:
    """Save what the form holds and submit it, or neither."""
    verdict = _save(claim=claim, user=user, version=version, **fields)
    return _submit(verdict=verdict, user=user, version=verdict.version)


@transaction.atomic(durable=True)
def verdict_approve(*, verdict: Verdict, user: User, version: int, comment: str = "") -> Verdict:
    """Submitted → approved and published as the claim's next revision, by a reviewer who
    contributed to none of it (``policy.may_review``). Serialised on the claim's row: of two
    approvals, or an approval and a merge, the second is refused (409), never half-done."""
    claim = _reviewed(verdict, user=user, version=version)
    comment = _comment(comment)
    now = timezone.now()
    verdict = _transition(
        verdict=verdict,
        user=user,
        version=version,
        expected=(Status.SUBMITTED,),
        to_status=Status.APPROVED,
        comment=comment,
        reviewer=user,
        approved_at=now,
    )
    publish_revision(claim=claim, user=user, verdict=verdict, update_note=verdict.correction_note)
    notifications.approved(verdict, actor=user)
    return verdict


def _comment(comment: str) -> str:
    comment = without_nul(comment)
    if len(comment) > MAX_MARKDOWN:
        raise Refused(
            _("Keep the comment under {count} characters.").format(
                count=formats.number_format(MAX_MARKDOWN, force_grouping=True)
            )
        )
    return comment


@transaction.atomic(durable=True)
def verdict_request_changes(*, verdict: Verdict, user: User, version: int, comment: str) -> Verdict:
    """Submitted → changes requested, with a comment saying what to change (reviewers)."""
    _reviewed(verdict, user=user, version=version, decision=policy.may_request_changes)
    comment = _comment(comment)
    if not comment:
        raise Refused(_("Say what should change: the comment is required."))
    verdict = _transition(
        verdict=verdict,
        user=user,
        version=version,
        expected=(Status.SUBMITTED,),
        to_status=Status.CHANGES_REQUESTED,
        comment=comment,
    )
    notifications.changes_requested(verdict, actor=user, comment=comment)
    return verdict


def _reviewed(verdict: Verdict, *, user: User, version: int, decision=policy.may_review) -> Claim:
    """The verdict's claim, locked, once ``user`` may review the verdict as it is now
    (``policy.may_review``); refused when someone got there first (Stale)."""
    claim = lock_claim(verdict.claim_id)
    current = _fresh(verdict)
    if current.claim_id != claim.pk:  # moved by a merge since the page was loaded
        raise claim_gone(claim.pk)
    if current.version != version:
        raise _stale(verdict.pk, user=user)
    if refusal := decision(user, current, contributor_ids(claim, current)):
        raise refusal
    return claim


def _fresh(verdict: Verdict) -> Verdict:
    """The four-eyes check must see the latest editor, not the one the caller loaded."""
    current = Verdict.objects.filter(pk=verdict.pk).first()
    if current is None:
        raise Stale(_("This verdict no longer exists; reload the page."))
    return current
