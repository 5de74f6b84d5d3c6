from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from claims.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include("articles.urls")),
    path("", include("claims.urls")),
]
