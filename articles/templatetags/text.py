"""``{% load text %}``: ``|shorten:N`` — articles.text.shorten, the one way text is cut;
``|quote_lang:article_language`` — articles.text.quote_language, a quote's ``lang``;
``|unwrap_quote`` — articles.text.unwrap_quote, a quote's soft line breaks as spaces;
``|duration`` — a timedelta in words ("15 minutes");
``|language_name`` — articles.text.language_name, a language tag as a reader says it."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext, ngettext_lazy

from articles.text import language_name as _language_name
from articles.text import quote_language
from articles.text import shorten as _shorten
from articles.text import unwrap_quote as _unwrap_quote

register = template.Library()


@register.filter
def shorten(text, limit: int) -> str:
    return _shorten(str(text), int(limit))


@register.filter
def quote_lang(quote, article_language) -> str:
    return quote_language(str(quote), str(article_language or ""))


@register.filter
def language_name(code) -> str:
    return _language_name(str(code or ""))


@register.filter
def unwrap_quote(quote) -> str:
    return _unwrap_quote(str(quote))


@register.filter
def duration(value) -> str:
    """A length of time in words, as a person says it: "15 minutes", "1 hour 30 minutes",
    "45 seconds" (a ``timedelta``; anything else as it is)."""
    if not isinstance(value, timedelta):
        return value
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    units = (
        (hours, ngettext_lazy("%(n)d hour", "%(n)d hours", "n")),
        (minutes, ngettext_lazy("%(n)d minute", "%(n)d minutes", "n")),
        (seconds, ngettext_lazy("%(n)d second", "%(n)d seconds", "n")),
    )
    parts = [unit % {"n": n} for n, unit in units if n]
    return " ".join(parts) or gettext("a moment")
