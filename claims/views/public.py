"""The public site: published fact checks, read only, no account, no cookies.

Every page renders published revisions (claims.selectors.public), never live desk rows: a
newer draft, an edit of the claim's wording or a new highlight changes nothing here until a
reviewer publishes it.

Anonymous pages are cacheable by browsers and CDNs (``public_cache``) and answer
conditional requests from the published state (never from the body, which carries a
per-request CSP nonce); a signed-in user's page shows their own navigation, so it is
private and never answered with a 304.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import condition, require_safe

from claims.jsonld import claim_review, to_script_json
from claims.models import Rating
from claims.selectors.public import (
    fact_check_page,
    page_updated_at,
    public_page,
    redirect_for_slug,
    revision_for_slug,
    search_fact_checks,
    share_card,
    site_state,
)
from claims.share_image import render_share_image
from factcheck.search import clean_query

PAGE_SIZE = 20
# Browsers keep a page a minute, shared caches five; both may serve a stale copy for a day
# while they fetch the new one in the background.
CACHE_CONTROL = {"max_age": 60, "s_maxage": 300, "stale_while_revalidate": 86400, "public": True}


def _etag(*parts) -> str:
    return hashlib.sha256(repr((settings.SITE_NAME, *parts)).encode()).hexdigest()[:32]


def public_cache(*, etag=None, last_modified=None):
    """Conditional GET (ETag / Last-Modified → 304) and Cache-Control for anonymous
    visitors; ``private, no-cache`` for signed-in users, whose pages differ."""

    def anonymous_only(func):
        if func is None:
            return None

        def wrapped(request, *args, **kwargs):
            if request.user.is_authenticated:
                return None
            return func(request, *args, **kwargs)

        return wrapped

    def decorator(view):
        conditional = condition(
            etag_func=anonymous_only(etag), last_modified_func=anonymous_only(last_modified)
        )(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = conditional(request, *args, **kwargs)
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            elif response.status_code in (200, 304):
                patch_cache_control(response, **CACHE_CONTROL)
            return response

        return wrapped

    return decorator


def site_etag(request, *args, **kwargs):
    state = _site_state(request)
    return _etag("site", state["n"], state["last_id"], request.get_full_path())


def site_last_modified(request, *args, **kwargs):
    return _site_state(request)["last_at"]


def _site_state(request) -> dict:
    if "_site_state" not in request.__dict__:
        request._site_state = site_state()
    return request._site_state


@require_safe
@public_cache(etag=site_etag, last_modified=site_last_modified)
def home(request):
    query = clean_query(request.GET.get("q"))
    rating = request.GET.get("rating", "")
    rating = rating if rating in Rating.values else ""
    revisions = search_fact_checks(query, rating)
    page = Paginator(revisions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/public/home.html",
        {
            "page": page,
            "query": query,
            "rating": rating,
            "ratings": Rating.choices,
            "filtered": bool(query or rating),
        },
    )


def _revision(request, slug):
    if "_revision" not in request.__dict__:
        request._revision = revision_for_slug(slug)
    return request._revision


def _claim_etag(request, slug, **kwargs):
    revision = _revision(request, slug)
    return revision and _etag("claim", revision.pk, request.get_full_path())


def _claim_last_modified(request, slug, **kwargs):
    revision = _revision(request, slug)
    return revision and revision.published_at


@require_safe
@public_cache(etag=_claim_etag, last_modified=_claim_last_modified)
def claim_public(request, slug, all_appearances=False):
    page = fact_check_page(slug, all_appearances=all_appearances)
    if page is None:
        moved = redirect_for_slug(slug)  # a merged claim's old address
        if moved is not None:
            return redirect(moved, permanent=True)
        raise Http404("No published fact check here yet.")
    revision = page.revision
    url = request.build_absolute_uri(revision.get_absolute_url())
    jsonld = claim_review(
        revision=revision,
        appearances=page.appearances,
        url=url,
        site_url=request.build_absolute_uri(reverse("home")),
    )
    return render(
        request,
        "claims/public/claim.html",
        {
            "revision": revision,
            "page": page,
            "all_appearances": all_appearances,
            "canonical_url": url,
            "share_image_url": request.build_absolute_uri(
                reverse("claim_share_image", args=[revision.slug])
            )
            + f"?v={revision.pk}",
            "first_appearance": page.appearances[0] if page.appearances else None,
            "jsonld": to_script_json(jsonld),
        },
    )


@require_safe
def claim_appearances(request, slug):
    """Every appearance of a fact check's claim, on a page of its own."""
    return claim_public(request, slug, all_appearances=True)


def _page_etag(request, slug, **kwargs):
    updated_at = page_updated_at(slug)
    return updated_at and _etag("page", slug, updated_at.isoformat())


@require_safe
@public_cache(etag=_page_etag)
def page(request, slug):
    """About, methodology, rating scale: pages admins write (claims.models.Page)."""
    found = public_page(slug)
    if found is None:
        raise Http404("No such page.")
    return render(request, "claims/public/page.html", {"page": found})


def _share_card(request, slug):
    if "_share_card" not in request.__dict__:
        request._share_card = share_card(slug)
    return request._share_card


def _share_etag(request, slug, **kwargs):
    card = _share_card(request, slug)
    return card and _etag("share", card["id"])


@require_safe
@public_cache(etag=_share_etag)
def share_image(request, slug):
    """The fact check's Open Graph image (claims.share_image), drawn from its published
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
            rating_label=Rating(card["rating"]).label,
            site_name=settings.SITE_NAME,
        )
        cache.set(key, png, 60 * 60 * 24)
    response = HttpResponse(png, content_type="image/png")
    response["Last-Modified"] = http_date(card["published_at"].timestamp())
    return response
