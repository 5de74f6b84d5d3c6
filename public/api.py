"""The public API, version 1 (`/api/v1/`): published fact checks as data, read only.

Built with django-ninja (README, "Open data": why). Every operation reads published
revisions only (public.selectors.open_data), answers conditional requests (ETag from the published
state), allows any origin to GET (CORS), is rate-limited per client address (429 with
Retry-After) and reports errors as RFC 9457 problem details (application/problem+json).
The OpenAPI 3.1 document is at /api/v1/openapi.json; the readable page at /api/.
"""

import hashlib
from datetime import UTC, date, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers

# Marked for the readable page (/api/, public.views.open_data.api_docs), which translates them; the
# OpenAPI document itself stays in English, the API's contract.
from django.utils.translation import gettext_noop
from django.views.decorators.http import condition
from ninja import NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.throttling import AnonRateThrottle
from pydantic import Field, field_validator

from claims.models import Rating, Stance
from factcheck.search import without_nul
from public.selectors import open_data as selectors
from public.selectors.pages import claim_state, redirect_for_slug, site_state

PROBLEM = "application/problem+json"
JSON = "application/json; charset=utf-8"
CACHE_CONTROL = {"public": True, "max_age": 60, "s_maxage": 300, "stale_while_revalidate": 86400}


class PerAddress(AnonRateThrottle):
    """A limit per client address (the last proxy's view of it: NINJA_NUM_PROXIES), read
    from settings.API_RATE_LIMIT on every request."""

    def __init__(self):
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def allow_request(self, request) -> bool:
        if self.rate != settings.API_RATE_LIMIT:
            self.__init__()
        return super().allow_request(request)


class OpenDataAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Errors are documented as problem details (application/problem+json), as sent."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status) >= "400" and "application/json" in content:
                        content[PROBLEM] = content.pop("application/json")
        return schema


api = OpenDataAPI(
    title=f"{settings.SITE_NAME} open data",
    version="1",
    description=(
        "Published fact checks: each claim, its rating, its evidence, and every outlet that "
        "carried it, with the stance it took (asserts, attributes, disputes). Read only; "
        "nothing unpublished is reachable."
    ),
    urls_namespace="api-v1",
    docs_url=None,  # the readable page is our own (public.views.open_data.api_docs): no CDN scripts
    throttle=[PerAddress()],
)


# ----------------------------------------------------------------------- problem details


def problem(request, status: int, title: str, detail: str = "", **extra) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, **extra}
    if detail:
        body["detail"] = detail
    response = JsonResponse(body, status=status, content_type=PROBLEM)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    wait = max(1, int(exc.wait or 1))
    response = problem(request, 429, "Too many requests", f"Try again in {wait} seconds.")
    response["Retry-After"] = str(wait)
    return response


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors = [
        {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
        for e in exc.errors
    ]
    return problem(request, 422, "Invalid request", "A parameter is not valid.", errors=errors)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return problem(request, exc.status_code, str(exc))


# ------------------------------------------------------------------------ caching, CORS


def _etag_of(*parts) -> str:
    return hashlib.sha256(repr((settings.SITE_NAME, *parts)).encode()).hexdigest()[:32]


def _site_etag(request, *args, **kwargs) -> str:
    request.api_etag = _etag_of("api", site_state(), request.get_full_path())
    return request.api_etag


def _claim_etag(request, slug, *args, **kwargs) -> str | None:
    state = claim_state(slug)
    request.api_etag = state and _etag_of("api", state, request.get_full_path())
    return request.api_etag


KEEP_SECONDS = 24 * 3600


def _over_limit(request) -> HttpResponse | None:
    """The rate limit, for an answer served from the cache (the operation, which applies
    it otherwise, does not run)."""
    waits = [t.wait() for t in api.throttle if not t.allow_request(request)]
    if not waits:
        return None
    return _throttled(request, Throttled(wait=max((w for w in waits if w), default=1)))


def kept(run):
    """The operation's 200 answer kept in the cache, as sent, under its ETag — the published
    state and the address — and the host its links name, as the public pages are kept: a
    publish changes the key, so nothing stale is served. A kept answer costs the state's
    query and the rate limit, not the reads, the validation and the JSON."""

    @wraps(run)
    def wrapped(request, *args, **kwargs):
        tag = getattr(request, "api_etag", None)
        if not tag:
            return run(request, *args, **kwargs)
        key = f"api:{request.get_host()}:{tag}"
        body = cache.get(key)
        if body is not None:
            return _over_limit(request) or HttpResponse(body, content_type=JSON)
        response = run(request, *args, **kwargs)
        if response.status_code == 200 and response.get("Content-Type") == JSON:
            cache.set(key, response.content, KEEP_SECONDS)
        return response

    return wrapped


def published(etag, *, keep: bool = False):
    """Conditional GET from the published state (304), Cache-Control as the public pages,
    CORS for any origin; ``keep``: the answer ``kept``. The state is one indexed query; a
    publish changes it."""

    def decorator(view):
        conditional = condition(etag_func=etag)(kept(view) if keep else view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = conditional(request, *args, **kwargs)
            response["Access-Control-Allow-Origin"] = "*"
            if response.status_code in (200, 304):
                patch_cache_control(response, **CACHE_CONTROL)
                patch_vary_headers(response, ["Accept-Encoding"])
            return response

        return wrapped

    return decorator


# ------------------------------------------------------------------------------- schemas


class Quote(Schema):
    quote: str
    stance: str = Field(description="asserts, attributes or disputes")


class Appearance(Schema):
    outlet: str
    title: str
    url: str = Field(description="The article's address; empty when unknown")
    published_on: date | None
    language: str
    quotes: list[Quote]
    copy_of: str = Field("", description="A syndicated copy: the outlet whose article it copies")


class Evidence(Schema):
    url: str
    title: str = ""
    publisher: str = ""
    note: str = ""


class Links(Schema):
    html: str = Field(description="The fact check's public page")
    api: str
    appearances: str


class FactCheckSummary(Schema):
    id: int = Field(description="The claim's id: stable across revisions")
    slug: str
    statement: str
    claimant: str
    rating: str = Field(description=f"One of: {', '.join(Rating.values)}")
    rating_label: str
    revision: int
    published_at: datetime = Field(description="When this revision was published")
    first_published_at: datetime
    outlet_count: int
    links: Links


class Revision(Schema):
    revision: int
    published_at: datetime
    rating: str
    statement: str
    update_note: str
    rating_changed: bool
    wording_changed: bool


class FactCheck(FactCheckSummary):
    summary_html: str = Field(description="Sanitised HTML, as the public page shows it")
    summary_text: str
    correction_note: str
    evidence: list[Evidence]
    appearance_count: int
    first_appearances: list[Appearance] = Field(description="The first 25, oldest first")
    revisions: list[Revision] = Field(description="Every published revision, oldest first")


class FactCheckPage(Schema):
    items: list[FactCheckSummary]
    next: str | None = Field(description="The next page's address; null on the last page")


class AppearancePage(Schema):
    items: list[Appearance]
    total: int
    next: str | None


class Outlet(Schema):
    name: str
    fact_checks: int = Field(description="Published fact checks citing it")
    articles: int = Field(description="Its articles those fact checks list")


class Outlets(Schema):
    items: list[Outlet]


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str = ""


class ListFilters(Schema):
    rating: Rating | None = Field(
        None, description=gettext_noop("Only fact checks with this rating")
    )
    language: str = Field(
        "", max_length=35, description=gettext_noop("Cited in this language (e.g. uk)")
    )
    outlet: str = Field(
        "", max_length=200, description=gettext_noop("Citing this outlet, by its name")
    )
    updated_since: datetime | None = Field(
        None, description=gettext_noop("Published or updated since")
    )
    cursor: str = Field(
        "", max_length=200, description=gettext_noop("From the previous page's `next`")
    )
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=selectors.MAX_PAGE_SIZE)

    @field_validator("updated_since")
    @classmethod
    def in_utc(cls, value: datetime | None) -> datetime | None:
        """Any offset ISO 8601 allows (PostgreSQL takes only ±15:59), a time without one read
        as UTC; a moment UTC cannot hold (year 9999 west of Greenwich) is refused."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValueError("this moment is out of range") from None


class PageParams(Schema):
    start: int = Field(0, ge=0, le=10_000_000)
    limit: int = Field(selectors.MAX_PAGE_SIZE, ge=1, le=selectors.MAX_PAGE_SIZE)


# ---------------------------------------------------------------------------- operations


def _links(request, slug: str) -> dict:
    absolute = request.build_absolute_uri
    return {
        "html": absolute(reverse("claim_public", args=[slug])),
        "api": absolute(reverse("api-v1:fact_check", args=[slug])),
        "appearances": absolute(reverse("api-v1:appearances", args=[slug])),
    }


def _summary(request, revision) -> dict:
    return {
        "id": revision.claim_id,
        "slug": revision.slug,
        "statement": revision.statement,
        "claimant": revision.claimant,
        "rating": revision.rating,
        "rating_label": str(revision.get_rating_display()),
        "revision": revision.number,
        "published_at": revision.published_at,
        "first_published_at": revision.first_published_at,
        "outlet_count": revision.outlet_count,
        "links": _links(request, revision.slug),
    }


def _appearance(entry) -> dict:
    return {
        "outlet": entry.outlet,
        "title": entry.title,
        "url": entry.url,
        "published_on": entry.published_on,
        "language": entry.language,
        "copy_of": entry.copy_of,
        "quotes": [
            {"quote": q["quote"], "stance": q["stance"]}
            for q in entry.quotes
            if q.get("stance") in Stance.values
        ],
    }


def _moved(request: HttpRequest, slug: str, name: str) -> HttpResponse | None:
    """A merged claim's old slug: 301 to the surviving fact check's resource."""
    page = redirect_for_slug(slug)
    if page is None:
        return None
    target = page.rstrip("/").rsplit("/", 1)[-1]
    response = HttpResponse(status=301)
    response["Location"] = reverse(f"api-v1:{name}", args=[target])
    return response


@api.get(
    "/fact-checks",
    response={200: FactCheckPage, 404: Problem, 422: Problem, 429: Problem},
    url_name="fact_checks",
    summary=gettext_noop("Published fact checks, most recently updated first"),
)
@decorate_view(published(_site_etag, keep=True))
def fact_checks(request, filters: Query[ListFilters]):
    try:
        cursor = selectors.Cursor.decode(filters.cursor) if filters.cursor else None
    except selectors.BadCursor:
        # Opaque, like a page's address: one the API never handed out leads nowhere.
        return problem(
            request, 404, "Not found",
            "No page starts at this cursor: start again from the first page.",
        )  # fmt: skip
    rows, after = selectors.fact_checks(
        rating=filters.rating.value if filters.rating else "",
        # No stored name holds a NUL (PostgreSQL's JSON cannot): one asked for is dropped.
        language=without_nul(filters.language).strip(),
        outlet=without_nul(filters.outlet).strip(),
        updated_since=filters.updated_since,
        cursor=cursor,
        limit=filters.limit,
    )
    next_url = None
    if after is not None:
        params = request.GET.copy()
        params["cursor"] = after.encode()
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {"items": [_summary(request, r) for r in rows], "next": next_url}


@api.get(
    "/fact-checks/{slug}",
    response={200: FactCheck, 301: None, 404: Problem, 429: Problem},
    url_name="fact_check",
    summary=gettext_noop("One fact check, with its evidence, first appearances and revisions"),
)
@decorate_view(published(_claim_etag, keep=True))
def fact_check(request, slug: str):
    page = selectors.fact_check(slug)
    if page is None:
        return _moved(request, slug, "fact_check") or _not_found(request, slug)
    revision = page.revision
    return {
        **_summary(request, revision),
        "summary_html": revision.summary_html,
        "summary_text": revision.summary_text,
        "correction_note": revision.correction_note,
        "evidence": [
            {k: e.get(k) or "" for k in ("url", "title", "publisher", "note")}
            for e in revision.evidence
        ],
        "appearance_count": page.appearance_total,
        "first_appearances": [_appearance(a) for a in page.first_appearances],
        "revisions": [
            {
                "revision": r.number,
                "published_at": r.published_at,
                "rating": r.rating,
                "statement": r.statement,
                "update_note": r.update_note,
                "rating_changed": r.rating_changed,
                "wording_changed": r.wording_changed,
            }
            for r in selectors.revisions_of(revision.claim_id)
        ],
    }


@api.get(
    "/fact-checks/{slug}/appearances",
    response={200: AppearancePage, 301: None, 404: Problem, 422: Problem, 429: Problem},
    url_name="appearances",
    summary=gettext_noop("Every article a fact check lists, by outlet, with its stance and quotes"),
)
@decorate_view(published(_claim_etag))
def appearances(request, slug: str, params: Query[PageParams]):
    found = selectors.appearances(slug, start=params.start, limit=params.limit)
    if found is None:
        return _moved(request, slug, "appearances") or _not_found(request, slug)
    entries, total = found
    next_url = None
    if params.start + params.limit < total:
        query = request.GET.copy()
        query["start"] = params.start + params.limit
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": [_appearance(e) for e in entries], "total": total, "next": next_url}


@api.get(
    "/outlets",
    response={200: Outlets, 429: Problem},
    url_name="outlets",
    summary=gettext_noop("Outlets named by published fact checks, with counts"),
)
@decorate_view(published(_site_etag))
def outlets(request):
    return {
        "items": [
            {"name": name, "fact_checks": checks, "articles": articles}
            for name, checks, articles in selectors.outlets()
        ]
    }


def _not_found(request, slug: str) -> HttpResponse:
    detail = f"No published fact check has the address {slug!r}."
    return problem(request, 404, "Not found", detail)
