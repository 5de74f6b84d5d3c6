from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from claims.sitemaps import SITEMAPS
from claims.views.public import public_cache, site_etag


def favicon(request):
    # Browsers ask for /favicon.ico on pages without our <link rel="icon"> (the admin, JSON).
    return redirect(static("img/favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path(
        "sitemap.xml",
        public_cache(etag=site_etag)(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("", include("claims.urls")),
]
