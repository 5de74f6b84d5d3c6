"""Confirming a grant of reviewer powers (``RoleGrant``): a second superuser, neither the one
who granted it nor its holder, lets the new reviewer approve before the cooling-off ends
(claims.policy.reviewer_hold; README, "Security")."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import RoleGrant
from factcheck.errors import NotAllowed, Stale
from factcheck.roles import User


@transaction.atomic(durable=True)
def role_grant_confirm(*, grant: RoleGrant, user: User) -> RoleGrant:
    grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
    if not (user.is_active and user.is_superuser):
        raise NotAllowed(_("Only administrators confirm reviewer powers."))
    if grant.confirmed_at is not None:
        raise Stale(_("These reviewer powers were confirmed already."))
    if user.pk in (grant.user_id, grant.granted_by_id):
        raise NotAllowed(
            _("You granted these powers, or hold them: a second administrator confirms them.")
        )
    grant.confirmed_by, grant.confirmed_at = user, timezone.now()
    grant.save(update_fields=["confirmed_by", "confirmed_at"])
    return grant
