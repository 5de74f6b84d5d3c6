"""E-mail notifications of the desk (docs/architecture.md, "Working together").

Services call these inside their transaction; the mail is sent only once it commits
(``transaction.on_commit``), so a refused or rolled-back change never mails anyone. Each
recipient gets a message of their own (no one sees the others' addresses); users without an
address, inactive users, the person who acted, and users who turned mail off
(``NotificationPreference.email``) get nothing. A mail server that fails is logged, never
turned into an error for the person who acted: their change is already saved.

Each message is written in its recipient's language: their preference
(``NotificationPreference.language`` when the field exists), else the site's
``LANGUAGE_CODE`` — the subject and body are composed per recipient under
``translation.override``.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from factcheck import roles

logger = logging.getLogger(__name__)


def _site_url(path: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{path}"


def _recipients(user_ids, *, actor) -> list:
    """Active users with an address among ``user_ids`` who have not turned mail off."""
    ids = set(user_ids) - {None, getattr(actor, "pk", None)}
    if not ids:
        return []
    return list(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .exclude(email="")
        .exclude(notification_preference__email=False)
        .select_related("notification_preference")
        .order_by("pk")
    )


def language_of(user) -> str:
    """The language ``user`` reads mail in: their preference when they gave one (part of
    NotificationPreference when that field exists), else the site's LANGUAGE_CODE."""
    try:
        preference = user.notification_preference
    except (AttributeError, ObjectDoesNotExist):
        preference = None
    return getattr(preference, "language", "") or settings.LANGUAGE_CODE


def _send(user_ids, *, actor, compose) -> None:
    """``compose()`` returns (subject, body); it is called once per recipient, in their
    language."""

    def send():
        for user in _recipients(user_ids, actor=actor):
            with translation.override(language_of(user)):
                subject, body = compose()
            try:
                send_mail(subject, body, None, [user.email])
            except Exception:  # the change is committed; a mail failure must not undo it
                logger.exception("Notification to user %s failed: %s", user.pk, subject)

    transaction.on_commit(send)


def _name(user) -> str:
    if user is None:
        return _("Someone")
    return user.get_full_name() or user.get_username()


def _claim_link(claim) -> str:
    return _site_url(reverse("claim_detail", args=[claim.pk]))


def reviewer_ids() -> set[int]:
    """Everyone who may review: the review permission through a group, directly, or as a
    superuser."""
    app_label, codename = roles.REVIEW_PERMISSION.split(".")
    perm = Q(content_type__app_label=app_label, codename=codename)
    users = get_user_model().objects.filter(
        Q(is_superuser=True)
        | Q(groups__permissions__in=_permissions(perm))
        | Q(user_permissions__in=_permissions(perm)),
        is_active=True,
    )
    return set(users.values_list("pk", flat=True).distinct())


def _permissions(condition):
    return Permission.objects.filter(condition)


def review_requested(verdict, *, actor) -> None:
    """A verdict was submitted: every reviewer who may approve it (not its contributors)."""
    claim = verdict.claim
    ids = reviewer_ids() - verdict.contributor_ids()

    def compose():
        subject = _("Review requested: {statement}").format(statement=claim.statement[:80])
        body = _(
            "{name} submitted a verdict for review.\n\n"
            "Claim: {statement}\nRating: {rating}\n\n"
            "Review it: {link}\n"
        ).format(
            name=_name(actor),
            statement=claim.statement,
            rating=verdict.get_rating_display(),
            link=_claim_link(claim),
        )
        return subject, body

    _send(ids, actor=actor, compose=compose)


def changes_requested(verdict, *, actor, comment: str) -> None:
    claim = verdict.claim

    def compose():
        subject = _("Changes requested: {statement}").format(statement=claim.statement[:80])
        body = _("{name} asked for changes to the verdict on:\n{statement}").format(
            name=_name(actor), statement=claim.statement
        )
        return subject, f"{body}\n\n{comment}\n\n{_claim_link(claim)}\n"

    _send(verdict.contributor_ids(), actor=actor, compose=compose)


def approved(verdict, *, actor) -> None:
    claim = verdict.claim

    def compose():
        subject = _("Approved and published: {statement}").format(statement=claim.statement[:80])
        body = _(
            "{name} approved the verdict ({rating}) on:\n{statement}\n\n"
            "Public page: {public}\nDesk: {desk}\n"
        ).format(
            name=_name(actor),
            rating=verdict.get_rating_display(),
            statement=claim.statement,
            public=_site_url(claim.get_absolute_url()),
            desk=_claim_link(claim),
        )
        return subject, body

    _send(verdict.contributor_ids(), actor=actor, compose=compose)


def mentioned(comment, *, users, actor) -> None:
    claim = comment.claim

    def compose():
        subject = _("{name} mentioned you: {statement}").format(
            name=_name(actor), statement=claim.statement[:80]
        )
        if comment.verdict_id:
            intro = _("{name} mentioned you in a comment on the verdict on:\n{statement}")
        else:
            intro = _("{name} mentioned you in a comment on:\n{statement}")
        intro = intro.format(name=_name(actor), statement=claim.statement)
        link = f"{_claim_link(claim)}#comment-{comment.pk}"
        return subject, f"{intro}\n\n{comment.body}\n\n{link}\n"

    _send([user.pk for user in users], actor=actor, compose=compose)


def assigned(claim, *, assignee, actor) -> None:
    def compose():
        subject = _("Assigned to you: {statement}").format(statement=claim.statement[:80])
        body = _("{name} assigned this claim to you:\n{statement}").format(
            name=_name(actor), statement=claim.statement
        )
        return subject, f"{body}\n\n{_claim_link(claim)}\n"

    _send([assignee.pk], actor=actor, compose=compose)


def send(user_ids, *, actor, subject: str = "", body: str = "", compose=None) -> None:
    """A notification of another app (spread's resurfacing alerts), under the same rules:
    on commit, one message each, never to the actor or to whoever turned mail off.
    ``compose()`` (subject, body), when given, writes it in each recipient's language."""
    _send(user_ids, actor=actor, compose=compose or (lambda: (subject, body)))


def site_url(path: str) -> str:
    """``path`` on the site, for links in mail."""
    return _site_url(path)
