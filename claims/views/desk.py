"""The desk's home: articles to annotate (search, outlet, "needs metadata") and my drafts."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render

from articles.models import Article, Outlet
from claims.models import Verdict
from factcheck import search
from factcheck.params import int_param
from factcheck.roles import desk_member_required
from factcheck.search import clean_query

PAGE_SIZE = 50


@desk_member_required
def desk(request):
    query = clean_query(request.GET.get("q"))
    outlet = request.GET.get("outlet", "")
    missing = request.GET.get("metadata") == "missing"
    articles = (
        Article.objects.select_related("outlet")
        .defer("body", "source_text")  # a page of 50 full texts is megabytes nobody reads here
        .search(query)  # best matches first on PostgreSQL; otherwise newest first
    )
    outlet_id = int_param(outlet)
    if outlet_id is not None:
        articles = articles.filter(outlet_id=outlet_id)
    if missing:
        articles = articles.needing_metadata()
    with search.prefer_index(bool(query)):
        page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
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
            "my_drafts": Verdict.objects.open_by(request.user)[:20],
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
