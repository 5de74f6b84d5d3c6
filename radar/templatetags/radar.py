"""The radar's parts of the desk's pages (article, claim, review), each one include."""

from django import template

from claims.models import Stance
from factcheck import roles
from radar import selectors

register = template.Library()


@register.inclusion_tag("radar/_article_panel.html", takes_context=True)
def radar_article_panel(context, article):
    user = context["request"].user
    return {
        **selectors.article_panel(article),
        "article": article,
        "is_editor": roles.is_editor(user),
        "stances": Stance.choices,
        "csrf_token": context.get("csrf_token"),
        "csp_nonce": context.get("csp_nonce"),
        "request": context["request"],
    }


@register.inclusion_tag("radar/_likely_appearances.html", takes_context=True)
def radar_likely_appearances(context, claim):
    user = context["request"].user
    return {
        **selectors.likely_appearances(claim),
        "claim": claim,
        "is_editor": roles.is_editor(user),
        "stances": Stance.choices,
        "csrf_token": context.get("csrf_token"),
        "csp_nonce": context.get("csp_nonce"),
        "request": context["request"],
    }


@register.simple_tag
def radar_waiting_counts(rows):
    """How many suggestions wait for each claim of the review page's rows (one query)."""
    return selectors.waiting_counts(row.claim.pk for row in rows)


@register.filter
def radar_count(counts, claim_id):
    """The count for one claim; "" when the row is drawn alone, without the page's counts."""
    return counts.get(claim_id, 0) if isinstance(counts, dict) else ""
