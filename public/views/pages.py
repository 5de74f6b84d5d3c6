"""The public site: published fact checks, read only, no account, no cookies.

Every page renders published revisions (public.selectors.pages), never live desk rows: a
newer draft, an edit of the claim's wording or a new highlight changes nothing here until a
reviewer publishes it.

Anonymous pages are cacheable by browsers and shared caches (``public_cache``): they carry
no inline script or style, so their CSP needs no nonce and one copy serves every visitor.
They answer conditional requests from the published state (a weak ETag: the page, not its
bytes); a signed-in user's page shows their own navigation, so it is private and never
answered with a 304. The server keeps its own copy of each anonymous page under that same
published state, in the shared cache when there is one (docs/architecture.md, "Public pages
and the cache").
"""

import hashlib
import re
import zlib
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sites.requests import RequestSite
from django.core.cache import cache, caches
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.views.decorators.http import condition, require_safe

from claims.models import Rating
from factcheck.paging import CountedPaginator, OpenEndedPaginator
from factcheck.params import int_param
from factcheck.search import clean_query
from public.cards import fact_check_card
from public.jsonld import claim_review, to_script_json
from public.selectors.pages import (
    APPEARANCES_PER_PAGE,
    claim_in_language,
    claim_state,
    fact_check_page,
    page_updated_at,
    public_page,
    published_count,
    redirect_for_slug,
    search_fact_checks,
    share_card,
    site_state,
    spelling_corrected,
)
from public.share_image import render_share_image
from public.sitemaps import FactCheckSitemap

PAGE_SIZE = 20
# Browsers ask again every time (a 304 from the ETag costs one indexed query), so a reader
# who reloads sees a correction at once; shared caches (a CDN) keep a page a minute, then
# serve it for five more while they fetch the new one, and for a day if the server fails.
CACHE_CONTROL = {
    "public": True,
    "max_age": 0,
    "s_maxage": 60,
    "stale_while_revalidate": 300,
    "stale_if_error": 86400,
}
# The server's copy of an anonymous page: its key names the published state, so a publish
# moves every page to a new key and the timeout only bounds memory. Larger pages are drawn
# every time (none is, today: the longest, a sitemap page of 1,000 addresses with their
# hreflang alternates, is about 430 KB).
SERVER_CACHE_TIMEOUT = 24 * 60 * 60
SERVER_CACHE_MAX_BYTES = 4 * 1024 * 1024
# Parts of a page drawn from one published revision (its card here; a fact check's article
# and JSON-LD in public/claim.html's {% cache %}), kept under the revision's id: a page drawn
# again (a parameter it does not read, a new search listing the same fact checks) reuses them.
PUBLIC_FRAGMENT_TIMEOUT = 24 * 60 * 60
# Added to shared links by social networks, newsletters and ad platforms (a fact check that
# goes viral arrives as ?fbclid=… on every click). No page reads them: they are dropped
# before the page is drawn or looked up, so those visitors get the kept page and the links
# on it never pass one visitor's click id on to the next.
TRACKING_PARAMETER = re.compile(
    r"utm_\w+|fbclid|gclid|gbraid|wbraid|dclid|srsltid|msclkid|twclid|ttclid|igshid|yclid"
    r"|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|_ga",
    re.IGNORECASE,
)


def _etag(*parts) -> str:
    """A page's identity: the published state it shows, in the language it is drawn in (the
    server cache's keys derive from it, so a page is kept once per language)."""
    key = (settings.SITE_NAME, translation.get_language(), *parts)
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32]


def _weak(tag: str | None) -> str | None:
    """A weak ETag: the published state a page shows, not its bytes (its links name the host
    and scheme it was asked on)."""
    return tag and f'W/"{tag}"'


def _once(request, name: str, compute):
    """``compute()`` once per request (an ETag and a Last-Modified read the same state)."""
    memo = request.__dict__.setdefault("_public_state", {})
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def public_cache(*, etag=None, last_modified=None, server_cache=()):
    """Conditional GET (ETag / Last-Modified → 304) and Cache-Control for anonymous
    visitors; ``private, no-cache`` for signed-in users, whose pages differ.

    With an ``etag``, anonymous pages are also kept by the server (Django's cache) under the
    ETag: the published state the page shows. A visitor with a session or messages never
    gets a kept page, and neither does a request with query parameters other than
    ``server_cache`` (those the page reads) once tracking parameters (utm_*, fbclid…) are
    dropped; ``server_cache=None`` keeps nothing.
    (docs/architecture.md, "Public pages and the cache".)"""

    def anonymous_only(func, remember=False):
        if func is None:
            return None

        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated:
                return None
            value = func(request, *args, **kwargs)
            if remember:
                request._public_etag = value
            return value

        return wrapped

    def decorator(view):
        @wraps(view)
        def drawn_or_kept(request, *args, **kwargs):
            key = _server_key(request, server_cache)
            if key is None:
                return view(request, *args, **kwargs)
            entry = cache.get(key)
            # (An entry of another shape was kept by an older release: drawn again.)
            if isinstance(entry, tuple) and isinstance(entry[1], bytes):
                return _from_entry(request, entry)
            response = view(request, *args, **kwargs)
            entry = _entry(request, response)
            if entry is not None:
                # Kept only if the published state did not move while the page was drawn
                # (one more query, on a miss only).
                request.__dict__.pop("_public_state", None)
                if etag(request, *args, **kwargs) == request._public_etag:
                    cache.set(key, entry, SERVER_CACHE_TIMEOUT)
            return response

        conditional = condition(
            etag_func=anonymous_only(etag, remember=True),
            last_modified_func=anonymous_only(last_modified),
        )(drawn_or_kept if etag is not None and server_cache is not None else view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            _drop_tracking_parameters(request)
            response = conditional(request, *args, **kwargs)
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            elif response.status_code in (200, 304):
                patch_cache_control(response, **CACHE_CONTROL)
                _no_vary_on_cookie(request)
            # Its language is its address (or it has none: the sitemap), never the
            # browser's: factcheck.middleware.language_vary drops "Vary: Accept-Language".
            response.language_from_url = True
            return response

        return wrapped

    return decorator


def _no_vary_on_cookie(request) -> None:
    """An anonymous page is the same for every anonymous visitor: reading the (empty) session
    to learn that must not add ``Vary: Cookie``, which would make shared caches keep a copy
    per visitor. Signed-in pages are private, and a session that holds anything (messages, a
    CSRF token) still varies."""
    session = getattr(request, "session", None)
    if session is not None and not session.modified and session.is_empty():
        session.accessed = False


def _drop_tracking_parameters(request) -> None:
    tracking = [name for name in request.GET if TRACKING_PARAMETER.fullmatch(name)]
    if not tracking:
        return
    query = request.GET.copy()
    for name in tracking:
        del query[name]
    request.META["QUERY_STRING"] = query.urlencode()
    query._mutable = False
    request.GET = query


def _server_key(request, query) -> str | None:
    """The server cache's key for this request, or None when its page must be drawn: a
    signed-in user, a visitor with a session or messages waiting (the page would show
    them), nothing published here (no ETag), or a query parameter the page does not read."""
    state = request.__dict__.get("_public_etag")
    cookies = request.COOKIES
    if (
        state is None
        or settings.SESSION_COOKIE_NAME in cookies
        or CookieStorage.cookie_name in cookies
        or not set(request.GET) <= set(query)
    ):
        return None
    return "public-page:" + _etag(state, request.scheme, request.get_host())


def _entry(request, response):
    """What the server keeps of a drawn page, or None when it must not be kept: only a
    plain 200 that set no cookie, no CSRF token and no session, and used no CSP nonce (a
    page shared by every visitor cannot carry one request's nonce)."""
    if hasattr(response, "render") and not response.is_rendered:
        response.render()  # the sitemap's TemplateResponse
    session = getattr(request, "session", None)
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.modified)
        or len(response.content) > SERVER_CACHE_MAX_BYTES
        or get_nonce(request)  # a LazyNonce is true once it has been used
    ):
        return None
    return tuple(response.headers.items()), zlib.compress(response.content)


def _from_entry(request, entry) -> HttpResponse:
    headers, body = entry
    return HttpResponse(zlib.decompress(body), headers=headers)


def site_etag(request, *args, **kwargs):
    state = _site_state(request)
    return _weak(
        _etag("site", state["n"], state["last_id"], state["last_at"], request.get_full_path())
    )


def site_last_modified(request, *args, **kwargs):
    return _site_state(request)["last_at"]


def _site_state(request) -> dict:
    return _once(request, "site", site_state)


@require_safe
@public_cache(
    etag=site_etag, last_modified=site_last_modified, server_cache=("q", "rating", "page")
)
def home(request):
    query = clean_query(request.GET.get("q"))
    rating = request.GET.get("rating", "")
    rating = rating if rating in Rating.values else ""
    page, corrected = _fact_checks_page(request, query, rating), ""
    if query and not page.object_list:
        # The words found nothing: a second try with the close spellings of the words that
        # are in no published fact check ("Putn" → "putin"), said on the page.
        corrected = spelling_corrected(query)
        if corrected != query:
            page = _fact_checks_page(request, corrected, rating)
        corrected = corrected if page.object_list else ""
    return render(
        request,
        "public/home.html",
        {
            "page": page,
            "cards": _cards(page.object_list),
            "query": query,
            "corrected": corrected,
            "rating": rating,
            "ratings": Rating.choices,
            "filtered": bool(query or rating),
        },
    )


def _fact_checks_page(request, query: str, rating: str):
    def rows(start: int, stop: int):
        return search_fact_checks(query, rating, start=start, stop=stop)

    if query:  # never counted: a page of the best matches and one more row
        paginator = OpenEndedPaginator(rows, PAGE_SIZE)
    else:  # every fact check (the published state has counted them), or those of a rating
        count = published_count(rating) if rating else _site_state(request)["n"]
        paginator = CountedPaginator(rows, PAGE_SIZE, count=count)
    return paginator.get_page(request.GET.get("page"))


def _cards(revisions) -> list[str]:
    """Each fact check's card on a page of them (the claim in the reader's language when the
    revision has that wording), kept per revision and language in this process's memory
    (``CACHES["local"]``): a revision never changes, and drawing a card costs less than a
    round trip to a shared cache. Its date is in the key too: SQLite may give a deleted
    revision's id to the next one."""
    language = translation.get_language()
    keys = [
        f"public-card:{revision.pk}:{revision.published_at.timestamp()}:{language}"
        for revision in revisions
    ]
    local = caches["local"]
    kept = local.get_many(keys) if keys else {}
    cards, drawn = [], {}
    for key, revision in zip(keys, revisions, strict=True):
        if key not in kept:
            statement = claim_in_language(revision, None, language)[0]
            kept[key] = drawn[key] = fact_check_card(revision, statement)
        cards.append(mark_safe(kept[key]))  # noqa: S308 (fact_check_card: format_html)
    if drawn:
        local.set_many(drawn, PUBLIC_FRAGMENT_TIMEOUT)
    return cards


def _claim_state(request, slug):
    return _once(request, "claim", lambda: claim_state(slug))


def _claim_etag(request, slug, **kwargs):
    state = _claim_state(request, slug)
    return state and _weak(_etag("claim", *state, request.get_full_path()))


def _claim_last_modified(request, slug, **kwargs):
    state = _claim_state(request, slug)
    return state and state[1]


@require_safe
@public_cache(etag=_claim_etag, last_modified=_claim_last_modified)
def claim_public(request, slug):
    return _fact_check(request, slug, all_appearances=False)


@require_safe
@public_cache(etag=_claim_etag, last_modified=_claim_last_modified, server_cache=("page",))
def claim_appearances(request, slug):
    """Every appearance of a fact check's claim, on pages of their own."""
    return _fact_check(request, slug, all_appearances=True)


def _fact_check(request, slug, *, all_appearances):
    number = int_param(request.GET.get("page", "1")) if all_appearances else None
    if number == 0 or (all_appearances and number is None):
        raise Http404("No such page.")
    page = fact_check_page(slug, appearances_page=number, language=translation.get_language())
    if page is None:
        moved = redirect_for_slug(slug)  # a merged claim's old address
        if moved is not None:
            return redirect(moved, permanent=True)
        raise Http404("No published fact check here yet.")
    appearance_pages = None
    if all_appearances:
        try:
            appearance_pages = Paginator(range(page.appearance_total), APPEARANCES_PER_PAGE).page(
                number
            )
        except EmptyPage:
            raise Http404("No such page.") from None
    revision = page.revision
    url = request.build_absolute_uri(revision.get_absolute_url())

    def jsonld():  # drawn with the page's kept part, which holds it (public/claim.html)
        return to_script_json(
            claim_review(
                revision=revision,
                appearances=page.first_appearances,
                url=url,
                site_url=request.build_absolute_uri(reverse("home")),
            )
        )

    return render(
        request,
        "public/claim.html",
        {
            "revision": revision,
            "page": page,
            "all_appearances": all_appearances,
            "appearance_pages": appearance_pages,
            "canonical_url": url,
            "share_image_url": request.build_absolute_uri(
                reverse("claim_share_image", args=[revision.slug])
            )
            + f"?v={revision.pk}",
            "jsonld": jsonld,
        },
    )


def sitemap_page(request, section: str, sitemaps: dict):
    """One page of a sitemap section (at most public.sitemaps.LIMIT addresses): Django's
    sitemap view, its ``<url>`` elements written by the section
    (``public.sitemaps.LanguageSitemap.url_elements``)."""
    if section not in sitemaps:
        raise Http404("No such sitemap.")
    site = sitemaps[section]()
    if isinstance(site, FactCheckSitemap):  # it lists the published fact checks: counted
        site.item_count = _site_state(request)["n"]
    try:
        elements = site.url_elements(
            page=request.GET.get("p", 1), site=RequestSite(request), protocol=request.scheme
        )
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page.") from None
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
        'schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
        *elements,
        "</urlset>\n",
    ]
    response = HttpResponse("".join(parts), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    latest = getattr(site, "latest_lastmod", None)
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response


def _page_shown(request, slug):
    """The language and date of the page shown (the reader's language, else the default)."""
    return _once(request, "page", lambda: page_updated_at(slug, translation.get_language()))


def _page_updated_at(request, slug, **kwargs):
    shown = _page_shown(request, slug)
    return shown and shown[1]


def _page_etag(request, slug, **kwargs):
    shown = _page_shown(request, slug)
    return shown and _weak(_etag("page", slug, shown[0], shown[1].isoformat()))


@require_safe
@public_cache(etag=_page_etag, last_modified=_page_updated_at)
def page(request, slug):
    """About, methodology, rating scale: pages admins write (claims.models.Page)."""
    found = public_page(slug, translation.get_language())
    if found is None:
        raise Http404("No such page.")
    return render(request, "public/page.html", {"page": found})


def _share_card(request, slug):
    return _once(request, "share_card", lambda: share_card(slug))


def _share_etag(request, slug, **kwargs):
    card = _share_card(request, slug)
    return card and _etag("share", card["id"])


def _share_last_modified(request, slug, **kwargs):
    card = _share_card(request, slug)
    return card and card["published_at"]


@require_safe
@public_cache(etag=_share_etag, last_modified=_share_last_modified, server_cache=None)
# (The image is kept by itself, below.)
def share_image(request, slug):
    """The fact check's Open Graph image (public.share_image), drawn from its published
    revision once per revision and kept in the cache under the revision's id."""
    card = _share_card(request, slug)
    if card is None:
        raise Http404("No published fact check here yet.")
    key = "share-image:" + _etag("share", card["id"])
    png = cache.get(key)
    if png is None:
        png = render_share_image(
            statement=card["statement"],
            rating=card["rating"],
            rating_label=str(Rating(card["rating"]).label),
            site_name=settings.SITE_NAME,
        )
        cache.set(key, png, 60 * 60 * 24)
    return HttpResponse(png, content_type="image/png")  # Last-Modified: public_cache
