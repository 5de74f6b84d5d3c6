"""The review page and the review actions on its rows; the reads live in claims.review."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from claims.access import verdict_for_user
from claims.models import Rating, Verdict
from claims.review import (
    NO_VERDICT,
    STATUS_FILTERS,
    Filters,
    build_rows,
    claims_with_current_verdict,
    outlets_with_articles,
    stance_matrix,
)
from claims.services import verdicts as services
from factcheck.params import int_param
from factcheck.roles import reviewer_required
from factcheck.sanitize import validate_markdown_length

PAGE_SIZE = 25


@reviewer_required
@require_GET
def review(request):
    filters = Filters.from_request(request)
    claims = filters.apply(claims_with_current_verdict())
    outlets = outlets_with_articles()
    if request.GET.get("format") == "csv":
        return _csv(claims, outlets)
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


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Spreadsheets run a cell that starts like a formula; a leading ' makes it text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(claims, outlets) -> HttpResponse:
    matrix = stance_matrix(claims.values("pk"))
    verdicts = Verdict.objects.select_related("author", "last_edited_by").in_bulk(
        [c for c in claims.values_list("current_id", flat=True) if c]
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="review-{stamp}.csv"'
    writer = csv.writer(response)
    header = ["claim", "slug", "rating", "status", "author", "last edited by", "updated"]
    writer.writerow([csv_cell(h) for h in header + [o.name for o in outlets]])
    for claim in claims:
        v = verdicts.get(claim.current_id)
        stances = [
            "; ".join(f"{c.stance} ×{c.count}" for c in matrix.get((claim.pk, o.pk), []))
            for o in outlets
        ]
        values = [
            claim.statement,
            claim.slug,
            v.rating if v else "",
            v.status if v else NO_VERDICT,
            v.author.get_username() if v else "",
            v.last_edited_by.get_username() if v else "",
            v.updated_at.isoformat() if v else "",
        ]
        writer.writerow([csv_cell(x) for x in values + stances])
    return response


def _back(request) -> str:
    target = request.POST.get("next", "")
    # Only a path: redirect() would take "abc" for a URL name and fail to reverse it, and a
    # newline cannot go into a Location header.
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return reverse("review")


def _act(request, pk, action: str):
    verdict = verdict_for_user(request.user, pk)
    version = int_param(request.POST.get("version", ""))
    if version is None:
        return HttpResponseBadRequest("The form is missing the verdict's version; reload the page.")
    comment = request.POST.get("comment", "").replace("\x00", "").strip()  # PostgreSQL refuses NUL
    try:
        validate_markdown_length(comment)
    except ValidationError as error:
        return HttpResponseBadRequest(f"The comment was not sent. {error.messages[0]}")
    error, status = "", 200
    try:
        if action == "approve":
            services.verdict_approve(
                verdict=verdict, user=request.user, version=version, comment=comment
            )
            done = "Approved and published."
        else:
            services.verdict_request_changes(
                verdict=verdict, user=request.user, version=version, comment=comment
            )
            done = "Changes requested."
    except services.VerdictError as exc:
        error = str(exc)
        status = (
            409
            if isinstance(exc, services.StaleVerdict)
            else 403
            if isinstance(exc, services.NotAllowed)
            else 400
        )
    if not request.htmx:
        if error:
            kept = f" Your comment was not sent: “{comment}”" if comment else ""
            messages.error(request, f"“{verdict.claim.statement}”: {error}{kept}")
        else:
            messages.success(request, f"“{verdict.claim.statement}”: {done}")
        return redirect(_back(request))
    claim = claims_with_current_verdict().get(pk=verdict.claim_id)
    outlets = outlets_with_articles()
    (row,) = build_rows(request.user, [claim], outlets)
    row.error = error
    row.comment = comment if error else ""
    # A refused request for changes keeps its form open: that is where the reviewer was typing.
    row.requesting = bool(error) and action != "approve"
    if not error:
        row.notice = done
    return render(
        request,
        "claims/review/review.html#row",
        {"row": row, "outlets": outlets, "here": _back(request)},
        status=status,
    )


@reviewer_required
@require_POST
@vary_on_headers("HX-Request")
def review_approve(request, pk):
    return _act(request, pk, "approve")


@reviewer_required
@require_POST
@vary_on_headers("HX-Request")
def review_request_changes(request, pk):
    return _act(request, pk, "request_changes")
