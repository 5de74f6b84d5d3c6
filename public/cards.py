"""A fact check's card: one item of the home page's list and of search results.

Drawn with ``format_html`` rather than a template. A search with new words lists up to twenty
fact checks whose cards no page has shown yet, and drawing one here costs about a third of
what Django's template engine took for the same markup (about 50 µs against 130 µs, on the
bench archive; `make bench-site`, "drawn: search"). Everything the reader sees is escaped by
``format_html``; the labels are the same messages as the rest of the site's.

``public.views.pages._cards`` keeps each card per revision and language in the process's
memory.
"""

from datetime import date
from functools import lru_cache

from django.template.defaultfilters import truncatewords
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

EXCERPT_WORDS = 45
# The columns a card reads (a list of cards loads only these).
CARD_FIELDS = (
    "slug", "statement", "wordings", "claimant", "rating", "summary_text",
    "number", "first_published_at", "published_at",
)  # fmt: skip

CARD = """<li class="factcheck-card">
  <span class="rating rating-{rating}">{rating_label}</span>
  <div class="factcheck-card-body">
    <h2><a href="{url}">{statement}</a></h2>{claimant}
    <p class="excerpt">{excerpt}</p>
    <p class="muted small">{published}</p>
  </div>
</li>
"""


def fact_check_card(revision, statement: str) -> SafeString:
    """The card of a published ``revision`` in the active language, its claim worded as
    ``statement`` (the reader's language's wording when it was published with one)."""
    published = format_html("{} {}", _("Published"), _time(revision.first_published_at))
    if revision.is_update:
        published = format_html("{} · {} {}", published, _("updated"), _time(revision.published_at))
    claimant = ""
    if revision.claimant:
        claimant = format_html(
            '\n    <p class="claimant">{}</p>',
            _("Claimed by %(claimant)s") % {"claimant": revision.claimant},
        )
    return format_html(
        CARD,
        rating=revision.rating,
        rating_label=revision.get_rating_display(),
        url=revision.get_absolute_url(),
        statement=statement,
        claimant=claimant,
        excerpt=truncatewords(revision.summary_text, EXCERPT_WORDS),  # as |truncatewords
        published=published,
    )


def _time(moment) -> SafeString:
    """``moment`` as the reader's date, in a <time> element machines can read."""
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{}</time>',
        local.isoformat(timespec="seconds"),
        _date(local.date(), translation.get_language()),
    )


@lru_cache(maxsize=4096)
def _date(day: date, language: str) -> str:
    """A day as written in ``language`` (the active one): cards of one day share it."""
    return formats.date_format(day)
