"""The radar's parts of the desk's pages (article, claim, review), each one include."""

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.text import shorten
from claims.models import Stance
from factcheck import roles
from radar import selectors

register = template.Library()

# One suggestion of the article page's panel, drawn in Python: fifty of them through the
# template language cost as much as the rest of the page (bench/radar_speed.py).
_ITEM = (
    '<li class="radar-item" id="suggestion-{pk}" tabindex="-1" data-start="{start}" '
    'data-end="{end}" data-suggestion="{pk}">'
    '<p class="radar-claim"><a href="{claim_url}">{statement}</a></p>'
    '<p class="radar-quote small">“{quote}”</p>'
    '<p class="small muted">{score_label} {score} · {reason}</p>{actions}</li>'
)
_ACTIONS = (
    '<div class="radar-actions">'
    '<form method="post" action="{accept}" class="radar-accept">{csrf}'
    '<label for="stance-{pk}" class="small">{stance}</label>'
    '<select id="stance-{pk}" name="stance">{options}</select>'
    '<button type="submit">{accept_label}</button></form>'
    '<form method="post" action="{reject}" class="radar-reject">{csrf}'
    '<button type="submit" class="secondary">{reject_label}</button></form></div>'
)


def _options(chosen: str) -> str:
    return "".join(
        f'<option value="{v}"{" selected" if v == chosen else ""}>{escape(label)}</option>'
        for v, label in Stance.choices
    )


@register.simple_tag(takes_context=True)
def radar_items(context, suggestions, is_editor):
    """The article panel's suggestions as HTML: every text escaped here."""
    token = escape(context.get("csrf_token"))
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    urls = {
        name: reverse(name, args=[0]).replace("/0/", "/{}/")
        for name in ("claim_detail", "radar_suggestion_accept", "radar_suggestion_reject")
    }
    options = {value: _options(value) for value in Stance.values}
    words = {  # in the page's language, once per panel
        "stance": escape(_("Stance")),
        "accept_label": escape(_("Accept")),
        "reject_label": escape(_("Reject")),
    }
    score_label = escape(_("Score"))
    items = []
    for s in suggestions:
        actions = ""
        if is_editor:
            actions = _ACTIONS.format(
                pk=s.pk,
                accept=urls["radar_suggestion_accept"].format(s.pk),
                reject=urls["radar_suggestion_reject"].format(s.pk),
                csrf=csrf,
                options=options.get(s.stance, ""),
                **words,
            )
        items.append(
            _ITEM.format(
                pk=s.pk,
                start=s.start,
                end=s.end,
                claim_url=urls["claim_detail"].format(s.claim_id),
                statement=escape(s.claim__statement),
                quote=escape(shorten(s.exact, 220)),
                score_label=score_label,
                score=escape(number_format(s.score, 2)),
                reason=escape(s.reason),
                actions=actions,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every text is escaped above


@register.inclusion_tag("radar/_article_panel.html", takes_context=True)
def radar_article_panel(context, article):
    user = context["request"].user
    return {
        **selectors.article_panel(article),
        "article": article,
        "is_editor": roles.is_editor(user),
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
