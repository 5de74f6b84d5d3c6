"""Server-side access to claims, annotations and verdicts: every desk view goes through here.

Desk members (editors and reviewers) read; editors change claims and annotations; verdict
transitions have their own rules in claims.services.verdicts (four eyes).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from claims.models import Annotation, Claim, ClaimMerge, Verdict
from factcheck import roles


def _check(user, for_change: bool) -> None:
    allowed = roles.is_editor(user) if for_change else roles.is_desk_member(user)
    if not allowed:
        raise PermissionDenied


def claim_for_user(user, pk, *, for_change: bool = False) -> Claim:
    _check(user, for_change)
    return get_object_or_404(Claim, pk=pk)


def annotation_for_user(user, pk, *, for_change: bool = False) -> Annotation:
    _check(user, for_change)
    return get_object_or_404(Annotation.objects.select_related("article", "claim", "author"), pk=pk)


def verdict_for_user(user, pk, *, for_change: bool = False) -> Verdict:
    _check(user, for_change)
    return get_object_or_404(Verdict.objects.select_related("claim", "author"), pk=pk)


def merge_for_user(user, pk) -> ClaimMerge:
    """A merge, with the claim it went into and who merged (desk members read merges)."""
    _check(user, False)
    return get_object_or_404(ClaimMerge.objects.select_related("target", "user"), pk=pk)
