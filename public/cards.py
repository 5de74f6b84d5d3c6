"""A fact check's card: one item of the home page's list and of search results.

Drawn in Python rather than with a template. A search with new words lists up to twenty
fact checks whose cards no page has shown yet: a card costs about 20 µs here, against 130 µs
with Django's template engine and 45 µs with ``format_html`` (on the bench archive;
`make bench-site`, "drawn: search"). Everything the reader sees goes through the standard
library's ``html.escape`` (what Django's ``escape`` calls, without its lazy-string checks);
the labels are the same messages as the rest of the site's. ``tests/public/test_cards.py``.

``public.views.pages._cards`` keeps each card per revision and language in the process's
memory.
"""

from datetime import date
from functools import lru_cache
from html import escape

from django.template.defaultfilters import truncatewords
from django.urls import get_script_prefix, reverse
from django.utils import formats, timezone, translation
from django.utils.safestring import SafeString, mark_safe
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
    language = translation.get_language()
    label = escape(_("Published"))  # (messages outside f-strings: makemessages reads them)
    published = f"{label} {_time(revision.first_published_at, language)}"
    if revision.is_update:
        label = escape(_("updated"))
        published += f" · {label} {_time(revision.published_at, language)}"
    claimant = ""
    if revision.claimant:
        said = _("Claimed by %(claimant)s") % {"claimant": revision.claimant}
        claimant = f'\n    <p class="claimant">{escape(said)}</p>'
    before, after = fact_check_address(language)
    return mark_safe(  # noqa: S308 (every value escaped here)
        CARD.format(
            rating=escape(revision.rating),
            rating_label=escape(str(revision.get_rating_display())),
            url=escape(before + revision.slug + after),
            statement=escape(statement),
            claimant=claimant,
            excerpt=escape(truncatewords(revision.summary_text, EXCERPT_WORDS)),  # |truncatewords
            published=published,
        )
    )


def _time(moment, language: str) -> str:
    """``moment`` as the reader's date, in a <time> element machines can read (escaped)."""
    local = timezone.localtime(moment)
    return (
        f'<time datetime="{local.isoformat(timespec="seconds")}">'
        f"{escape(_date(local.date(), language))}</time>"
    )


@lru_cache(maxsize=4096)
def _date(day: date, language: str) -> str:
    """A day as written in ``language`` (the active one): cards of one day share it."""
    return formats.date_format(day)


def fact_check_address(language: str) -> tuple[str, str]:
    """A fact check's public address in ``language``, as what comes before its slug and what
    comes after it (``PublishedRevision.get_absolute_url`` without a ``reverse()`` per fact
    check): cards and sitemap pages write thousands of them."""
    return _address(language, get_script_prefix())


@lru_cache(maxsize=64)
def _address(language: str, prefix: str) -> tuple[str, str]:
    with translation.override(language):
        before, after = reverse("claim_public", args=["slug"]).rsplit("slug", 1)
    return before, after
