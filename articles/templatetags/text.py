"""``{% load text %}``: ``|shorten:N`` — articles.text.shorten, the one way text is cut;
``|quote_lang:article_language`` — articles.text.quote_language, a quote's ``lang``;
``|unwrap_quote`` — articles.text.unwrap_quote, a quote's soft line breaks as spaces;
``|duration`` — a timedelta in words ("15 minutes")."""

from datetime import timedelta

from django import template

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
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}"
        for n, unit in ((hours, "hour"), (minutes, "minute"), (seconds, "second"))
        if n
    ]
    return " ".join(parts) or "a moment"
