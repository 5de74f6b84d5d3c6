from django.contrib.sitemaps.views import index
from django.urls import path
from django.views.generic import RedirectView

from public import feeds
from public.api import api
from public.sitemaps import SITEMAPS
from public.views import open_data, pages

# Machines' addresses, one for every language: the API, the data feed, oEmbed, the sitemap.
urlpatterns = [
    path("api/", open_data.api_docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("claims/feed.jsonld", open_data.claim_review_feed, name="claim_review_feed"),
    path("oembed", open_data.oembed, name="oembed"),
    path(
        "sitemap.xml",
        pages.public_cache(etag=pages.site_etag, last_modified=pages.site_last_modified)(index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        pages.public_cache(
            etag=pages.site_etag, last_modified=pages.site_last_modified, server_cache=("p",)
        )(pages.sitemap_page),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]

# What people read, one language per address: factcheck/urls.py serves these through
# i18n_patterns (/… in the default language, /uk/… in Ukrainian). The Atom feed comes before
# the slug so "feed" is never a claim; the embeddable card is read by people too.
public_urlpatterns = [
    path("", pages.home, name="home"),
    # The fact checks are listed on the home page: an address cut back to /claims/ finds them.
    path(
        "claims/",
        RedirectView.as_view(pattern_name="home", permanent=True, query_string=True),
        name="claims_index",
    ),
    path(
        "claims/feed/",
        pages.public_cache(etag=pages.site_etag, last_modified=pages.site_last_modified)(
            feeds.LatestFactChecksFeed()
        ),
        name="claims_feed",
    ),
    path("claims/<slug:slug>/", pages.claim_public, name="claim_public"),
    path("claims/<slug:slug>/appearances/", pages.claim_appearances, name="claim_appearances"),
    path("claims/<slug:slug>/share.png", pages.share_image, name="claim_share_image"),
    path("claims/<slug:slug>/embed/", open_data.embed, name="claim_embed"),
    path("about/", pages.page, {"slug": "about"}, name="page_about"),
    path("methodology/", pages.page, {"slug": "methodology"}, name="page_methodology"),
    path("ratings/", pages.page, {"slug": "ratings"}, name="page_ratings"),
]
