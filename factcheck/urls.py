from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from claims.sitemaps import SITEMAPS
from claims.views.public import public_cache, site_etag
from factcheck.middleware import PRIVATE_PREFIXES


def favicon(request):
    # Browsers ask for /favicon.ico on pages without our <link rel="icon"> (the admin, JSON).
    return redirect(static("img/favicon.svg"), permanent=True)


@require_safe
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    """Crawlers read the public site and its sitemap; the desk, the admin and sign-in are
    nobody's to index (they answer 302 to sign-in anyway)."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in PRIVATE_PREFIXES)]
    lines += ["", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def server_error(request):
    """The 500 page, rendered without the request: no context processors, no database
    (which may be what failed)."""
    html = loader.get_template("500.html").render({"SITE_NAME": settings.SITE_NAME})
    return HttpResponseServerError(html)


handler500 = server_error

urlpatterns = [
    path("favicon.ico", favicon),
    path("robots.txt", robots_txt, name="robots_txt"),
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
