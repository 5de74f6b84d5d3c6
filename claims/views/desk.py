"""The desk's home: articles to annotate (search, outlet, "needs metadata"), my drafts and
the claims assigned to me; the activity feed; my notification settings."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from articles.models import Article, Outlet
from claims.models import Claim, Verdict
from claims.selectors.activity import activity_page
from claims.selectors.desk import notification_preference
from claims.services.preferences import notification_preference_set
from factcheck import search
from factcheck.paging import CappedPaginator
from factcheck.params import int_param
from factcheck.roles import desk_member_required
from factcheck.search import clean_query

ASSIGNED_SHOWN = 20
DRAFTS_SHOWN = 20

PAGE_SIZE = 50


@desk_member_required
def desk(request):
    query = clean_query(request.GET.get("q"))
    outlet = request.GET.get("outlet", "")
    missing = request.GET.get("metadata") == "missing"
    articles = (
        Article.objects.select_related("outlet")
        .defer(*Article.TEXTS)  # a page of 50 full texts is megabytes nobody reads here
        .search(query)  # best matches first on PostgreSQL; otherwise newest first
    )
    outlet_id = int_param(outlet)
    if outlet_id is not None:
        articles = articles.filter(outlet_id=outlet_id)
    if missing:
        articles = articles.needing_metadata()
    with search.prefer_index(bool(query)):
        paginator = (
            CappedPaginator(articles, PAGE_SIZE) if query else Paginator(articles, PAGE_SIZE)
        )
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
    _count_annotations(page.object_list)
    return render(
        request,
        "claims/desk/home.html",
        {
            "page": page,
            "query": query,
            "outlet": outlet,
            "missing": missing,
            "filtered": bool(query or outlet or missing),
            "outlets": Outlet.objects.all(),
            "my_drafts": Verdict.objects.open_by(request.user, limit=DRAFTS_SHOWN),
            "assigned": Claim.objects.filter(assigned_to=request.user).order_by(
                "-updated_at", "-pk"
            )[:ASSIGNED_SHOWN],
        },
    )


def _count_annotations(articles) -> None:
    """Set ``annotation_count`` on one page of articles with one query over those articles
    only: counting in the list query would group the whole archive before paginating."""
    counts = dict(
        Article.objects.filter(pk__in=[a.pk for a in articles])
        .annotate(n=Count("annotations"))
        .values_list("pk", "n")
    )
    for article in articles:
        article.annotation_count = counts.get(article.pk, 0)


@desk_member_required
@require_safe
def activity(request):
    """Recent history across the desk, newest first (claims.selectors.activity)."""
    page = activity_page(int_param(request.GET.get("page", "")))
    return render(request, "claims/desk/activity.html", {"page": page})


class PreferencesForm(forms.Form):
    email = forms.BooleanField(
        required=False,
        label="E-mail me when a review is requested, changes are requested, a verdict I "
        "worked on is approved, someone mentions me or assigns me a claim",
    )


@desk_member_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            notification_preference_set(user=request.user, email=form.cleaned_data["email"])
            state = "on" if form.cleaned_data["email"] else "off"
            messages.success(request, f"E-mail notifications are {state}.")
            return redirect("preferences")
    else:
        form = PreferencesForm(initial={"email": notification_preference(request.user)})
    return render(request, "claims/desk/preferences.html", {"form": form})
