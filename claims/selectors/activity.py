"""The desk's activity feed: recent history across highlights, verdicts, wording, comments,
merges, corrections of articles and grants of reviewer powers, newest first, in a fixed
number of queries (one per kind of history).

Page n needs the newest n × PAGE_SIZE rows of each kind at most; they are merged in
Python. Pages stop at MAX_PAGES so that cost stays bounded; older history is in the admin.
"""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.text import shorten
from claims.models import (
    AnnotationChange,
    ArticleCorrection,
    ClaimChange,
    ClaimMerge,
    Comment,
    RoleGrant,
    Status,
    VerdictTransition,
)
from factcheck.sanitize import markdown_text

PAGE_SIZE = 30
MAX_PAGES = 20


@dataclass
class Activity:
    """One entry: a sentence about what ``user`` did — ``text``, then the linked ``subject``
    (the claim's statement, or the article's title), then ``after`` — and, for comments and
    requests for changes, an ``excerpt`` of what was written."""

    at: datetime
    user: object  # None when the account was deleted
    kind: str  # highlight | verdict | wording | comment | merge | correction | grant | resurfacing
    text: str
    subject: str
    url: str
    after: str = ""
    excerpt: str = ""


@dataclass
class ActivityPage:
    items: list[Activity]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


EXCERPT = 160  # characters of a comment shown in the feed
_EXCERPT_SOURCE = 1000  # characters of its Markdown read to make them


def _excerpt(text: str) -> str:
    return shorten(" ".join(text.split()), EXCERPT)


def _claim_url(pk) -> str:
    return reverse("claim_detail", args=[pk])


_HIGHLIGHT_VERBS = {
    AnnotationChange.Action.CREATED: _("Highlighted words in “{article}” for the claim"),
    AnnotationChange.Action.UPDATED: _("Edited a highlight in “{article}” of the claim"),
    AnnotationChange.Action.MOVED: _("A correction moved a highlight in “{article}” of the claim"),
    AnnotationChange.Action.REANCHORED: (
        _("A correction moved and changed a highlight in “{article}” of the claim")
    ),
    AnnotationChange.Action.ORPHANED: (
        _("A correction took away the words of a highlight in “{article}” of the claim")
    ),
    AnnotationChange.Action.REATTACHED: _("Re-attached a highlight in “{article}” of the claim"),
}


def _highlights(limit: int):
    rows = AnnotationChange.objects.select_related("user", "article").defer(
        "article__body", "article__source_text", "article__source_html"
    )
    for change in rows.order_by("-at", "-pk")[:limit]:
        data = change.after or change.before or {}
        claim = data.get("claim")
        statement = data.get("claim_statement", "")
        if change.action == AnnotationChange.Action.DELETED or not claim:
            yield Activity(
                at=change.at,
                user=change.user,
                kind="highlight",
                text=_("Deleted a highlight of the claim “{statement}” from").format(
                    statement=statement
                )
                if statement
                else _("Deleted a highlight from"),
                subject=str(change.article),
                url=reverse("article_detail", args=[change.article_id]),
            )
            continue
        verb = _HIGHLIGHT_VERBS.get(
            change.action, _("Changed a highlight in “{article}” of the claim")
        )
        if change.before and change.after and change.before.get("claim") != claim:
            verb = _("Moved a highlight in “{article}” to the claim")
        yield Activity(
            at=change.at,
            user=change.user,
            kind="highlight",
            text=verb.format(article=change.article),
            subject=statement,
            url=_claim_url(claim),
        )


def _verdict_sentence(transition) -> tuple[str, str]:
    """(before the claim, after it) for a change of a verdict's status."""
    if not transition.from_status:
        return _("Started a draft verdict on"), ""
    if transition.to_status == Status.DRAFT:
        return _("Withdrew the verdict on"), " " + _("from review")
    return {
        Status.SUBMITTED: (_("Submitted the verdict on"), " " + _("for review")),
        Status.APPROVED: (_("Approved and published the verdict on"), ""),
        Status.CHANGES_REQUESTED: (_("Asked for changes to the verdict on"), ""),
    }.get(
        transition.to_status,
        (
            _("Moved the verdict on"),
            " " + _("to {status}").format(status=str(Status(transition.to_status).label).lower()),
        ),
    )


def _verdicts(limit: int):
    rows = VerdictTransition.objects.select_related("user", "verdict__claim")
    for transition in rows.order_by("-at", "-pk")[:limit]:
        text, after = _verdict_sentence(transition)
        comment = transition.comment if transition.to_status != Status.DRAFT else ""
        yield Activity(
            at=transition.at,
            user=transition.user,
            kind="verdict",
            text=text,
            subject=transition.verdict.claim.statement,
            url=_claim_url(transition.verdict.claim_id),
            after=after,
            excerpt=_excerpt(comment),
        )


def _wording(limit: int):
    for change in ClaimChange.objects.select_related("user").order_by("-at", "-pk")[:limit]:
        if not change.statement_before:
            text = _("Made the claim")
        elif change.statement_before != change.statement_after:
            text = _("Reworded the claim “{statement}” as").format(
                statement=change.statement_before
            )
        elif change.note and not change.note.startswith("Claimant type"):
            text = _("Changed the details of a source ({note}) of").format(
                note=change.note.rstrip(".")
            )
        elif change.claimant_before == change.claimant_after:
            text = _("Changed the claimant's type on")
        elif change.claimant_after:
            text = _("Named “{claimant}” as the claimant of").format(claimant=change.claimant_after)
        else:
            text = _("Removed the claimant of")
        yield Activity(
            at=change.at,
            user=change.user,
            kind="wording",
            text=text,
            subject=change.statement_after,
            url=_claim_url(change.claim_id),
        )


def _comments(limit: int):
    rows = Comment.objects.select_related("author", "claim").order_by("-created_at", "-pk")
    for comment in rows[:limit]:
        yield Activity(
            at=comment.created_at,
            user=comment.author,
            kind="comment",
            text=_("Commented on the verdict of") if comment.verdict_id else _("Commented on"),
            subject=comment.claim.statement,
            url=f"{_claim_url(comment.claim_id)}#comment-{comment.pk}",
            excerpt=_excerpt(markdown_text(comment.body[:_EXCERPT_SOURCE])),
        )


def _merges(limit: int):
    merges = ClaimMerge.objects.select_related("user", "target").defer("source_revisions")
    for merge in merges.order_by("-at", "-pk")[:limit]:
        yield Activity(
            at=merge.at,
            user=merge.user,
            kind="merge",
            text=_("Merged the claim “{statement}” into").format(statement=merge.source_statement),
            subject=merge.target.statement,
            url=_claim_url(merge.target_id),
        )


def _corrections(limit: int):
    rows = ArticleCorrection.objects.select_related("author", "article").defer(
        "previous_body", "article__body", "article__source_text"
    )
    for correction in rows.order_by("-created_at", "-pk")[:limit]:
        outcomes = [
            label.format(n=n)
            for n, label in (
                (correction.moved, _("{n} moved")),
                (correction.reanchored, _("{n} re-anchored with changes")),
                (correction.orphaned, _("{n} orphaned")),
            )
            if n
        ]
        yield Activity(
            at=correction.created_at,
            user=correction.author,
            kind="correction",
            text=_("Corrected the text of"),
            subject=str(correction.article),
            url=reverse("article_correct", args=[correction.article_id]),
            after=" " + _("(highlights: {outcomes})").format(outcomes=", ".join(outcomes))
            if outcomes
            else "",
            excerpt=_excerpt(correction.reason[:_EXCERPT_SOURCE]),
        )


def _grants(limit: int):
    """Reviewer powers given to an account (claims.policy.reviewer_hold): in the feed, so
    that the desk sees an account made to approve someone's own work."""
    grants = RoleGrant.objects.select_related("user", "granted_by", "confirmed_by")
    for grant in grants.order_by("-granted_at", "-pk")[:limit]:
        if grant.confirmed_at is None:
            after = _(": they start when a second administrator confirms them, or later")
        elif grant.confirmed_by is not None:
            after = _(": confirmed by {user}").format(user=grant.confirmed_by.get_username())
        else:
            after = _(": confirmed")
        yield Activity(
            at=grant.granted_at,
            user=grant.granted_by,
            kind="grant",
            text=_("Gave reviewer powers to"),
            subject=grant.user.get_username(),
            url=reverse("admin:claims_rolegrant_change", args=[grant.pk]),
            after=after,
        )


SOURCES = [_highlights, _verdicts, _wording, _comments, _merges, _corrections, _grants]


def add_source(source) -> None:
    """Another app's history in the feed (``source(limit)`` yields ``Activity``, newest
    first, in one query): apps that depend on ``claims`` add theirs when they are ready, so
    ``claims`` never imports them (spread's resurfacing alerts)."""
    if source not in SOURCES:
        SOURCES.append(source)


def activity_page(number: int | None) -> ActivityPage:
    """Page ``number`` (1-based, clamped to 1..MAX_PAGES) of the feed: one query per source."""
    number = min(max(number or 1, 1), MAX_PAGES)
    limit = number * PAGE_SIZE + 1  # one more tells whether there is a next page
    items = [item for source in SOURCES for item in source(limit)]
    items.sort(key=lambda item: item.at, reverse=True)
    start = (number - 1) * PAGE_SIZE
    page = items[start : start + PAGE_SIZE]
    return ActivityPage(
        items=page,
        number=number,
        has_next=len(items) > start + PAGE_SIZE and number < MAX_PAGES,
    )
