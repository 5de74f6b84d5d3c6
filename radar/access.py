"""Server-side access to suggestions: desk members read them, editors act on them."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from factcheck import roles
from radar.models import Scan, Suggestion


def suggestion_for_user(user, pk, *, for_change: bool = False) -> Suggestion:
    allowed = roles.is_editor(user) if for_change else roles.is_desk_member(user)
    if not allowed:
        raise PermissionDenied
    return get_object_or_404(Suggestion.objects.select_related("article", "claim"), pk=pk)


def scan_for_user(user, pk) -> Scan:
    if not roles.is_desk_member(user):
        raise PermissionDenied
    return get_object_or_404(Scan, pk=pk)
