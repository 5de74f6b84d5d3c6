"""sitemap.xml: the home page and every published fact check (latest revisions)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from claims.selectors.public import current_revisions


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["home"]

    def location(self, item):
        return reverse(item)


class FactCheckSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        return (
            current_revisions().only("slug", "published_at").order_by("-first_published_at", "-pk")
        )

    def location(self, revision):
        return revision.get_absolute_url()

    def lastmod(self, revision):
        return revision.published_at


SITEMAPS = {"home": HomeSitemap, "claims": FactCheckSitemap}
