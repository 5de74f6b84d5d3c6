"""The series behind a claim's timeline, as CSV and JSON, for the desk (docs/architecture.md,
"Claim spread")."""

import csv

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from claims.access import claim_for_user
from factcheck.roles import desk_member_required
from factcheck.spreadsheet import csv_cell
from spread import selectors

COLUMNS = ["date", "date_is", "outlet", "language", "stance", "first", "title", "url"]


@desk_member_required
@require_GET
def spread_series(request, pk, kind):
    claim = claim_for_user(request.user, pk)
    if kind not in ("csv", "json"):
        raise Http404("No such format.")
    spread = selectors.desk_spread(claim)
    rows = selectors.series(spread)
    name = f"spread-{slugify(claim.slug)[:60] or claim.pk}"
    if kind == "json":
        response = JsonResponse(
            {
                "claim": {"id": claim.pk, "statement": claim.statement, "slug": claim.slug},
                "fact_check_published_on": (
                    spread.fact_check_on.isoformat() if spread.fact_check_on else None
                ),
                "appearances": rows,
            },
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([csv_cell(row[column]) for column in COLUMNS])
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
