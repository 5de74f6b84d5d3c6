"""Who may manage webhooks — the one rule, for every door (the admin's pages and actions,
the services behind them): an active staff member with the permission to change
endpoints (superusers have it)."""

from django.utils.translation import gettext as _

from factcheck.errors import NotAllowed

PERMISSION = "webhooks.change_endpoint"


def may_manage(user) -> NotAllowed | None:
    if user is not None and user.is_active and user.is_staff and user.has_perm(PERMISSION):
        return None
    return NotAllowed(_("Only administrators may manage webhooks."))
