"""Who may do what: one predicate per decision (docs/architecture.md, "Policy").

Each ``may_*`` returns the refusal — a ``factcheck.errors.Refused`` carrying its message and
HTTP status — or None when the user may. Services raise it (``if refusal := …: raise
refusal``), against rows re-read under a lock; selectors and templates show a button only
when its predicate returns None. The predicates read no rows of their own except the
reviewer's hold (``reviewer_hold``): whoever calls them passes what they decide on — the
verdict, the claim's contributors (``claims.services.publishing.contributors``), the pending
changes, the merge proposal — so a page deciding for fifty claims asks the database as
often as one that decides for one. ``tests/claims/test_policy.py`` checks, for every role
and state, that the buttons shown are exactly the ones the server accepts.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.models import EDITABLE_STATUSES, Claim, MergeProposal, RoleGrant, Status, Verdict
from factcheck import roles
from factcheck.errors import NotAllowed, Refused, Stale

FOUR_EYES_REVIEW = gettext_lazy(
    "You wrote or changed part of what would be published (the verdict, the claim's wording "
    "or its highlights, or the details of an article it quotes), so another reviewer has to "
    "review it (four eyes)."
)
FOUR_EYES_PUBLISH = gettext_lazy(
    "You wrote or changed part of what would be published (the verdict, the claim's wording "
    "or its highlights, or the details of an article it quotes), so another reviewer has to "
    "publish it (four eyes)."
)

# What a user who is not a reviewer is told, by what they tried (may_act_as_reviewer).
ONLY_REVIEWERS = {
    "review fact checks": gettext_lazy("Only reviewers can review fact checks."),
    "approve verdicts or request changes": gettext_lazy(
        "Only reviewers can approve verdicts or request changes."
    ),
    "publish fact checks": gettext_lazy("Only reviewers can publish fact checks."),
    "merge claims": gettext_lazy("Only reviewers can merge claims."),
}

# A verdict in the wrong status for the action (_wrong_status), by action and status.
WRONG_STATUS = {
    "withdrawn from review": gettext_lazy(
        "A verdict that is {status} can't be withdrawn from review."
    ),
    "approved": gettext_lazy("A verdict that is {status} can't be approved."),
    "submitted for review": gettext_lazy(
        "A verdict that is {status} can't be submitted for review."
    ),
    "sent back for changes": gettext_lazy(
        "A verdict that is {status} can't be sent back for changes."
    ),
}


# --- who the user is ---------------------------------------------------------------------


def cooling_off() -> timedelta:
    return timedelta(hours=settings.REVIEWER_COOLING_OFF_HOURS)


def reviewer_hold(user) -> RoleGrant | None:
    """The grant of reviewer powers that still holds ``user`` back: made less than
    ``REVIEWER_COOLING_OFF_HOURS`` ago and confirmed by no second superuser (None: none).
    One query, kept on the user object for the request."""
    if not hasattr(user, "_reviewer_hold"):
        since = timezone.now() - cooling_off()
        user._reviewer_hold = (
            RoleGrant.objects.filter(user=user.pk, confirmed_at__isnull=True, granted_at__gt=since)
            .order_by("-granted_at")
            .first()
        )
    return user._reviewer_hold


def second_factor_missing(user) -> bool:
    """A superuser signed in without their one-time code (the desk's sign-in page asks for
    none): the admin is closed to them, and so are the desk's reviewer powers."""
    if not (settings.ADMIN_REQUIRE_OTP and user.is_superuser):
        return False
    verified = getattr(user, "is_verified", None)
    return not (verified is not None and verified())


def may_act_as_reviewer(user, action: str = "review fact checks") -> Refused | None:
    """A reviewer whose powers are in force: the role, a superuser's second factor, and no
    grant of the role still waiting (``reviewer_hold``)."""
    if not roles.is_reviewer(user):
        return NotAllowed(ONLY_REVIEWERS[action])
    if second_factor_missing(user):
        return NotAllowed(
            _(
                "A superuser uses the desk's reviewer powers only after signing in with their "
                "one-time code: sign out, then sign in on the admin's page with the code."
            )
        )
    hold = reviewer_hold(user)
    if hold is not None:
        until = timezone.localtime(hold.granted_at + cooling_off())
        return NotAllowed(
            _(
                "Your reviewer powers are new: they start when a second administrator confirms "
                "them, or on {until}."
            ).format(until=formats.date_format(until, "j M Y, H:i"))
        )
    return None


# --- verdicts ----------------------------------------------------------------------------


def _wrong_status(verdict: Verdict | None, verb: str) -> Refused:
    if verdict is None:
        return Stale(_("This verdict no longer exists; reload the page."))
    return NotAllowed(WRONG_STATUS[verb].format(status=str(Status(verdict.status).label).lower()))


def may_edit(user, open_verdict: Verdict | None) -> Refused | None:
    """Write the claim's verdict: save the open one, or start one (a new version after
    approval)."""
    if not roles.is_editor(user):
        return NotAllowed(_("Only editors can write or submit verdicts."))
    if open_verdict is not None and open_verdict.status not in EDITABLE_STATUSES:
        return NotAllowed(
            _(
                "This verdict is waiting for review and can't be edited until a reviewer "
                "approves it or requests changes."
            )
        )
    return None


def may_withdraw(user, verdict: Verdict | None) -> Refused | None:
    """Take a submitted verdict back to draft: an editor who wrote or saved it."""
    if not roles.is_editor(user):
        return NotAllowed(_("Only editors can withdraw verdicts."))
    if verdict is None or verdict.status != Status.SUBMITTED:
        return _wrong_status(verdict, "withdrawn from review")
    if user.pk not in verdict.contributor_ids():
        return NotAllowed(_("Only an editor who wrote or saved this verdict can withdraw it."))
    return None


def may_review(
    user, verdict: Verdict | None, contributors: set[int], verb: str = "approved"
) -> Refused | None:
    """Approve a submitted verdict — which publishes the claim — by a reviewer who
    contributed to nothing it would publish: ``contributors`` is everyone who did
    (``publishing.contributor_ids(claim, verdict)``). Superusers are held to it too."""
    if refusal := may_act_as_reviewer(user, "approve verdicts or request changes"):
        return refusal
    if verdict is None or verdict.status != Status.SUBMITTED:
        return _wrong_status(verdict, verb)
    if user.pk in contributors:
        return NotAllowed(FOUR_EYES_REVIEW)
    return None


def may_request_changes(user, verdict: Verdict | None, contributors: set[int]) -> Refused | None:
    """Send a submitted verdict back: the same reviewers who may approve it. Someone who
    worked on it reviews it neither way."""
    return may_review(user, verdict, contributors, "sent back for changes")


def may_publish(user, claim: Claim, changes, contributors: set[int]) -> Refused | None:
    """Publish a published claim's pending changes (``publishing.pending_changes``) as its
    next revision. Nothing pending, nothing to publish: an update note alone is not a
    change (a correction goes through a verdict, reviewed like any other)."""
    if refusal := may_act_as_reviewer(user, "publish fact checks"):
        return refusal
    if claim.published_revision_id is None:
        return Refused(_("This claim is not published yet: approve a verdict to publish it."))
    if not changes:
        return Refused(
            _(
                "Nothing is waiting to be published: readers already see this claim as it is. A "
                "correction is a new version of the verdict, reviewed like any other."
            )
        )
    if user.pk in contributors:
        return NotAllowed(FOUR_EYES_PUBLISH)
    return None


# --- merging -----------------------------------------------------------------------------


def merge_refusal(source: Claim, target: Claim) -> str:
    """Why ``source`` cannot be merged into ``target`` now, whoever asks, or "" (also shown
    on the confirmation page before anyone presses the button)."""
    if source.pk == target.pk:
        return _("Choose another claim: a claim cannot be merged into itself.")
    open_source = Verdict.objects.open_for(source)
    if open_source is not None and Verdict.objects.open_for(target) is not None:
        return _(
            "Both claims have a verdict in progress (draft, submitted or sent back). Only one "
            "can move: approve, or finish, one of them first."
        )
    if source.published_revision_id and not target.published_revision_id:
        return _(
            "The claim you are merging away is published and the surviving one is not: merge "
            "the other way round, so the published fact check survives."
        )
    source_approved = Verdict.objects.latest_approved_for(source)
    target_approved = Verdict.objects.latest_approved_for(target)
    if (
        source_approved is not None
        and target_approved is not None
        and source_approved.approval_key > target_approved.approval_key
    ):
        return _(
            "The claim you are merging away has the more recent approved verdict; merge the "
            "other way round, so the surviving claim keeps its published verdict."
        )
    return ""


def needs_second_reviewer(source: Claim) -> bool:
    """A merge takes the source off the public site when it is published: a proposal, until
    a second reviewer confirms it."""
    return source.published_revision_id is not None


def may_propose_merge(
    user, source: Claim, target: Claim, proposal: MergeProposal | None, choices=None
) -> Refused | None:
    """Propose merging a published claim into ``target``: nothing moves yet. ``choices``
    (the moving highlights' stances or drops, as ``MergeProposal.choices``) that differ
    from a waiting proposal of the same merge replace it, whoever proposed it: whoever
    proposed the earlier choices may then confirm the new ones."""
    if refusal := may_act_as_reviewer(user, "merge claims"):
        return refusal
    if refusal := merge_refusal(source, target):
        return Refused(refusal)
    if not needs_second_reviewer(source):
        return Refused(_("This claim is not published: merge it directly, no proposal needed."))
    same_choices = choices is None or choices == proposal_choices(proposal)
    if proposal is not None and proposal.target_id == target.pk and same_choices:
        if proposal.proposed_by_id == user.pk:
            return Stale(_("You already proposed this merge: another reviewer confirms it."))
        return Stale(_("Another reviewer proposed this merge: confirm it, or leave it."))
    return None


def proposal_choices(proposal: MergeProposal | None) -> dict[str, str]:
    """A proposal's choices for the moving highlights ({} without a proposal)."""
    return dict(proposal.choices or {}) if proposal is not None else {}


def may_merge(user, source: Claim, target: Claim, proposal: MergeProposal | None) -> Refused | None:
    """Merge ``source`` into ``target`` now. A published source needs a proposal of this
    very merge by another reviewer (``proposal``, the source's): no single reviewer takes
    a fact check off the public site."""
    if refusal := may_act_as_reviewer(user, "merge claims"):
        return refusal
    if refusal := merge_refusal(source, target):
        return Refused(refusal)
    if not needs_second_reviewer(source):
        return None
    if proposal is None or proposal.target_id != target.pk:
        return NotAllowed(
            _(
                "This claim is published: merging it takes its fact check off the public site, "
                "so one reviewer proposes the merge and another confirms it."
            )
        )
    if proposal.proposed_by_id == user.pk:
        return NotAllowed(_("You proposed this merge, so another reviewer has to confirm it."))
    return None
