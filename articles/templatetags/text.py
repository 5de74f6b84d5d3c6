"""``{% load text %}``: ``|shorten:N`` — articles.text.shorten, the one way text is cut;
``|quote_lang:article_language`` — articles.text.quote_language, a quote's ``lang``;
``|unwrap_quote`` — articles.text.unwrap_quote, a quote's soft line breaks as spaces."""

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
