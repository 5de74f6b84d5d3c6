"""Claims: found or created by their statement, and their wording changed with history.

A claim is unique by ``statement_key`` (case- and whitespace-insensitive), a unique
constraint in the database: two editors typing the same new claim at the same moment get
the same claim, not an error (docs/architecture.md, "Claims").
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
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
    Stance,
    Verdict,
    normalize_statement,
)
from claims.services.history import history_entry, snapshot
from claims.services.publishing import claim_gone, mark_changed
from factcheck import roles
from factcheck.errors import NotAllowed, Refused, Stale
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
    mark_changed([claim.pk], appearances=False)  # the wording alone
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


DROP = "drop"
MERGE_CHOICES = frozenset({*Stance.values, DROP})
NOT_THE_PROPOSAL = _(
    "These are not the choices proposed for the highlights (a stance flipped or a highlight "
    "dropped differs, or the proposal changed since the page was loaded): reload the page to "
    "see the proposal, or propose your choices instead."
)


def merge_choices(annotations, choices, *, strict: bool = True) -> dict[str, str]:
    """``choices`` ({annotation id: stance or "drop"}) for the moving ``annotations``, only
    those that change something, keyed by the id as text (``MergeProposal.choices``). A
    choice for a highlight that no longer moves is refused (``strict``: it came from a page
    drawn before a change) or left out (a stored proposal's)."""
    stances = {str(annotation.pk): annotation.stance for annotation in annotations}
    chosen = {}
    for key, value in (choices or {}).items():
        if value not in MERGE_CHOICES:
            raise Refused(gettext("Choose a stance for each highlight, or drop it."))
        if str(key) not in stances:
            if strict:
                raise Stale(
                    gettext(
                        "A highlight listed on the page no longer moves with this claim (it "
                        "was deleted or moved since); reload the page and choose again."
                    )
                )
            continue
        if value != stances[str(key)]:
            chosen[str(key)] = value
    return chosen


@transaction.atomic(durable=True)
def claim_merge_propose(
    *, source: Claim, target: Claim, user: User, choices: dict | None = None
) -> MergeProposal:
    """Propose merging a published claim into ``target`` (reviewers), with ``choices`` for
    its moving highlights (``merge_choices``: a stance flipped, or the highlight dropped).
    Nothing moves and the source keeps serving its published revision until another
    reviewer confirms the merge, with the same choices (``claim_merge``); a new proposal
    replaces the source's earlier one."""
    source, target = _lock_pair(source, target)
    proposal = MergeProposal.objects.filter(source=source).first()
    chosen = merge_choices(Annotation.objects.filter(claim=source).only("pk", "stance"), choices)
    if refusal := policy.may_propose_merge(user, source, target, proposal, chosen):
        raise refusal
    proposal, _ = MergeProposal.objects.update_or_create(
        source=source,
        defaults={"target": target, "proposed_by": user, "at": timezone.now(), "choices": chosen},
    )
    return proposal


def _agreed_choices(annotations, source: Claim, proposal, choices) -> dict[str, str]:
    """The choices the merge applies: as posted (``choices``; None: the proposal's, or
    none), and for a published source exactly the proposal's — the second reviewer
    confirms what the first proposed, never something else (four eyes)."""
    if not policy.needs_second_reviewer(source):
        return merge_choices(annotations, choices)
    proposed = merge_choices(annotations, policy.proposal_choices(proposal), strict=False)
    if choices is not None and merge_choices(annotations, choices) != proposed:
        raise Stale(str(NOT_THE_PROPOSAL))
    return proposed


def _move_highlights(annotations, target: Claim, user: User, chosen: dict[str, str]) -> list:
    """Move ``annotations`` to ``target`` with their chosen stance, or delete the dropped
    ones; each in its history (the merger counts as a contributor for four eyes). Returns
    the record of the choices (``ClaimMerge.highlight_choices``)."""
    outlets = dict(
        Annotation.objects.filter(pk__in=[int(pk) for pk in chosen]).values_list(
            "pk", "article__outlet__name"
        )
    )
    changes, record, dropped, flipped = [], [], [], {}
    for annotation in annotations:
        choice = chosen.get(str(annotation.pk))
        before = snapshot(annotation)
        if choice is not None:
            record.append(
                {
                    "annotation": annotation.pk,
                    "exact": annotation.exact[:300],
                    "outlet": outlets.get(annotation.pk) or "",
                    "before": annotation.stance,
                    "after": choice,
                }
            )
        if choice == DROP:
            dropped.append(annotation.pk)
            action, after = AnnotationChange.Action.DELETED, None
        else:
            annotation.claim = target
            if choice is not None:
                annotation.stance = choice
                flipped.setdefault(choice, []).append(annotation.pk)
            action, after = AnnotationChange.Action.UPDATED, snapshot(annotation)
        changes.append(
            history_entry(annotation, action=action, user=user, before=before, after=after)
        )
    AnnotationChange.objects.bulk_create(changes)
    Annotation.objects.filter(pk__in=dropped).delete()
    for stance, pks in flipped.items():
        Annotation.objects.filter(pk__in=pks).update(stance=stance)
    Annotation.objects.filter(pk__in=[a.pk for a in annotations]).update(claim=target)
    return record


@transaction.atomic(durable=True)
def claim_merge(
    *, source: Claim, target: Claim, user: User, choices: dict | None = None
) -> ClaimMerge:
    """Merge ``source`` into ``target`` (reviewers): its highlights (each move in their
    history, with the stance the reviewers chose or dropped: ``choices``, see
    ``_agreed_choices``), verdicts with their versions and transitions, wording history and
    comments move to ``target``; ``source`` is deleted and its public address redirects to
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

    annotations = list(
        Annotation.objects.select_for_update(of=("self",))
        .filter(claim=source)
        .select_related("claim")
        .order_by("pk")
    )
    chosen = _agreed_choices(annotations, source, proposal, choices)
    record = _move_highlights(annotations, target, user, chosen)
    dropped = sum(1 for entry in record if entry["after"] == DROP)

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
        annotations_moved=len(annotations) - dropped,
        verdicts_moved=verdict_count,
        highlight_choices=record,
        user=user,
        proposed_by_id=proposal.proposed_by_id if proposal is not None else None,
    )
    ClaimMerge.objects.filter(target=source).update(target=target)
    if target.assigned_to_id is None and source.assigned_to_id is not None:
        Claim.objects.filter(pk=target.pk).update(assigned_to=source.assigned_to_id)
    # The source's published revisions go with it (kept on the merge, read-only): its
    # address now leads to the survivor.
    Claim.objects.filter(pk=source.pk).update(published_revision=None)
    source.revisions.update(is_current=False)
    source.delete()
    ClaimRedirect.objects.create(slug=source.slug, claim=target)
    if annotations or merge.source_was_published:
        mark_changed([target.pk])
    return merge
