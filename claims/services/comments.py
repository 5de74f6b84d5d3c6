"""Comment threads on claims and on their verdicts (docs/architecture.md, "Working together").

Markdown is rendered and sanitised once, on write (factcheck.sanitize); ``@username``
mentions are resolved to desk members, who are told by mail and highlighted in the rendered
comment; the names that are no desk member's are given back to the author.
"""

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from claims import notifications
from claims.models import Claim, Comment, Verdict
from factcheck import roles
from factcheck.errors import NotAllowed, Refused
from factcheck.roles import User
from factcheck.sanitize import MAX_MARKDOWN, mark_mentions, render_markdown
from factcheck.search import without_nul

# Django's usernames: letters, digits and @ . + - _; a trailing dot ends a sentence.
MENTION = re.compile(r"(?<![\w@])@([\w.+-]*[\w+-])")


def mentioned_names(body: str) -> list[str]:
    """The ``@names`` in ``body``, as first written, once each (case-insensitive)."""
    names: dict[str, str] = {}
    for name in MENTION.findall(body):
        names.setdefault(name.casefold(), name)
    return list(names.values())


def mentioned_users(body: str) -> list[User]:
    """The active desk members ``body`` mentions by username (case-insensitive)."""
    names = {name.casefold() for name in MENTION.findall(body)}
    if not names:
        return []
    match = Q()
    for name in sorted(names):
        match |= Q(username__iexact=name)
    users = get_user_model().objects.filter(match, is_active=True).order_by("pk")
    return [user for user in users if roles.is_desk_member(user)]


@transaction.atomic(durable=True)
def comment_create(
    *, claim: Claim, user: User, body: str, verdict: Verdict | None = None
) -> Comment:
    """Add a comment to the claim's thread, or to the thread of ``verdict``, one of the
    claim's verdicts (editors and reviewers). The comment's ``unknown_mentions`` are the
    ``@names`` no active desk member has: posted all the same, nobody told."""
    if not roles.is_desk_member(user):
        raise NotAllowed(_("Only editors and reviewers can comment."))
    body = without_nul(body)
    if not body:
        raise Refused(_("Write a comment first."))
    if len(body) > MAX_MARKDOWN:
        raise Refused(
            _("Keep the comment under {count} characters.").format(
                count=formats.number_format(MAX_MARKDOWN, force_grouping=True)
            )
        )
    claim = Claim.objects.select_for_update().filter(pk=claim.pk).first()
    if claim is None:
        raise Refused(_("The claim no longer exists (it was merged or deleted); reload the page."))
    if verdict is not None:
        verdict = Verdict.objects.filter(pk=verdict.pk, claim=claim).first()
        if verdict is None:
            raise Refused(_("That verdict is not on this claim any more; reload the page."))
    users = mentioned_users(body)
    known = {u.get_username().casefold() for u in users}
    html = mark_mentions(render_markdown(body), MENTION, known)
    comment = Comment.objects.create(
        claim=claim, verdict=verdict, author=user, body=body, body_html=html
    )
    if users:
        comment.mentions.set(users)
        notifications.mentioned(comment, users=users, actor=user)
    # Not saved: for the author's page, which says these names reached nobody.
    comment.unknown_mentions = [n for n in mentioned_names(body) if n.casefold() not in known]
    return comment
