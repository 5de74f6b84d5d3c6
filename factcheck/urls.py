from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.contrib.sitemaps.views import index
from django.urls import include, path

from claims.sitemaps import SITEMAPS
from claims.views.public import public_cache, site_etag, sitemap_page
from factcheck.forms import SignInForm
from factcheck.views import (
    desk_landing,
    favicon,
    javascript_catalog,
    markdown_preview,
    robots_txt,
    server_error,
)

handler500 = server_error

urlpatterns = [
    path("favicon.ico", favicon),
    path("robots.txt", robots_txt, name="robots_txt"),
    # The translations the desk's scripts read (static/js/i18n.js); public: words only.
    path("jsi18n/", javascript_catalog, name="javascript_catalog"),
    path("desk/start/", desk_landing, name="desk_landing"),
    path("desk/preview/", markdown_preview, name="markdown_preview"),
    path("admin/", admin.site.urls),
    # Django's sign-in view with the slow-down (factcheck.forms.SignInForm).
    path("accounts/login/", LoginView.as_view(authentication_form=SignInForm), name="login"),
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
    path("", include("public.urls")),
    path("", include("spread.urls")),
    path("", include("webfetch.urls")),
    path("desk/radar/", include("radar.urls")),
    path("", include("claims.urls")),
]
