"""The sitemap: an index (/sitemap.xml) of sections, each in pages of at most ``LIMIT``
addresses (/sitemap-<section>.xml?p=N): the home page and the pages about the desk, and
every published fact check (latest revisions), newest first. Each page is one query for its
rows, one to count them, and no ``reverse()`` per address, so any page is cheap to draw
whatever the archive (docs/architecture.md, "Public pages and the cache")."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from claims.selectors.public import current_revisions

# The protocol allows 50,000 addresses a file; 5,000 keeps a page small (about 700 KB at
# most) and quick to draw, and under the server cache's size limit.
LIMIT = 5000


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["home", "page_about", "page_methodology", "page_ratings"]

    def location(self, item):
        return reverse(item)


class FactCheckSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = LIMIT

    def __init__(self):
        # A fact check's address is the same pattern with its slug: reversed once.
        self._address = reverse("claim_public", args=["slug"]).rsplit("slug", 1)

    def items(self):
        return (
            current_revisions().only("slug", "published_at").order_by("-first_published_at", "-pk")
        )

    def location(self, revision):
        return revision.slug.join(self._address)

    def lastmod(self, revision):
        return revision.published_at

    def get_latest_lastmod(self):
        """For the index: one aggregate, not every fact check read (Django's default)."""
        return current_revisions().aggregate(latest=Max("published_at"))["latest"]


SITEMAPS = {"home": HomeSitemap, "claims": FactCheckSitemap}
