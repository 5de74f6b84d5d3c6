"""Open data's pages: the ClaimReview data feed, the embeddable card with its oEmbed
answer, and the API's readable documentation. Published revisions only."""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import condition, require_safe

from claims.selectors.published import appearance
from public.api import CACHE_CONTROL, _etag_of
from public.jsonld import claim_review
from public.selectors.open_data import feed_revisions
from public.selectors.pages import claim_state, share_card, site_state

FEED_CONTENT_TYPE = "application/ld+json"
EMBED_WIDTH, EMBED_HEIGHT = 480, 220


def _site_etag(request, *args, **kwargs):
    return _etag_of("open-data", site_state(), request.get_full_path())


def _site_modified(request, *args, **kwargs):
    return site_state()["last_at"]


def _claim_state(request, slug):
    """The claim's published state, read once per request (its ETag and Last-Modified)."""
    memo = request.__dict__.setdefault("_open_data_claims", {})
    if slug not in memo:
        memo[slug] = claim_state(slug) if slug else None
    return memo[slug]


def _claim_etag(request, slug, *args, **kwargs):
    state = _claim_state(request, slug)
    return state and _etag_of("embed", state, request.get_full_path())


def _claim_modified(request, slug, *args, **kwargs):
    state = _claim_state(request, slug)
    return state and state[1]


def _oembed_slug(request) -> str | None:
    """The slug of the fact check ``?url=`` names, if it names one."""
    try:
        match = resolve(urlsplit(request.GET.get("url", "")).path)
    except Resolver404:
        return None
    return match.kwargs.get("slug") if match.url_name == "claim_public" else None


def _oembed_etag(request, *args, **kwargs):
    state = _claim_state(request, _oembed_slug(request))
    return state and _etag_of("oembed", state, request.get_full_path())


def _oembed_modified(request, *args, **kwargs):
    state = _claim_state(request, _oembed_slug(request))
    return state and state[1]


def _cacheable(response):
    patch_cache_control(response, **CACHE_CONTROL)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@condition(etag_func=_site_etag, last_modified_func=_site_modified)
def claim_review_feed(request):
    """`/claims/feed.jsonld`: a schema.org DataFeed of every published ClaimReview (the
    feed format fact-check aggregators read), each item with its dateModified; the same
    ClaimReview as its page's JSON-LD. Streamed: a large archive is never held whole."""
    home = request.build_absolute_uri(reverse("home"))
    state = site_state()

    def items():
        head = {
            "@context": "https://schema.org",
            "@type": "DataFeed",
            "name": f"{settings.SITE_NAME}: fact checks",
            "url": request.build_absolute_uri(request.path),
            "dateModified": state["last_at"].isoformat() if state["last_at"] else None,
        }
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "dataFeedElement": ['
        for n, revision in enumerate(feed_revisions().iterator(chunk_size=200)):
            review = claim_review(
                revision=revision,
                appearances=[appearance(e) for e in revision.first_entries],
                url=request.build_absolute_uri(revision.get_absolute_url()),
                site_url=home,
            )
            item = {
                "@type": "DataFeedItem",
                "dateModified": revision.published_at.isoformat(),
                "item": review,
            }
            yield ("," if n else "") + json.dumps(item, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(items(), content_type=f"{FEED_CONTENT_TYPE}; charset=utf-8")
    return _cacheable(response)


@require_safe
@xframe_options_exempt
@condition(etag_func=_claim_etag, last_modified_func=_claim_modified)
def embed(request, slug):
    """`/claims/<slug>/embed/`: the claim, its rating and a link, small enough for an
    iframe on any site (its own CSP frame-ancestors), setting no cookie."""
    card = share_card(slug)
    if card is None:
        raise Http404("No published fact check has this address.")
    response = render(
        request,
        "public/embed.html",
        {
            "card": card,
            "rating_label": _rating_label(card["rating"]),
            "url": request.build_absolute_uri(reverse("claim_public", args=[slug])),
        },
    )
    # Any site may frame the card (and only the card): the site's policy says 'none'.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors *; "
        "base-uri 'none'; form-action 'none'"
    )
    return _cacheable(response)


def _rating_label(rating: str) -> str:
    from claims.models import Rating

    return Rating(rating).label


@require_safe
@condition(etag_func=_oembed_etag, last_modified_func=_oembed_modified)
def oembed(request):
    """`/oembed?url=<a fact check's address>`: the embed card as an oEmbed "rich" answer
    (JSON only), found by the fact check's page's discovery link."""
    url = request.GET.get("url", "")
    if request.GET.get("format", "json") != "json":
        return JsonResponse({"error": "Only format=json is offered."}, status=501)
    path = urlsplit(url).path
    # The fact check's language is its address's (/uk/claims/…): the card is in it too.
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is None or match.url_name != "claim_public":
            return JsonResponse({"error": "Not a fact check of this site."}, status=404)
        card = share_card(match.kwargs["slug"])
        if card is None or urlsplit(url).netloc not in {"", request.get_host()}:
            return JsonResponse({"error": "Not a published fact check of this site."}, status=404)
        src = request.build_absolute_uri(reverse("claim_embed", args=[match.kwargs["slug"]]))
        title = _("Fact check: %(statement)s") % {"statement": card["statement"]}
    iframe = (
        f'<iframe src="{src}" width="{EMBED_WIDTH}" height="{EMBED_HEIGHT}" '
        f'title="{_attr(title)}" loading="lazy" '
        'style="border:0;max-width:100%"></iframe>'
    )
    return _cacheable(
        JsonResponse(
            {
                "version": "1.0",
                "type": "rich",
                "provider_name": settings.SITE_NAME,
                "provider_url": request.build_absolute_uri(reverse("home")),
                "title": card["statement"],
                "html": iframe,
                "width": EMBED_WIDTH,
                "height": EMBED_HEIGHT,
            }
        )
    )


def _attr(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


# Where an operation's parameter goes, as the readable page says it.
PARAMETER_PLACES = {
    "query": gettext_lazy("query"),
    "path": gettext_lazy("path"),
    "header": gettext_lazy("header"),
}


def _text(english: str) -> str:
    """A summary or description of the OpenAPI document (marked in public/api.py) in the
    page's language; "" stays ""."""
    return _(english) if english else ""


@require_safe
def api_docs(request):
    """`/api/`: the API in a page people read: each operation, its parameters, and curl."""
    from public.api import api

    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": _text(operation.get("summary", "")),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": PARAMETER_PLACES.get(p["in"], p["in"]),
                            "description": _text(
                                p.get("description") or p.get("schema", {}).get("description", "")
                            ),
                            "required": p.get("required", False),
                        }
                        for p in operation.get("parameters", [])
                    ],
                }
            )
    base = request.build_absolute_uri("/api/v1")
    return render(
        request,
        "public/api_docs.html",
        {"operations": operations, "base": base, "openapi": base + "/openapi.json"},
    )
