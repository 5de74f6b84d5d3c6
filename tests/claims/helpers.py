"""Small builders for drafts, published fact checks and HTML inspection (claims tests)."""

import json
from datetime import timedelta
from html.parser import HTMLParser

from django.utils import timezone

from claims.models import PublishedRevision, Stance, Status, Verdict
from claims.services import verdicts
from claims.services.annotations import annotation_create
from claims.services.publishing import publish_revision
from tests import factories


def a_draft(claim, editor):
    """A new draft verdict on ``claim`` by ``editor``, through the service."""
    return verdicts.verdict_save(
        claim=claim,
        user=editor,
        rating="false",
        summary="No evidence.",
        evidence=[],
        version=None,
    )


def publish(claim=None, *, at=None, evidence=(), **fields):
    """An approved verdict (and its claim) published as the claim's next revision, with
    ``evidence`` links ({url, title, …}): what the public sees. The revision is a snapshot:
    highlights added afterwards need ``republish``."""
    at = at or timezone.now()
    extra = {"claim": claim} if claim is not None else {}
    reviewer = factories.ReviewerFactory()
    verdict = factories.VerdictFactory(
        status=Status.APPROVED,
        approved_at=at,
        updated_at=at,
        created_at=at - timedelta(hours=1),
        reviewer=reviewer,
        **extra,
        **fields,
    )
    for position, link in enumerate(evidence):
        factories.EvidenceLinkFactory(verdict=verdict, position=position, **link)
    _publish_at(verdict.claim, verdict, reviewer, at)
    return verdict


def republish(claim, *, at=None, update_note=""):
    """Publish the claim's current state (appearances, wording) as its next revision."""
    claim.refresh_from_db()
    verdict = Verdict.objects.latest_approved_for(claim)
    return _publish_at(claim, verdict, factories.ReviewerFactory(), at, update_note=update_note)


def _publish_at(claim, verdict, reviewer, at, update_note=""):
    """publish_revision, dated ``at`` (history set up in the past: a queryset update, which
    the model's save() would refuse on a published revision)."""
    claim.refresh_from_db()
    note = update_note or verdict.correction_note
    revision = publish_revision(claim=claim, user=reviewer, verdict=verdict, update_note=note)
    if at is not None:
        dates = {"published_at": at}
        if revision.number == 1:
            dates["first_published_at"] = at
        PublishedRevision.objects.filter(pk=revision.pk).update(**dates)
        revision.refresh_from_db()
    return revision


class PageParser(HTMLParser):
    """Collects what matters for safety: scripts, event handlers, link targets."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts = []  # (attrs, text)
        self.handlers = []  # (tag, attribute)
        self.urls = []  # (tag, attribute, value)
        self.tags = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        for name, value in attrs.items():
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}:
                self.urls.append((tag, name, value or ""))
        if tag == "script":
            self._script = [attrs, ""]

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(tuple(self._script))
            self._script = None


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def jsonld(response) -> list[dict]:
    page = parse(response.content.decode())
    return [
        json.loads(text)
        for attrs, text in page.scripts
        if attrs.get("type") == "application/ld+json"
    ]


def confirmed_merge(*, source, target, user):
    """``claim_merge`` as the desk runs it: a published source's merge is first proposed by
    another reviewer (claims.policy.may_merge), then confirmed by ``user``."""
    from claims.services.claims import claim_merge, claim_merge_propose

    source.refresh_from_db()
    if source.published_revision_id:
        proposer = factories.ReviewerFactory()
        claim_merge_propose(source=source, target=target, user=proposer)
    return claim_merge(source=source, target=target, user=user)


def first_word_highlight(claim, user, article, *, stance=Stance.ASSERTS):
    """The article's first word highlighted for ``claim`` by ``user``, through the desk's
    service (every signal and rule of a save on the desk)."""
    word = article.body.split()[0]
    return annotation_create(
        article=article, user=user, claim=claim, stance=stance, start=0, end=len(word),
        exact=word,
    )  # fmt: skip
