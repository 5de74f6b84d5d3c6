"""Claims on the desk: the list with each claim's reach, and one claim's page — appearances
by outlet, wording, verdict, (once published) what is waiting to be published — and the
published record a merge kept of a claim merged into another.

A claim's slug never changes after creation, even when its statement is edited: it is the
public URL (/claims/<slug>/) that readers and search engines already link to.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from claims.access import claim_for_user, merge_for_user, verdict_for_user
from claims.jsonld import guess_claimant_type
from claims.models import Claim, ClaimantType, Status, Verdict
from claims.selectors.desk import (
    claim_appearances,
    claim_comments,
    desk_members,
    merge_preview,
    merge_record,
    merged_into,
    merges_into,
    possible_duplicates,
    publication,
    wording_history,
)
from claims.services.claims import claim_assign, claim_merge, claim_update
from claims.services.comments import comment_create
from claims.services.publishing import fact_check_publish
from claims.verdict_forms import verdict_section_context
from factcheck import roles
from factcheck.errors import Refused, status_of
from factcheck.params import int_param
from factcheck.roles import desk_member_required, reviewer_required
from factcheck.sanitize import MAX_MARKDOWN
from factcheck.search import clean_query, without_nul

MERGE_CANDIDATES = 20

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
    whatever the size of the archive. A search finds similar statements (most of the words,
    or a misspelling: ``Claim.objects.search``), best match first by default."""
    query = clean_query(request.GET.get("q", ""))
    sort = request.GET.get("sort", "")
    if sort not in SORTS or (sort == "relevance" and not query):
        sort = "relevance" if query else "reach"
    mine = request.GET.get("assigned") == "me"
    claims = Claim.objects.search(query)
    if mine:
        claims = claims.filter(assigned_to=request.user)
    claims = claims.order_by(*SORTS[sort])
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    current = (
        Verdict.objects.current_first(per_claim=True)
        .filter(claim__in=[c.pk for c in page.object_list])
        .values_list("claim_id", "status")
    )
    statuses: dict[int, str] = {}
    for claim_id, status in current:
        statuses.setdefault(claim_id, status)  # the first per claim is its current verdict
    labels = dict(Status.choices)
    for claim in page.object_list:
        claim.current_status = claim.verdict_status = statuses.get(claim.pk, "")
        claim.verdict_status_label = labels.get(claim.current_status, "")
    return render(
        request,
        "claims/desk/claim_list.html",
        {
            "page": page,
            "query": query,
            "sort": sort,
            "mine": mine,
        },
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


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=MAX_MARKDOWN,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown. Mention someone with @username to send them a mail.",
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=None, required=False, label="Assigned to", empty_label="Nobody"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = desk_members()


def _claim_page(
    request,
    claim,
    *,
    form=None,
    publish_form=None,
    comment_form=None,
    verdict_comment=None,
    status=200,
):
    appearances = claim_appearances(claim, int_param(request.GET.get("appearances", "1")))
    published = publication(request.user, claim, full_diff=request.GET.get("changes") == "all")
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
        "appearances": appearances,
        "outlet_groups": appearances.groups,
        "orphans": appearances.orphans,
        "orphan_count": appearances.orphan_total,
        "appearance_count": appearances.total,
        "outlet_count": appearances.outlets,
        "publication": published,
        "publish_form": publish_form,
        "wording_history": wording_history(claim),
        "comments": claim_comments(claim),
        "comment_form": comment_form or CommentForm(),
        "assign_form": AssignForm(initial={"assignee": claim.assigned_to_id}),
        "merges": merges_into(claim),
        "duplicates": possible_duplicates(claim),
        "can_merge": roles.is_reviewer(request.user),
    }
    context.update(verdict_section_context(request.user, claim, comment=verdict_comment))
    return render(request, "claims/desk/claim_detail.html", context, status=status)


@desk_member_required
@require_http_methods(["GET", "POST"])
def claim_detail(request, pk):
    """GET: the claim's desk page. POST: change its statement or claimant (editors)."""
    is_post = request.method == "POST"
    try:
        claim = claim_for_user(request.user, pk, for_change=is_post)
    except Http404:
        target = None if is_post else merged_into(pk)
        if target is None:
            raise
        return redirect("claim_detail", pk=target, permanent=True)
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


@desk_member_required
@require_POST
def claim_assign_view(request, pk):
    """Assign the claim to a desk member, or to nobody (editors and reviewers)."""
    claim = claim_for_user(request.user, pk)
    data = request.POST.copy()
    if "me" in data:
        data["assignee"] = str(request.user.pk)
    form = AssignForm(data)
    if not form.is_valid():
        messages.error(request, "Choose an editor or a reviewer from the list.")
        return redirect("claim_detail", pk=claim.pk)
    assignee = form.cleaned_data["assignee"]
    try:
        claim_assign(claim=claim, assignee=assignee, user=request.user)
    except Refused as error:
        messages.error(request, str(error))
    else:
        who = "nobody" if assignee is None else assignee.get_username()
        messages.success(request, f"Assigned to {who}.")
    return redirect("claim_detail", pk=claim.pk)


@desk_member_required
@require_POST
def comment_create_view(request, pk):
    """Add a comment to the claim's thread (editors and reviewers)."""
    return _comment(request, claim_for_user(request.user, pk))


@desk_member_required
@require_POST
def verdict_comment_create_view(request, pk):
    """Add a comment to a verdict's thread, in the claim's verdict section (editors and
    reviewers)."""
    verdict = verdict_for_user(request.user, pk)
    return _comment(request, verdict.claim, verdict=verdict)


def _comment(request, claim, *, verdict=None):
    """Both threads: saved and shown at its anchor, or the page again with what was typed
    and why it was refused (422)."""
    data = request.POST.copy()
    data["body"] = without_nul(data.get("body"))  # a NUL is dropped, not refused
    form = CommentForm(data)
    if form.is_valid():
        try:
            comment = comment_create(
                claim=claim, user=request.user, body=form.cleaned_data["body"], verdict=verdict
            )
        except Refused as error:
            form.add_error("body", str(error))
        else:
            messages.success(request, "Comment added.")
            if comment.unknown_mentions:
                names = ", ".join(f"@{name}" for name in comment.unknown_mentions)
                those = "that name" if len(comment.unknown_mentions) == 1 else "those names"
                messages.warning(
                    request,
                    f"Not found on the desk: {names}. Nobody by {those} was told; check the "
                    "spelling and mention them in a new comment.",
                )
            return redirect(f"{reverse('claim_detail', args=[claim.pk])}#comment-{comment.pk}")
    if verdict is None:
        return _claim_page(request, claim, comment_form=form, status=422)
    return _claim_page(request, claim, verdict_comment=(verdict.pk, form), status=422)


@reviewer_required
@require_http_methods(["GET", "POST"])
def claim_merge_view(request, pk):
    """Merge this claim into another (reviewers): GET ``?q=`` finds the surviving claim,
    GET ``?into=<pk>`` shows what would move, POST ``into`` merges."""
    source = claim_for_user(request.user, pk)
    into = int_param(
        request.POST.get("into") if request.method == "POST" else request.GET.get("into", "")
    )
    target = Claim.objects.filter(pk=into).first() if into is not None else None
    if request.method == "POST":
        if target is None:
            messages.error(request, "The surviving claim no longer exists; choose another.")
            return redirect("claim_merge", pk=source.pk)
        try:
            merge = claim_merge(source=source, target=target, user=request.user)
        except Refused as error:
            return render(
                request,
                "claims/desk/claim_merge.html",
                {"claim": source, "preview": merge_preview(source, target), "error": str(error)},
                status=status_of(error),
            )
        notice = f"“{merge.source_statement}” was merged into this claim."
        if merge.target.published_revision_id and (
            merge.source_was_published or merge.annotations_moved
        ):
            # Only a published claim has a public page for the changes to wait for.
            notice += (
                " Readers keep seeing the published fact check until a reviewer publishes"
                " the changes."
            )
        messages.success(request, notice)
        return redirect("claim_detail", pk=target.pk)
    query = clean_query(request.GET.get("q"))
    candidates = []
    if query and target is None:
        candidates = list(
            Claim.objects.search(query)
            .exclude(pk=source.pk)
            .order_by("-rank", "-outlet_count", "statement")[:MERGE_CANDIDATES]
        )
    return render(
        request,
        "claims/desk/claim_merge.html",
        {
            "claim": source,
            "query": query,
            "candidates": candidates,
            "preview": merge_preview(source, target) if target is not None else None,
        },
    )


@desk_member_required
@require_http_methods(["GET"])
def merge_record_view(request, pk):
    """What the public read at a merged claim's address, kept by the merge (desk members):
    each published revision, newest first, read-only, with its first appearances (``?all=N``:
    all of revision N's). 404 when the merge kept none."""
    merge = merge_for_user(request.user, pk)
    record = merge_record(merge, all_appearances_of=int_param(request.GET.get("all")))
    if record is None:
        raise Http404("This merge kept no published record.")
    return render(request, "claims/desk/merge_record.html", {"record": record})
