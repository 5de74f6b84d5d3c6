"""Claims on the desk: the list with each claim's reach, and one claim's page — appearances
by outlet, wording, verdict, and (once published) what is waiting to be published.

A claim's slug never changes after creation, even when its statement is edited: it is the
public URL (/claims/<slug>/) that readers and search engines already link to.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from claims.access import claim_for_user
from claims.jsonld import guess_claimant_type
from claims.models import Claim, ClaimantType, Status
from claims.selectors.desk import claim_appearances, publication, wording_history
from claims.services.claims import claim_update
from claims.services.publishing import fact_check_publish
from claims.views.verdicts import verdict_section_context
from factcheck import roles
from factcheck.errors import Refused, status_of
from factcheck.roles import desk_member_required, reviewer_required
from factcheck.search import clean_query

SORTS = {
    "reach": ("-outlet_count", "-appearance_count", "statement"),
    "statement": ("statement",),
    "newest": ("-created_at", "-pk"),
}


@desk_member_required
@require_http_methods(["GET"])
def claim_list(request):
    query = clean_query(request.GET.get("q"))
    sort = request.GET.get("sort", "")
    if sort not in SORTS:
        sort = "reach"
    claims = Claim.objects.with_reach().with_current_verdict().search(query).order_by(*SORTS[sort])
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    labels = dict(Status.choices)
    for claim in page.object_list:
        claim.verdict_status_label = labels.get(claim.current_status, "")
    return render(
        request, "claims/desk/claim_list.html", {"page": page, "query": query, "sort": sort}
    )


class ClaimForm(forms.Form):
    statement = forms.CharField(
        label="Statement", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    claimant = forms.CharField(label="Claimant", max_length=200, required=False)
    claimant_type = forms.ChoiceField(
        label="The claimant is",
        choices=[("", "Not said"), *ClaimantType.choices],
        required=False,
        help_text="Search engines show a person and an organisation differently.",
    )


class PublishForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)
    update_note = forms.CharField(
        label="Public update note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to readers in the fact check's list of updates.",
    )


def _claim_page(request, claim, *, form=None, publish_form=None, status=200):
    groups, orphans, live_count = claim_appearances(claim)
    published = publication(request.user, claim)
    if publish_form is None and published is not None and published.can_publish:
        publish_form = PublishForm(initial={"revision": published.revision.number})
    if form is None and roles.is_editor(request.user):
        form = ClaimForm(
            initial={
                "statement": claim.statement,
                "claimant": claim.claimant,
                # Not said yet: offer the guess from the name, for the editor to confirm.
                "claimant_type": claim.claimant_type or guess_claimant_type(claim.claimant),
            }
        )
    context = {
        "claim": claim,
        "form": form,
        "outlet_groups": groups,
        "orphans": orphans,
        "appearance_count": live_count,
        "outlet_count": len(groups),
        "publication": published,
        "publish_form": publish_form,
        "wording_history": wording_history(claim),
    }
    context.update(verdict_section_context(request, claim))
    return render(request, "claims/desk/claim_detail.html", context, status=status)


@desk_member_required
@require_http_methods(["GET", "POST"])
def claim_detail(request, pk):
    """GET: the claim's desk page. POST: change its statement or claimant (editors)."""
    is_post = request.method == "POST"
    claim = claim_for_user(request.user, pk, for_change=is_post)
    if not is_post:
        return _claim_page(request, claim)
    form = ClaimForm(request.POST)
    if form.is_valid():
        try:
            claim_update(claim=claim, user=request.user, **form.cleaned_data)
        except Refused as error:
            form.add_error("statement", str(error))
        else:
            notice = "Statement saved."
            if claim.published_revision_id:
                notice += (
                    " The public page keeps the published wording until a reviewer"
                    " publishes the change."
                )
            messages.success(request, notice)
            return redirect("claim_detail", pk=claim.pk)
    return _claim_page(request, claim, form=form, status=422)


@reviewer_required
@require_POST
def claim_publish(request, pk):
    """Publish a published claim's pending changes as its next revision (reviewers, four
    eyes: not someone who made the changes)."""
    claim = claim_for_user(request.user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The publish form was incomplete; reload the page.")
        return redirect("claim_detail", pk=claim.pk)
    try:
        revision = fact_check_publish(
            claim=claim,
            user=request.user,
            revision_number=form.cleaned_data["revision"],
            update_note=form.cleaned_data["update_note"],
        )
    except Refused as error:
        messages.error(request, str(error))
        claim.refresh_from_db()
        return _claim_page(request, claim, publish_form=form, status=status_of(error))
    messages.success(request, f"Published as revision {revision.number}.")
    return redirect("claim_detail", pk=claim.pk)
