from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import index
from django.http import HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.urls import include, path

from claims.sitemaps import SITEMAPS
from claims.views.public import public_cache, site_etag, sitemap_page


def favicon(request):
    # Browsers ask for /favicon.ico on pages without our <link rel="icon"> (the admin, JSON).
    return redirect(static("img/favicon.svg"), permanent=True)


def server_error(request):
    """The 500 page, rendered without the request: no context processors, no database
    (which may be what failed)."""
    html = loader.get_template("500.html").render({"SITE_NAME": settings.SITE_NAME})
    return HttpResponseServerError(html)


handler500 = server_error

urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path(
        "sitemap.xml",
        public_cache(etag=site_etag)(index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        public_cache(etag=site_etag, server_cache=("p",))(sitemap_page),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("", include("claims.urls")),
]
