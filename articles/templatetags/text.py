"""``{% load text %}``: ``|shorten:N`` — articles.text.shorten, the one way text is cut."""

from django import template

from articles.text import shorten as _shorten

register = template.Library()


@register.filter
def shorten(text, limit: int) -> str:
    return _shorten(str(text), int(limit))
