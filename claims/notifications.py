"""E-mail notifications of the desk (docs/architecture.md, "Working together").

Services call these inside their transaction; the mail is sent only once it commits
(``transaction.on_commit``), so a refused or rolled-back change never mails anyone. Each
recipient gets a message of their own (no one sees the others' addresses); users without an
address, inactive users, the person who acted, and users who turned mail off
(``NotificationPreference.email``) get nothing. A mail server that fails is logged, never
turned into an error for the person who acted: their change is already saved.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

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
        .order_by("pk")
    )


def _send(user_ids, *, actor, subject: str, body: str) -> None:
    def send():
        for user in _recipients(user_ids, actor=actor):
            try:
                send_mail(subject, body, None, [user.email])
            except Exception:  # the change is committed; a mail failure must not undo it
                logger.exception("Notification to user %s failed: %s", user.pk, subject)

    transaction.on_commit(send)


def _name(user) -> str:
    if user is None:
        return "Someone"
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
    _send(
        ids,
        actor=actor,
        subject=f"Review requested: {claim.statement[:80]}",
        body=(
            f"{_name(actor)} submitted a verdict for review.\n\n"
            f"Claim: {claim.statement}\nRating: {verdict.get_rating_display()}\n\n"
            f"Review it: {_claim_link(claim)}\n"
        ),
    )


def changes_requested(verdict, *, actor, comment: str) -> None:
    claim = verdict.claim
    _send(
        verdict.contributor_ids(),
        actor=actor,
        subject=f"Changes requested: {claim.statement[:80]}",
        body=(
            f"{_name(actor)} asked for changes to the verdict on:\n{claim.statement}\n\n"
            f"{comment}\n\n{_claim_link(claim)}\n"
        ),
    )


def approved(verdict, *, actor) -> None:
    claim = verdict.claim
    _send(
        verdict.contributor_ids(),
        actor=actor,
        subject=f"Approved and published: {claim.statement[:80]}",
        body=(
            f"{_name(actor)} approved the verdict ({verdict.get_rating_display()}) on:\n"
            f"{claim.statement}\n\nPublic page: {_site_url(claim.get_absolute_url())}\n"
            f"Desk: {_claim_link(claim)}\n"
        ),
    )


def mentioned(comment, *, users, actor) -> None:
    claim = comment.claim
    where = "a comment on the verdict on" if comment.verdict_id else "a comment on"
    _send(
        [user.pk for user in users],
        actor=actor,
        subject=f"{_name(actor)} mentioned you: {claim.statement[:80]}",
        body=(
            f"{_name(actor)} mentioned you in {where}:\n{claim.statement}\n\n"
            f"{comment.body}\n\n{_claim_link(claim)}#comment-{comment.pk}\n"
        ),
    )


def assigned(claim, *, assignee, actor) -> None:
    _send(
        [assignee.pk],
        actor=actor,
        subject=f"Assigned to you: {claim.statement[:80]}",
        body=(
            f"{_name(actor)} assigned this claim to you:\n{claim.statement}\n\n"
            f"{_claim_link(claim)}\n"
        ),
    )


def send(user_ids, *, actor, subject: str, body: str) -> None:
    """A notification of another app (spread's resurfacing alerts), under the same rules:
    on commit, one message each, never to the actor or to whoever turned mail off."""
    _send(user_ids, actor=actor, subject=subject, body=body)


def site_url(path: str) -> str:
    """``path`` on the site, for links in mail."""
    return _site_url(path)
