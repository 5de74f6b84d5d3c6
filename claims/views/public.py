from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import render


def home(request):
    return render(request, "claims/public/home.html", {"verdicts": []})


def claim_public(request, slug):
    raise Http404("No published fact check here yet.")


class LatestFactChecksFeed(Feed):
    title = "Fact checks"
    link = "/"

    def items(self):
        return []
