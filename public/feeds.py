"""Atom feed of published fact checks, newest first (published revisions only)."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext

from public.selectors.pages import current_revisions

FEED_SIZE = 30
# XML 1.0 cannot carry these at all, even escaped; a pasted claim may contain them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


class LatestFactChecksFeed(Feed):
    """In the language of its address (/claims/feed/, /uk/claims/feed/): Django's Feed
    gives the active language as the feed's."""

    feed_type = Atom1Feed

    def title(self):
        return gettext("{site}: fact checks").format(site=settings.SITE_NAME)

    def subtitle(self):
        return gettext("Fact checks reviewed by two people before they are published.")

    def link(self):
        return reverse("home")

    def author_name(self):
        return settings.SITE_NAME

    def items(self):
        return (
            current_revisions()
            .defer(None)
            .defer("appearances", "evidence")
            .order_by("-first_published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, revision):
        return _xml_text(f"{revision.get_rating_display()}: {revision.statement}")

    def item_description(self, revision):
        # Atom readers render this as HTML; summary_html was sanitised when it was written.
        label = gettext("Rating: %(rating)s") % {"rating": revision.get_rating_display()}
        rating = f"<p><strong>{escape(label)}</strong></p>"
        return _xml_text(rating + revision.summary_html)

    def item_link(self, revision):
        return revision.get_absolute_url()

    def item_pubdate(self, revision):
        return revision.first_published_at

    def item_updateddate(self, revision):
        return revision.published_at

    def item_author_name(self, revision):
        return settings.SITE_NAME
