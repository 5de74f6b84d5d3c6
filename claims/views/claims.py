"""Claims on the desk: the list with each claim's reach, and one claim's appearances by outlet.

A claim's slug never changes after creation, even when its statement is edited: it is the
public URL (/claims/<slug>/) that readers and search engines already link to.
"""

from collections import Counter
from itertools import groupby

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from articles.models import Article
from claims.access import claim_for_user
from claims.models import Annotation, Claim, Stance, Status, Verdict
from claims.sentences import sentence_around
from claims.views.verdicts import verdict_section_context
from factcheck import roles, search
from factcheck.roles import desk_member_required
from factcheck.search import clean_query

SORTS = {
    "reach": ("-outlet_count", "-appearance_count", "statement"),
    "statement": ("statement",),
    "newest": ("-created_at", "-pk"),
    "relevance": ("-rank", "-outlet_count", "statement"),
}


@desk_member_required
@require_http_methods(["GET"])
def claim_list(request):
    """Claims with their reach and latest verdict, 50 a page. Reach is kept on the claim row
    and the verdicts are read for the page's claims only, so the page costs the same
    whatever the size of the archive."""
    query = clean_query(request.GET.get("q", ""))
    sort = request.GET.get("sort", "")
    if sort not in SORTS or (sort == "relevance" and not query):
        sort = "relevance" if query else "reach"
    claims = Claim.objects.search(query, ranked=True)
    if sort == "relevance" and not search.is_postgres():
        sort = "reach"  # no rank on SQLite
    claims = claims.order_by(*SORTS[sort])
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    latest = (
        Verdict.objects.filter(claim__in=[c.pk for c in page.object_list])
        .order_by("claim_id", "-created_at", "-pk")
        .values_list("claim_id", "status")
    )
    statuses: dict[int, str] = {}
    for claim_id, status in latest:
        statuses.setdefault(claim_id, status)  # the first per claim is its latest
    labels = dict(Status.choices)
    for claim in page.object_list:
        claim.verdict_status = statuses.get(claim.pk, "")
        claim.verdict_status_label = labels.get(claim.verdict_status, "")
    return render(
        request,
        "claims/desk/claim_list.html",
        {"page": page, "query": query, "sort": sort, "can_rank": search.is_postgres()},
    )


class ClaimForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["statement", "claimant"]
        labels = {"statement": "Statement", "claimant": "Claimant"}
        widgets = {"statement": forms.Textarea(attrs={"rows": 2})}

    def clean_statement(self):
        statement = " ".join(self.cleaned_data["statement"].split())
        if not statement:
            raise forms.ValidationError("The statement cannot be empty.")
        twin = Claim.objects.filter(statement__iexact=statement).exclude(pk=self.instance.pk)
        if twin.exists():
            raise forms.ValidationError("Another claim already has this statement.")
        return statement


def _appearances(claim: Claim):
    """The claim's annotations with their sentence, live ones grouped by outlet; two queries.

    Article bodies are fetched once per article, not once per annotation (a body can be
    hundreds of kilobytes and one article can hold many appearances).
    """
    annotations = list(
        Annotation.objects.filter(claim=claim)
        .select_related("article__outlet", "author")
        .defer("article__body", "article__source_text")
        .order_by("article__outlet__name", "-article__published_on", "article_id", "start")
    )
    article_ids = {a.article_id for a in annotations}
    bodies = dict(Article.objects.filter(pk__in=article_ids).values_list("pk", "body"))
    live, orphans = [], []
    for annotation in annotations:
        if annotation.orphaned:
            orphans.append(annotation)
            continue
        body = bodies[annotation.article_id]
        annotation.in_sentence = sentence_around(body, annotation.start, annotation.end)
        live.append(annotation)
    groups = []
    for outlet, items in groupby(live, key=lambda a: a.article.outlet):
        items = list(items)
        counts = Counter(a.stance for a in items)
        stances = [
            (value, label, counts[value]) for value, label in Stance.choices if counts[value]
        ]
        groups.append(
            {
                "outlet": outlet,
                "annotations": items,
                "articles": len({a.article_id for a in items}),
                "stances": stances,
            }
        )
    return groups, orphans, len(live)


@desk_member_required
@require_http_methods(["GET", "POST"])
def claim_detail(request, pk):
    is_post = request.method == "POST"
    claim = claim_for_user(request.user, pk, for_change=is_post)
    form = None
    if roles.is_editor(request.user):
        form = ClaimForm(request.POST if is_post else None, instance=claim)
        if is_post and form.is_valid():
            form.save()
            messages.success(request, "Statement saved.")
            return redirect("claim_detail", pk=claim.pk)
        if is_post:
            claim.refresh_from_db()  # the heading shows the saved statement, not the rejected one
    groups, orphans, live_count = _appearances(claim)
    context = {
        "claim": claim,
        "form": form,
        "outlet_groups": groups,
        "orphans": orphans,
        "appearance_count": live_count,
        "outlet_count": len(groups),
    }
    context.update(verdict_section_context(request, claim))
    return render(request, "claims/desk/claim_detail.html", context)
