"""The site's own small views: the favicon, robots.txt, the 500 page and the answer to a
request whose session or CSRF cookie is gone."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.http import conditional_page, require_POST, require_safe
from django.views.i18n import JavaScriptCatalog

from factcheck import roles
from factcheck.middleware import PRIVATE_PREFIXES, session_ended
from factcheck.sanitize import MAX_MARKDOWN, render_markdown


def favicon(request):
    # Browsers ask for /favicon.ico on pages without our <link rel="icon"> (the admin, JSON).
    return redirect(static("img/favicon.svg"), permanent=True)


@require_safe
@cache_control(public=True, max_age=86400)
@conditional_page  # an ETag of its text: a crawler that has it gets 304
def robots_txt(request):
    """Crawlers read the public site and its sitemap; the desk, the admin and sign-in are
    nobody's to index (they answer 302 to sign-in anyway)."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in PRIVATE_PREFIXES)]
    lines += ["", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@roles.desk_member_required
def desk_landing(request):
    """Where signing in lands (LOGIN_REDIRECT_URL): a reviewer's queue, the claims awaiting
    their review (the review page's default filter); an editor's desk, the articles."""
    return redirect("review" if roles.is_reviewer(request.user) else "desk")


def server_error(request):
    """The 500 page, rendered without the request: no context processors, no database
    (which may be what failed)."""
    html = loader.get_template("500.html").render({"SITE_NAME": settings.SITE_NAME})
    return HttpResponseServerError(html)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW. From the desk's script (htmx), a refused token means the
    cookies are gone or were renewed by a sign-in in another tab: the session-ended answer,
    never Django's error page drawn inside a card. Anything else gets Django's 403 page."""
    if request.headers.get("HX-Request"):
        return session_ended(
            _(
                "Your session has ended or was renewed in another tab. Sign in again, then save "
                "again: what you typed is kept."
            )
        )
    return django_csrf_failure(request, reason=reason)


@roles.desk_member_required
@require_POST
def markdown_preview(request):
    """The Markdown of a form's ``summary`` or ``body`` as the reader will see it: rendered
    and sanitised by the same function that stores it (factcheck.sanitize). Nothing is
    saved. Too long a text is said, not rendered."""
    source = request.POST.get("summary", request.POST.get("body", ""))
    if len(source) > MAX_MARKDOWN:
        html = (
            f'<p class="error">Too long to preview: {len(source):,} of at most '
            f"{MAX_MARKDOWN:,} characters.</p>"
        )
    elif not source.strip():
        html = '<p class="muted">Nothing to preview yet.</p>'
    else:
        html = render_markdown(source)
    return HttpResponse(html)


# Django's JavaScript catalogue: the djangojs translations of one language as a script
# defining gettext, ngettext and interpolate (static/js/desk/i18n.js reads them). A classic
# <script src> from our own origin with the page's nonce, so CSP allows it
# (claims/desk/_jsi18n.html). The language is in its address (/jsi18n/uk/): the page asks for
# its own, and each language's is kept a day, the same for every reader.
_catalogue = cache_page(60 * 60 * 24, key_prefix="jsi18n")(
    JavaScriptCatalog.as_view(domain="djangojs")
)


@require_safe
def javascript_catalog(request, language):
    if language not in dict(settings.LANGUAGES):
        raise Http404("No such language.")
    with translation.override(language):
        return _catalogue(request)
