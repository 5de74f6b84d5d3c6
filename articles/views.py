from django.core.paginator import Paginator
from django.shortcuts import render

from articles.models import Article, Outlet
from factcheck.roles import desk_member_required


@desk_member_required
def desk(request):
    query = request.GET.get("q", "").strip()
    outlet = request.GET.get("outlet", "")
    articles = Article.objects.for_desk_list().search(query)
    if outlet.isdigit():
        articles = articles.filter(outlet_id=int(outlet))
    page = Paginator(articles, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/desk.html",
        {"page": page, "query": query, "outlet": outlet, "outlets": Outlet.objects.all()},
    )
