"""sitemap.xml: the home page and every published fact check."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from claims.views.public import published_verdicts


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

    def items(self):
        return published_verdicts().order_by("-published_at", "-pk")

    def location(self, verdict):
        return verdict.claim.get_absolute_url()

    def lastmod(self, verdict):
        return verdict.approved_at


SITEMAPS = {"home": HomeSitemap, "claims": FactCheckSitemap}
