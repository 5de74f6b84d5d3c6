"""Claims: found or created by their statement, and their wording changed with history.

A claim is unique by ``statement_key`` (case- and whitespace-insensitive), a unique
constraint in the database: two editors typing the same new claim at the same moment get
the same claim, not an error (docs/architecture.md, "Claims").
"""

from django.db import IntegrityError, transaction

from claims.models import Claim, ClaimantType, ClaimChange, normalize_statement
from claims.services.publishing import mark_changed
from factcheck.errors import Refused
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
