"""The desk's activity feed: recent history across highlights, verdicts, wording, comments
and merges, newest first, in a fixed number of queries (one per kind of history).

Page n needs the newest n × PAGE_SIZE rows of each kind at most; they are merged in
Python. Pages stop at MAX_PAGES so that cost stays bounded; older history is in the admin.
"""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from claims.models import (
    AnnotationChange,
    ClaimChange,
    ClaimMerge,
    Comment,
    Status,
    VerdictTransition,
)

PAGE_SIZE = 30
MAX_PAGES = 20


@dataclass
class Activity:
    at: datetime
    user: object  # None when the account was deleted
    kind: str  # highlight | verdict | wording | comment | merge
    text: str
    subject: str  # the claim's statement or the article's title
    url: str


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


def _claim_url(pk) -> str:
    return reverse("claim_detail", args=[pk])


def _highlights(limit: int):
    rows = AnnotationChange.objects.select_related("user", "article").defer(
        "article__body", "article__source_text"
    )
    for change in rows.order_by("-at", "-pk")[:limit]:
        data = change.after or change.before or {}
        claim = data.get("claim")
        verb = change.get_action_display().lower()
        if change.before and change.after and change.before.get("claim") != claim:
            verb = "moved to another claim"
        yield Activity(
            at=change.at,
            user=change.user,
            kind="highlight",
            text=f"Highlight {verb} in “{change.article}”",
            subject=data.get("claim_statement", ""),
            url=(
                _claim_url(claim)
                if claim and change.action != AnnotationChange.Action.DELETED
                else reverse("article_detail", args=[change.article_id])
            ),
        )


def _verdicts(limit: int):
    rows = VerdictTransition.objects.select_related("user", "verdict__claim")
    for transition in rows.order_by("-at", "-pk")[:limit]:
        to = Status(transition.to_status).label.lower()
        if not transition.from_status:
            text = "Verdict started as a draft"
        elif transition.to_status == Status.DRAFT:
            text = "Verdict withdrawn from review"
        else:
            text = f"Verdict {to}"
        yield Activity(
            at=transition.at,
            user=transition.user,
            kind="verdict",
            text=text,
            subject=transition.verdict.claim.statement,
            url=_claim_url(transition.verdict.claim_id),
        )


def _wording(limit: int):
    for change in ClaimChange.objects.select_related("user").order_by("-at", "-pk")[:limit]:
        yield Activity(
            at=change.at,
            user=change.user,
            kind="wording",
            text=f"Wording changed from “{change.statement_before}”",
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
            text="Comment on the verdict of" if comment.verdict_id else "Comment on",
            subject=comment.claim.statement,
            url=f"{_claim_url(comment.claim_id)}#comment-{comment.pk}",
        )


def _merges(limit: int):
    for merge in ClaimMerge.objects.select_related("user", "target").order_by("-at", "-pk")[:limit]:
        yield Activity(
            at=merge.at,
            user=merge.user,
            kind="merge",
            text=f"“{merge.source_statement}” merged into",
            subject=merge.target.statement,
            url=_claim_url(merge.target_id),
        )


SOURCES = (_highlights, _verdicts, _wording, _comments, _merges)


def activity_page(number: int | None) -> ActivityPage:
    """Page ``number`` (1-based, clamped to 1..MAX_PAGES) of the feed: five queries."""
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
