"""The review page and its CSV export; the reads live in claims.selectors.review. Its rows'
approve / request-changes buttons post to the verdict endpoints (claims.views.verdicts)."""

import csv
from itertools import batched

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
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
    with translation.override(None):  # file names in the source language, ASCII
        parts = ["review", str(dict(STATUS_FILTERS)[filters.status])]
        if filters.rating:
            parts.append(str(Rating(filters.rating).label))
    outlet = next((o for o in outlets if o.pk == filters.outlet), None)
    if outlet is not None:
        parts.insert(2, slugify(outlet.name) or f"outlet {outlet.pk}")
    if filters.q:
        parts.append(f"matching {filters.q[:40]}")
    name = "-".join(slugify(part) for part in parts if slugify(part))
    return f"{name}-{today:%Y-%m-%d}.csv"


# The export reads and writes this many claims at a time: its memory is one chunk's, whatever
# the number of claims (tests/claims/test_export.py pins it).
CSV_CHUNK = 500
CSV_HEADER = [
    "claim", "slug", "rating", "status", "author", "last edited by", "updated", "approved by"
]  # fmt: skip


class _Line:
    """A file-like object whose ``write`` returns the line: csv.writer writes one row at a
    time into the stream."""

    def write(self, value: str) -> str:
        return value


def _csv(claims, outlets, filters: Filters) -> StreamingHttpResponse:
    """The review's claims as CSV, streamed a chunk of CSV_CHUNK claims at a time (each
    chunk: its claims, their verdicts, their stance matrix)."""
    filename = csv_filename(filters, outlets, timezone.localdate())
    response = StreamingHttpResponse(
        _csv_lines(claims, outlets), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_lines(claims, outlets):
    writer = csv.writer(_Line())
    yield writer.writerow([csv_cell(h) for h in CSV_HEADER + [o.name for o in outlets]])
    for chunk in batched(claims.iterator(chunk_size=CSV_CHUNK), CSV_CHUNK):
        text = _csv_chunk(writer, chunk, outlets)
        del chunk  # nothing of a chunk is held while the next one is read
        yield text
        del text


def _csv_chunk(writer, chunk, outlets) -> str:
    matrix = stance_matrix([claim.pk for claim in chunk])
    verdicts = export_verdicts([claim.current_id for claim in chunk if claim.current_id])
    return "".join(
        writer.writerow(_csv_row(claim, verdicts.get(claim.current_id), matrix, outlets))
        for claim in chunk
    )


def _csv_row(claim, v, matrix, outlets) -> list[str]:
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
    return [csv_cell(x) for x in values + stances]
