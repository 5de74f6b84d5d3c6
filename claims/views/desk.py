"""The desk's home: articles to annotate (search, outlet, "needs metadata") and my drafts."""

from django.core.paginator import Paginator
from django.shortcuts import render

from articles.models import Article, Outlet
from claims.models import Verdict
from factcheck.params import int_param
from factcheck.roles import desk_member_required
from factcheck.search import clean_query

PAGE_SIZE = 50


@desk_member_required
def desk(request):
    query = clean_query(request.GET.get("q"))
    outlet = request.GET.get("outlet", "")
    missing = request.GET.get("metadata") == "missing"
    # Counting annotations groups the rows, and grouped querysets drop the default ordering.
    articles = (
        Article.objects.for_desk_list()
        .search(query)
        .defer("body", "source_text")  # a page of 50 full texts is megabytes nobody reads here
        .order_by(*Article._meta.ordering)
    )
    outlet_id = int_param(outlet)
    if outlet_id is not None:
        articles = articles.filter(outlet_id=outlet_id)
    if missing:
        articles = articles.needing_metadata()
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
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
