"""What an event says (docs/architecture.md, "Webhooks"): the Standard Webhooks JSON
payload of a published, updated or merged fact check, built from public data only (the
frozen revision, the merge's slugs), and the Slack-compatible message made from it."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.models import ClaimMerge, PublishedRevision, Rating
from webhooks.models import Endpoint, Event


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _links(slug: str) -> dict:
    return {
        "url": _absolute(reverse("claim_public", args=[slug])),
        "api_url": _absolute(reverse("api-v1:fact_check", args=[slug])),
    }


def _envelope(event: str, data: dict) -> dict:
    return {"type": event, "timestamp": timezone.now().isoformat(), "data": data}


def revision_event(revision: PublishedRevision) -> tuple[str, dict]:
    """A revision just published: the claim's first (published) or a later one (updated)."""
    event = Event.PUBLISHED if revision.number == 1 else Event.UPDATED
    data = {
        "id": revision.claim_id,
        "slug": revision.slug,
        "revision": revision.number,
        "statement": revision.statement,
        "claimant": revision.claimant,
        "rating": revision.rating,
        "summary": revision.summary_text,
        "update_note": revision.update_note,
        "rating_changed": revision.rating_changed,
        "published_at": revision.published_at.isoformat(),
        "first_published_at": revision.first_published_at.isoformat(),
        **_links(revision.slug),
    }
    return event.value, _envelope(event.value, data)


def merge_event(merge: ClaimMerge) -> tuple[str, dict]:
    """A published fact check merged into another: its address now redirects there."""
    target = merge.target
    data = {
        "id": merge.source_key,
        "slug": merge.source_slug,
        "url": _absolute(reverse("claim_public", args=[merge.source_slug])),
        "merged_into": {"id": target.pk, "slug": target.slug, **_links(target.slug)},
    }
    return Event.MERGED.value, _envelope(Event.MERGED.value, data)


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_text(payload: dict) -> str:
    """One line for a chat channel, with Slack's ``<url|label>`` link."""
    data = payload["data"]
    if payload["type"] == Event.MERGED:
        return _("A fact check was merged: %(old)s now leads to <%(url)s|%(slug)s>.") % {
            "old": _slack_escape(data["url"]),
            "url": data["merged_into"]["url"],
            "slug": _slack_escape(data["merged_into"]["slug"]),
        }
    heading = (
        _("Fact check published")
        if payload["type"] == Event.PUBLISHED
        else _("Fact check updated (revision %(number)s)") % {"number": data["revision"]}
    )
    return _("%(heading)s: <%(url)s|%(statement)s> — rated %(rating)s.") % {
        "heading": heading,
        "url": data["url"],
        "statement": _slack_escape(data["statement"]),
        "rating": _slack_escape(str(Rating(data["rating"]).label)),
    }


def body(endpoint_format: str, payload: dict) -> bytes:
    """The bytes sent (and signed) for an endpoint of ``endpoint_format``."""
    if endpoint_format == Endpoint.Format.SLACK:
        payload = {"text": slack_text(payload)}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
