"""Claims: found or created by their statement, and their wording changed with history.

A claim is unique by ``statement_key`` (case- and whitespace-insensitive), a unique
constraint in the database: two editors typing the same new claim at the same moment get
the same claim, not an error (docs/architecture.md, "Claims").
"""

from django.db import IntegrityError, transaction
from django.db.models import Max

from claims import notifications
from claims.models import (
    Annotation,
    AnnotationChange,
    Claim,
    ClaimantType,
    ClaimChange,
    ClaimMerge,
    ClaimRedirect,
    Comment,
    Verdict,
    normalize_statement,
)
from claims.services.history import snapshot
from claims.services.publishing import mark_changed
from factcheck import roles
from factcheck.errors import NotAllowed, Refused
from factcheck.roles import User

MAX_STATEMENT = Claim._meta.get_field("statement").max_length
MAX_CLAIMANT = Claim._meta.get_field("claimant").max_length


def clean_statement(statement: str) -> str:
    statement = normalize_statement(statement)
    if not statement:
        raise Refused("Choose a claim or type a new one.")
    if len(statement) > MAX_STATEMENT:
        raise Refused(f"The claim is too long: keep it under {MAX_STATEMENT} characters.")
    return statement


def claim_get_or_create(*, statement: str, user: User) -> Claim:
    """The claim with this statement, created if there is none yet. Runs inside the
    caller's transaction."""
    statement = clean_statement(statement)
    for _ in range(3):
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
    raise Refused("The claim could not be saved just now; try again.")


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
        raise Refused("Choose whether the claimant is a person or an organisation.")
    statement = clean_statement(statement)
    claimant = " ".join((claimant or "").split())
    if len(claimant) > MAX_CLAIMANT:
        raise Refused(f"Keep the claimant under {MAX_CLAIMANT} characters.")
    if Claim.objects.with_key(statement).exclude(pk=claim.pk).exists():
        raise Refused("Another claim already has this statement.")
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
    )
    claim.statement, claim.claimant, claim.claimant_type = statement, claimant, claimant_type
    try:
        with transaction.atomic():
            claim.save(update_fields=["statement", "claimant", "claimant_type", "updated_at"])
    except IntegrityError:
        raise Refused("Another claim already has this statement.") from None
    mark_changed([claim.pk])
    return claim


@transaction.atomic(durable=True)
def claim_assign(*, claim: Claim, assignee: User | None, user: User) -> Claim:
    """Say who works on the claim now (None: nobody). Desk members assign desk members;
    the assignee is told by mail."""
    if not roles.is_desk_member(user):
        raise NotAllowed("Only editors and reviewers can assign claims.")
    if assignee is not None and not roles.is_desk_member(assignee):
        raise Refused("Assign the claim to an editor or a reviewer.")
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.assigned_to_id == (assignee.pk if assignee else None):
        return claim
    claim.assigned_to = assignee
    claim.save(update_fields=["assigned_to", "updated_at"])
    if assignee is not None:
        notifications.assigned(claim, assignee=assignee, actor=user)
    return claim


def merge_refusal(source: Claim, target: Claim) -> str:
    """Why ``source`` cannot be merged into ``target`` now, or "" (also shown on the
    confirmation page before anyone presses the button)."""
    if source.pk == target.pk:
        return "Choose another claim: a claim cannot be merged into itself."
    open_source = Verdict.objects.open_for(source)
    if open_source is not None and Verdict.objects.open_for(target) is not None:
        return (
            "Both claims have a verdict in progress (draft, submitted or sent back). Only one "
            "can move: approve, or finish, one of them first."
        )
    if source.published_revision_id and not target.published_revision_id:
        return (
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
        return (
            "The claim you are merging away has the more recent approved verdict; merge the "
            "other way round, so the surviving claim keeps its published verdict."
        )
    return ""


@transaction.atomic(durable=True)
def claim_merge(*, source: Claim, target: Claim, user: User) -> ClaimMerge:
    """Merge ``source`` into ``target`` (reviewers): its highlights (each move in their
    history), verdicts with their versions and transitions, wording history and comments
    move to ``target``; ``source`` is deleted and its public address redirects to
    ``target``'s. Its published revisions, every field, are kept on the ``ClaimMerge``
    (read-only, on the desk). Nothing public changes: a published ``target`` is marked as
    having unpublished changes, which a reviewer publishes (docs/architecture.md,
    "Merging")."""
    if not roles.is_reviewer(user):
        raise NotAllowed("Only reviewers can merge claims.")
    if source.pk == target.pk:
        raise Refused(merge_refusal(source, target))
    # Both rows locked, in id order so two merges of the same pair cannot deadlock.
    locked = {
        c.pk: c
        for c in Claim.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise Refused("One of the two claims no longer exists (merged or deleted); reload.")
    source, target = locked[source.pk], locked[target.pk]
    refusal = merge_refusal(source, target)
    if refusal:
        raise Refused(refusal)

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
