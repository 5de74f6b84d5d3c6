"""sitemap.xml: the home page, the pages about the desk and every published fact check
(latest revisions)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from claims.selectors.public import current_revisions


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
    # One file holds up to the protocol's 50,000 addresses (Django's default ``limit``): a
    # second page would need a sitemap index to be found. A file is drawn once per publication
    # (docs/architecture.md, "Public pages and the cache").

    def items(self):
        return (
            current_revisions().only("slug", "published_at").order_by("-first_published_at", "-pk")
        )

    def location(self, revision):
        return revision.get_absolute_url()

    def lastmod(self, revision):
        return revision.published_at


SITEMAPS = {"home": HomeSitemap, "claims": FactCheckSitemap}
