"""A desk member's notification settings (docs/architecture.md, "Working together")."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from claims.models import NotificationPreference
from factcheck.errors import Refused
from factcheck.roles import User


@transaction.atomic(durable=True)
def notification_preference_set(
    *, user: User, email: bool, language: str | None = None
) -> NotificationPreference:
    """``language``: a code of settings.LANGUAGES, "" for the browser's choice, None to
    leave it as it is."""
    defaults = {"email": email}
    if language is not None:
        if language and language not in dict(settings.LANGUAGES):
            raise Refused(gettext("Choose one of the site's languages."))
        defaults["language"] = language
    preference, _ = NotificationPreference.objects.update_or_create(user=user, defaults=defaults)
    return preference


def language_preference(user: User) -> str:
    """The person's language for the desk ("" for the browser's choice): read at sign-in,
    then kept in the session (factcheck.middleware.person_language)."""
    stored = NotificationPreference.objects.filter(user=user).values_list("language", flat=True)
    return stored.first() or ""
