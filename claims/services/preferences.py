"""A desk member's notification settings (docs/architecture.md, "Working together")."""

from django.db import transaction

from claims.models import NotificationPreference
from factcheck.roles import User


@transaction.atomic(durable=True)
def notification_preference_set(*, user: User, email: bool) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": email}
    )
    return preference
