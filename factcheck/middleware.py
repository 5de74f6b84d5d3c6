"""Small middlewares: requests refused before their body is read (too large, or not in
UTF-8), idle sessions, and no caching of signed-in pages (README, "Limits" and "Sessions and
caching")."""

import codecs
import json
import time

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from articles.access import can_import
from factcheck.params import int_param

SESSION_ENDED = "session-ended"  # the event static/js/session.js listens for

# Pages that carry one person's work or account: never stored by a browser or a proxy.
PRIVATE_PREFIXES = ("/desk/", "/accounts/", "/admin/")
# The session's copy of the person's language preference (claims.NotificationPreference.
# language, "" = the browser's choice): written at sign-in and when the preference is saved,
# so no desk page reads it from the database.
LANGUAGE_SESSION_KEY = "language"


def _refuse(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def request_checks(get_response):
    """413 for a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE, judged on Content-Length
    before anything is read. The admin import, for users allowed to import, may send up to
    IMPORT_UPLOAD_MAX_BYTES: anonymous visitors never get to upload a large body.
    400 for a body declared in a charset other than UTF-8."""

    def middleware(request):
        charset = request.content_params.get("charset")
        if charset and not _is_utf8(charset):
            return _refuse(
                400,
                _("Unsupported charset {charset}: send forms as UTF-8.").format(
                    charset=repr(charset[:40])
                ),
            )
        length = int_param(request.META.get("CONTENT_LENGTH") or "0") or 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if _may_upload_imports(request):
                limit = settings.IMPORT_UPLOAD_MAX_BYTES
            if length > limit:
                return _refuse(
                    413,
                    _("Request too large: {length} bytes; the limit is {limit} bytes.").format(
                        length=number_format(length, force_grouping=True),
                        limit=number_format(limit, force_grouping=True),
                    ),
                )
        return get_response(request)

    return middleware


def _is_utf8(name: str) -> bool:
    """Browsers send forms in UTF-8; Django refuses any other charset for urlencoded forms
    in a way that ends in a 500, and some names ("rot13", "zlib") are not text at all."""
    try:
        return codecs.lookup(name).name == "utf-8"
    except (LookupError, ValueError):
        return False


def _may_upload_imports(request) -> bool:
    from django.contrib import admin

    return (
        request.path == reverse("admin:articles_article_import")
        and admin.site.has_permission(request)
        and can_import(request.user)
    )


# A session used within this many seconds of its last renewal is not written again.
RENEW_EVERY = 60
RENEWED_KEY = "renewed_at"


def sliding_session(get_response):
    """A signed-in session lasts SESSION_COOKIE_AGE from its last use, not from sign-in:
    saving the session moves its expiry (and the cookie's) on. Sign-in sets the mark, so
    a session is written at most once a minute, not on every request."""

    def middleware(request):
        response = get_response(request)
        session = getattr(request, "session", None)
        if session is None:
            return response
        accessed = session.accessed  # looking is not using: no Vary: Cookie for looking
        if session.get("_auth_user_id") is None:
            session.accessed = accessed
        else:
            now = int(time.time())
            if now - session.get(RENEWED_KEY, 0) >= RENEW_EVERY:
                session[RENEWED_KEY] = now
        return response

    return middleware


def permissions_policy(get_response):
    """The browser features no page of the site uses, turned off for every page and anything
    it might embed (settings.PERMISSIONS_POLICY)."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def session_ended(message: str) -> HttpResponse:
    """The answer to an htmx request that can no longer act for its person: 401, nothing
    swapped into the page (what was typed stays in the form), and an event the desk script
    turns into the "sign in again" dialog."""
    response = HttpResponse(message, status=401, content_type="text/plain; charset=utf-8")
    response["HX-Reswap"] = "none"
    response["HX-Trigger"] = json.dumps({SESSION_ENDED: {"message": message}})
    return response


def htmx_session_ended(get_response):
    """An htmx request whose session has ended is sent to sign in like any other (302), and
    htmx would follow the redirect and draw the sign-in page inside a card. Instead it gets
    the session-ended answer (session_ended above): 401, nothing swapped, and the
    desk script's "sign in again" dialog, with what was typed still in the form."""

    def middleware(request):
        response = get_response(request)
        if (
            request.headers.get("HX-Request")
            and response.status_code == 302
            and not request.user.is_authenticated
            and response["Location"].startswith(reverse(settings.LOGIN_URL))
        ):
            return session_ended(
                _("Your session has ended. Sign in again, then save again: what you typed is kept.")
            )
        return response

    return middleware


def no_store_private_pages(get_response):
    def middleware(request):
        response = get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES):
            add_never_cache_headers(response)
        return response

    return middleware


def person_language(get_response):
    """The desk's pages (PRIVATE_PREFIXES) in the person's language: their preference (kept
    in the session, LANGUAGE_SESSION_KEY), else the browser's Accept-Language, else
    LANGUAGE_CODE. Public pages keep the language of their address (LocaleMiddleware and
    i18n_patterns); the other unprefixed pages (the API's, the archive's) the default one.
    (docs/architecture.md, "Languages".)"""

    def middleware(request):
        if not request.path.startswith(PRIVATE_PREFIXES):
            return get_response(request)
        language = _preferred(request) or translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return middleware


def _preferred(request) -> str:
    session = getattr(request, "session", None)
    if session is None or not request.user.is_authenticated:
        return ""
    language = session.get(LANGUAGE_SESSION_KEY) or ""
    return language if language in dict(settings.LANGUAGES) else ""


def language_vary(get_response):
    """A public page whose language is its address (every page of ``i18n_patterns``, the
    default language's without a prefix) does not vary by Accept-Language: LocaleMiddleware,
    inside this one, says it does for an unprefixed address, which would make shared caches
    keep a copy per browser language of each English page. Pages marked by
    ``public.views.pages.public_cache`` (``language_from_url``) lose that Vary."""

    def middleware(request):
        response = get_response(request)
        if getattr(response, "language_from_url", False) and response.has_header("Vary"):
            kept = [
                value.strip()
                for value in response["Vary"].split(",")
                if value.strip().lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response

    return middleware
