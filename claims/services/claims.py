"""Claims: found or created by their statement, and their wording changed with history.

A claim is unique by ``statement_key`` (case- and whitespace-insensitive), a unique
constraint in the database: two editors typing the same new claim at the same moment get
the same claim, not an error (docs/architecture.md, "Claims").
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims import notifications, policy
from claims.models import (
    Annotation,
    AnnotationChange,
    Claim,
    ClaimantType,
    ClaimChange,
    ClaimMerge,
    ClaimRedirect,
    Comment,
    MergeProposal,
    Verdict,
    normalize_statement,
)
from claims.services.history import snapshot
from claims.services.publishing import claim_gone, mark_changed
from factcheck import roles
from factcheck.errors import NotAllowed, Refused
from factcheck.roles import User

MAX_STATEMENT = Claim._meta.get_field("statement").max_length
MAX_CLAIMANT = Claim._meta.get_field("claimant").max_length


def clean_statement(statement: str) -> str:
    statement = normalize_statement(statement)
    if not statement:
        raise Refused(_("Choose a claim or type a new one."))
    if len(statement) > MAX_STATEMENT:
        raise Refused(
            _("The claim is too long: keep it under {count} characters.").format(
                count=MAX_STATEMENT
            )
        )
    return statement


def claim_get_or_create(*, statement: str, user: User) -> Claim:
    """The claim with this statement, created if there is none yet. Runs inside the
    caller's transaction."""
    statement = clean_statement(statement)
    for _attempt in range(3):
        existing = Claim.objects.with_key(statement).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return Claim.objects.create(statement=statement, created_by=user)
        except IntegrityError:
            # Someone created this claim (its key) or another with the same slug since the
            # lookup: look again, and take a fresh slug.
            continue
    raise Refused(_("The claim could not be saved just now; try again."))


@transaction.atomic(durable=True)
def claim_update(
    *,
    claim: Claim,
    user: User,
    statement: str,
    claimant: str,
    claimant_type: str | None = None,
) -> Claim:
    """Change a claim's wording or claimant (and whether the claimant is a person or an
    organisation; None keeps it), kept in its history. A published claim's public page
    changes only when a reviewer publishes the change."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claimant_type is None:
        claimant_type = claim.claimant_type
    if claimant_type not in ("", *ClaimantType.values):
        raise Refused(_("Choose whether the claimant is a person or an organisation."))
    statement = clean_statement(statement)
    claimant = " ".join((claimant or "").split())
    if len(claimant) > MAX_CLAIMANT:
        raise Refused(_("Keep the claimant under {count} characters.").format(count=MAX_CLAIMANT))
    if Claim.objects.with_key(statement).exclude(pk=claim.pk).exists():
        raise Refused(_("Another claim already has this statement."))
    if (statement, claimant, claimant_type) == (
        claim.statement,
        claim.claimant,
        claim.claimant_type,
    ):
        return claim
    ClaimChange.objects.create(
        claim=claim,
        user=user,
        statement_before=claim.statement,
        statement_after=statement,
        claimant_before=claim.claimant,
        claimant_after=claimant,
        note=_type_note(claim.claimant_type, claimant_type),
    )
    claim.statement, claim.claimant, claim.claimant_type = statement, claimant, claimant_type
    try:
        with transaction.atomic():
            claim.save(update_fields=["statement", "claimant", "claimant_type", "updated_at"])
    except IntegrityError:
        raise Refused(_("Another claim already has this statement.")) from None
    mark_changed([claim.pk])
    return claim


def _type_note(before: str, after: str) -> str:
    if before == after:
        return ""
    labels = dict(ClaimantType.choices)
    return f"Claimant type: {labels.get(before, 'not said')} → {labels.get(after, 'not said')}."


@transaction.atomic(durable=True)
def claim_assign(*, claim: Claim, assignee: User | None, user: User) -> Claim:
    """Say who works on the claim now (None: nobody). Desk members assign desk members;
    the assignee is told by mail."""
    if not roles.is_desk_member(user):
        raise NotAllowed(_("Only editors and reviewers can assign claims."))
    if assignee is not None and not roles.is_desk_member(assignee):
        raise Refused(_("Assign the claim to an editor or a reviewer."))
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.assigned_to_id == (assignee.pk if assignee else None):
        return claim
    claim.assigned_to = assignee
    claim.save(update_fields=["assigned_to", "updated_at"])
    if assignee is not None:
        notifications.assigned(claim, assignee=assignee, actor=user)
    return claim


def _lock_pair(source: Claim, target: Claim) -> tuple[Claim, Claim]:
    """Both claims re-read under a row lock, in id order so that two merges of the same pair
    cannot deadlock; refused when one is gone (merged or deleted meanwhile)."""
    if source.pk == target.pk:
        raise Refused(policy.merge_refusal(source, target))
    locked = {
        c.pk: c
        for c in Claim.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        gone = source.pk if source.pk not in locked else target.pk
        raise claim_gone(gone)
    return locked[source.pk], locked[target.pk]


@transaction.atomic(durable=True)
def claim_merge_propose(*, source: Claim, target: Claim, user: User) -> MergeProposal:
    """Propose merging a published claim into ``target`` (reviewers). Nothing moves and the
    source keeps serving its published revision until another reviewer confirms the merge
    (``claim_merge``); a new proposal replaces the source's earlier one."""
    source, target = _lock_pair(source, target)
    proposal = MergeProposal.objects.filter(source=source).first()
    if refusal := policy.may_propose_merge(user, source, target, proposal):
        raise refusal
    proposal, _ = MergeProposal.objects.update_or_create(
        source=source,
        defaults={"target": target, "proposed_by": user, "at": timezone.now()},
    )
    return proposal


@transaction.atomic(durable=True)
def claim_merge(*, source: Claim, target: Claim, user: User) -> ClaimMerge:
    """Merge ``source`` into ``target`` (reviewers): its highlights (each move in their
    history), verdicts with their versions and transitions, wording history and comments
    move to ``target``; ``source`` is deleted and its public address redirects to
    ``target``'s. Its published revisions, every field, are kept on the ``ClaimMerge``
    (read-only, on the desk). A published source leaves the public site only through this,
    confirming another reviewer's proposal of the same merge (``claim_merge_propose``,
    ``policy.may_merge``). A published ``target`` is marked as having unpublished changes,
    which a reviewer publishes (docs/architecture.md, "Merging")."""
    if refusal := policy.may_act_as_reviewer(user, "merge claims"):
        raise refusal
    source, target = _lock_pair(source, target)
    proposal = MergeProposal.objects.filter(source=source).first()
    if refusal := policy.may_merge(user, source, target, proposal):
        raise refusal

    annotations = list(Annotation.objects.filter(claim=source).select_related("claim"))
    changes = []
    for annotation in annotations:
        before = snapshot(annotation)
        annotation.claim = target
        changes.append(
            AnnotationChange(
                annotation=annotation,
                annotation_key=annotation.pk,
                article_id=annotation.article_id,
                action=AnnotationChange.Action.UPDATED,
                user=user,
                before=before,
                after=snapshot(annotation),
            )
        )
    Annotation.objects.filter(claim=source).update(claim=target)
    AnnotationChange.objects.bulk_create(changes)

    verdicts = Verdict.objects.filter(claim=source)
    verdict_count = verdicts.count()
    moving_open = Verdict.objects.open_for(source)
    if moving_open is not None:
        # Versions keep rising across the surviving claim's chain (see verdict services);
        # the open verdict now supersedes the survivor's published one.
        highest = target.verdicts.aggregate(highest=Max("version"))["highest"] or 0
        Verdict.objects.filter(pk=moving_open.pk).update(
            version=max(highest, moving_open.version) + 1,
            supersedes=Verdict.objects.latest_approved_for(target),
        )
    verdicts.update(claim=target)
    ClaimChange.objects.filter(claim=source).update(claim=target)
    Comment.objects.filter(claim=source).update(claim=target)
    ClaimRedirect.objects.filter(claim=source).update(claim=target)
    merge = ClaimMerge.objects.create(
        target=target,
        source_key=source.pk,
        source_statement=source.statement,
        source_slug=source.slug,
        source_was_published=source.published_revision_id is not None,
        # What the public read at the source's address, kept before the rows go with it.
        source_revisions=ClaimMerge.archive(source.revisions.order_by("-number")),
        annotations_moved=len(annotations),
        verdicts_moved=verdict_count,
        user=user,
        proposed_by_id=proposal.proposed_by_id if proposal is not None else None,
    )
    ClaimMerge.objects.filter(target=source).update(target=target)
    if target.assigned_to_id is None and source.assigned_to_id is not None:
        Claim.objects.filter(pk=target.pk).update(assigned_to=source.assigned_to_id)
    # The source's published revisions go with it (kept on the merge, read-only): its
    # address now leads to the survivor.
    Claim.objects.filter(pk=source.pk).update(published_revision=None)
    source.delete()
    ClaimRedirect.objects.create(slug=source.slug, claim=target)
    if annotations or merge.source_was_published:
        mark_changed([target.pk])
    return merge
