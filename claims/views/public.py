"""The public site: published fact checks, read only, no account, no cookies.

A claim is published once one of its verdicts is approved; the public sees its latest
approved verdict only, so a newer draft or submitted verdict changes nothing here.

Pages answer conditional requests from the database's state (never from the body, which
carries a per-request CSP nonce), and only for anonymous visitors: a signed-in user's page
shows their own navigation.
"""

import hashlib
from itertools import pairwise

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import condition, require_safe

from claims.jsonld import claim_review, to_script_json
from claims.models import Annotation, Claim, Rating, Verdict
from factcheck.sanitize import is_http_url

PAGE_SIZE = 20


def published_verdicts():
    """The latest approved verdict of every published claim, with its first publication."""
    approved = Verdict.objects.approved().filter(claim=OuterRef("claim"))
    latest = approved.order_by("-approved_at", "-id").values("pk")[:1]
    first = approved.order_by("approved_at", "id").values("approved_at")[:1]
    return (
        Verdict.objects.approved()
        .filter(pk=Subquery(latest))
        .annotate(published_at=Subquery(first))
        .select_related("claim")
    )


def _etag(*parts) -> str:
    return hashlib.sha256(repr((settings.SITE_NAME, *parts)).encode()).hexdigest()[:32]


def _memo(request, key, compute):
    """condition() asks for the ETag and the date separately: one query answers both."""
    cache = request.__dict__.setdefault("_public_state", {})
    if key not in cache:
        cache[key] = None if request.user.is_authenticated else compute()
    return cache[key]


def _home_state(request):
    return _memo(
        request,
        "home",
        lambda: Verdict.objects.approved().aggregate(
            n=Count("id"), last=Max("approved_at"), claims=Max("claim__updated_at")
        ),
    )


def _home_last_modified(request):
    state = _home_state(request)
    if not state or not state["last"]:
        return None
    return max(state["last"], state["claims"])


def _home_etag(request):
    state = _home_state(request)
    return state and _etag("home", state["n"], state["last"], state["claims"])


@require_safe
@condition(etag_func=_home_etag, last_modified_func=_home_last_modified)
def home(request):
    # PostgreSQL refuses NUL even in a query parameter.
    query = request.GET.get("q", "").replace("\x00", "").strip()
    rating = request.GET.get("rating", "")
    verdicts = published_verdicts()
    if query:
        verdicts = verdicts.filter(
            Q(claim__statement__icontains=query)
            | Q(claim__claimant__icontains=query)
            | Q(summary__icontains=query)
        )
    if rating in Rating.values:
        verdicts = verdicts.filter(rating=rating)
    else:
        rating = ""
    verdicts = verdicts.order_by("-published_at", "-approved_at", "-pk")
    page = Paginator(verdicts, PAGE_SIZE).get_page(request.GET.get("page"))
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


def _claim_state(request, slug):
    return _memo(request, ("claim", slug), lambda: _claim_state_query(slug))


def _claim_state_query(slug):
    live = Q(annotations__orphaned=False)
    # Subqueries, not joins: the verdict and annotation rows must not multiply each other.
    approved = Verdict.objects.approved().filter(claim=OuterRef("pk"))
    return (
        Claim.objects.filter(slug=slug)
        .annotate(
            verdict_last=Subquery(approved.order_by("-approved_at").values("approved_at")[:1]),
            annotations_n=Count("annotations", filter=live),
            annotations_last=Max("annotations__updated_at", filter=live),
            articles_last=Max("annotations__article__updated_at", filter=live),
        )
        .values(
            "pk", "updated_at", "verdict_last", "annotations_n", "annotations_last", "articles_last"
        )
        .first()
    )


def _claim_last_modified(request, slug):
    state = _claim_state(request, slug)
    if not state or not state["verdict_last"]:
        return None
    dates = [state[k] for k in ("updated_at", "verdict_last", "annotations_last", "articles_last")]
    return max(d for d in dates if d)


def _claim_etag(request, slug):
    state = _claim_state(request, slug)
    if not state or not state["verdict_last"]:
        return None
    return _etag("claim", *sorted(state.items()))


@require_safe
@condition(etag_func=_claim_etag, last_modified_func=_claim_last_modified)
def claim_public(request, slug):
    claim = get_object_or_404(Claim, slug=slug)
    approved = list(claim.verdicts.approved().order_by("approved_at", "id"))
    if not approved:
        raise Http404("No published fact check here yet.")
    verdict = approved[-1]
    evidence = [(link, is_http_url(link.url)) for link in verdict.evidence.all()]
    appearances = list(
        Annotation.objects.filter(claim=claim, orphaned=False)
        .select_related("article__outlet")
        .order_by(F("article__published_on").asc(nulls_last=True), "article_id", "start", "id")
    )
    by_article: dict[int, dict] = {}
    for annotation in appearances:
        entry = by_article.setdefault(
            annotation.article_id,
            {"article": annotation.article, "quotes": []},
        )
        entry["quotes"].append(annotation)
    corrections = [
        {"verdict": new, "previous": old, "rating_changed": old.rating != new.rating}
        for old, new in pairwise(approved)
    ]
    corrections.reverse()
    url = request.build_absolute_uri(claim.get_absolute_url())
    jsonld = claim_review(
        claim=claim,
        verdict=verdict,
        appearances=appearances,
        published_at=approved[0].approved_at,
        url=url,
        site_url=request.build_absolute_uri(reverse("home")),
    )
    return render(
        request,
        "claims/public/claim.html",
        {
            "claim": claim,
            "verdict": verdict,
            "published_at": approved[0].approved_at,
            "evidence": evidence,
            "appearances": list(by_article.values()),
            "corrections": corrections,
            "canonical_url": url,
            "jsonld": to_script_json(jsonld),
        },
    )
