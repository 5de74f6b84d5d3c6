from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path

from factcheck.forms import SignInForm
from factcheck.views import (
    desk_landing,
    favicon,
    javascript_catalog,
    markdown_preview,
    robots_txt,
    server_error,
)
from public.urls import public_urlpatterns

handler500 = server_error

urlpatterns = [
    path("favicon.ico", favicon),
    path("robots.txt", robots_txt, name="robots_txt"),
    # The translations the desk's scripts read (static/js/i18n.js); public: words only.
    path("jsi18n/<str:language>/", javascript_catalog, name="javascript_catalog"),
    path("desk/start/", desk_landing, name="desk_landing"),
    path("desk/preview/", markdown_preview, name="markdown_preview"),
    path("admin/", admin.site.urls),
    # Django's sign-in view with the slow-down (factcheck.forms.SignInForm).
    path("accounts/login/", LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("public.urls")),
    path("", include("spread.urls")),
    path("", include("webfetch.urls")),
    path("desk/radar/", include("radar.urls")),
    path("", include("claims.urls")),
]

# The public pages, one language per address: the default language (LANGUAGE_CODE) keeps
# the addresses it always had, every other one is under its code (/uk/…). The API, the data
# feed, the sitemap and the desk stay unprefixed (docs/architecture.md, "Languages").
urlpatterns += i18n_patterns(
    path("", include(public_urlpatterns)),
    path("", include("webfetch.public_urls")),
    prefix_default_language=False,
)
