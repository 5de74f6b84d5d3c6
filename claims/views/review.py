"""The review page and its CSV export; the reads live in claims.selectors.review. Its rows'
approve / request-changes buttons post to the verdict endpoints (claims.views.verdicts)."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from claims.models import Rating, Status
from claims.selectors.review import (
    NO_VERDICT,
    STATUS_FILTERS,
    Filters,
    build_rows,
    export_verdicts,
    outlets_with_articles,
    review_claims,
    sorted_by,
    stance_matrix,
)
from factcheck.roles import reviewer_required
from factcheck.spreadsheet import csv_cell

PAGE_SIZE = 25


@reviewer_required
@require_GET
def review(request):
    filters = Filters.from_request(request)
    claims = sorted_by(review_claims(filters), request.GET.get("sort"))
    outlets = outlets_with_articles()
    if request.GET.get("format") == "csv":
        return _csv(claims, outlets, filters)
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = build_rows(request.user, list(page.object_list), outlets)
    return render(
        request,
        "claims/review/review.html",
        {
            "page": page,
            "rows": rows,
            "outlets": outlets,
            "filters": filters,
            "status_filters": STATUS_FILTERS,
            "ratings": Rating.choices,
            "here": request.get_full_path(),
            "csv_query": _csv_query(request),
        },
    )


def _csv_query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params["format"] = "csv"
    return params.urlencode()


def csv_filename(filters: Filters, outlets, today) -> str:
    """The export's file name says which claims it holds: the filters (the default is the
    claims awaiting review, so an empty export is not a surprise) and the day."""
    parts = ["review", dict(STATUS_FILTERS)[filters.status]]
    outlet = next((o for o in outlets if o.pk == filters.outlet), None)
    if outlet is not None:
        parts.append(slugify(outlet.name) or f"outlet {outlet.pk}")
    if filters.rating:
        parts.append(Rating(filters.rating).label)
    if filters.q:
        parts.append(f"matching {filters.q[:40]}")
    name = "-".join(slugify(part) for part in parts if slugify(part))
    return f"{name}-{today:%Y-%m-%d}.csv"


def _csv(claims, outlets, filters: Filters) -> HttpResponse:
    matrix = stance_matrix(claims.values("pk"))
    verdicts = export_verdicts(claims)
    filename = csv_filename(filters, outlets, timezone.localdate())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    header = [
        "claim", "slug", "rating", "status", "author", "last edited by", "updated", "approved by"
    ]  # fmt: skip
    writer.writerow([csv_cell(h) for h in header + [o.name for o in outlets]])
    for claim in claims:
        v = verdicts.get(claim.current_id)
        stances = [
            "; ".join(f"{c.stance} ×{c.count}" for c in matrix.get((claim.pk, o.pk), []))
            for o in outlets
        ]
        approved = v is not None and v.status == Status.APPROVED and v.reviewer is not None
        values = [
            claim.statement,
            claim.slug,
            v.rating if v else "",
            v.status if v else NO_VERDICT,
            v.author.get_username() if v else "",
            v.last_edited_by.get_username() if v else "",
            v.updated_at.isoformat() if v else "",
            v.reviewer.get_username() if approved else "",
        ]
        writer.writerow([csv_cell(x) for x in values + stances])
    return response
