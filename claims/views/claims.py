"""Claims on the desk: the list with each claim's reach, and one claim's page — appearances
by outlet, wording, verdict, (once published) what is waiting to be published — and the
published record a merge kept of a claim merged into another.

A claim's slug never changes after creation, even when its statement is edited: it is the
public URL (/claims/<slug>/) that readers and search engines already link to.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from claims.access import claim_for_user, merge_for_user, verdict_for_user
from claims.forms import (
    AssignForm,
    ClaimForm,
    CommentForm,
    PublishForm,
    WordingForm,
    merge_choices_posted,
)
from claims.models import guess_claimant_type
from claims.selectors.desk import (
    CLAIM_SORTS,
    claim_appearances,
    claim_comments,
    claim_list_page,
    claim_or_none,
    desk_members,
    merge_candidates,
    merge_preview,
    merge_proposal,
    merge_record,
    merged_into,
    merges_into,
    possible_duplicates,
    publication,
    verdict_section_context,
    wording_history,
)
from claims.services.claims import (
    claim_assign,
    claim_merge,
    claim_merge_propose,
    claim_update,
)
from claims.services.comments import comment_create
from claims.services.publishing import fact_check_publish
from claims.services.wordings import claim_wording_set
from factcheck import roles
from factcheck.errors import Refused
from factcheck.params import int_param
from factcheck.responses import refused, refused_back
from factcheck.roles import desk_member_required, editor_required, reviewer_required
from factcheck.search import clean_query, without_nul


@desk_member_required
@require_http_methods(["GET"])
def claim_list(request):
    """Claims with their reach and latest verdict, 50 a page (claims.selectors.desk
    .claim_list_page). A search finds similar statements (most of the words, or a
    misspelling: ``Claim.objects.search``), best match first by default."""
    query = clean_query(request.GET.get("q", ""))
    sort = request.GET.get("sort", "")
    if sort not in CLAIM_SORTS or (sort == "relevance" and not query):
        sort = "relevance" if query else "reach"
    mine = request.GET.get("assigned") == "me"
    page = claim_list_page(
        request.user, query=query, sort=sort, mine=mine, page_number=request.GET.get("page")
    )
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


def _claim_page(
    request,
    claim,
    *,
    form=None,
    publish_form=None,
    comment_form=None,
    verdict_comment=None,
    refusal=False,
    error=None,
    on_top=False,
):
    """The claim's desk page; with ``refusal``, answering a refused form (``error``, or None
    for a form that did not validate) with what was typed kept in it."""
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
        "assign_form": AssignForm(
            initial={"assignee": claim.assigned_to_id}, members=desk_members()
        ),
        "merges": merges_into(claim),
        "merge_proposal": merge_proposal(claim),
        "duplicates": possible_duplicates(claim),
        "can_merge": roles.is_reviewer(request.user),
    }
    context.update(verdict_section_context(request.user, claim, comment=verdict_comment))
    if refusal:
        template = "claims/desk/claim_detail.html"
        return refused(request, template, context, error=error, on_top=on_top)
    return render(request, "claims/desk/claim_detail.html", context)


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
    form, error = ClaimForm(request.POST), None
    if form.is_valid():
        try:
            claim_update(claim=claim, user=request.user, **form.cleaned_data)
        except Refused as refusal:
            form.add_error("statement", str(refusal))
            error = refusal
        else:
            notice = _("Statement saved.")
            if claim.published_revision_id:
                notice = _(
                    "Statement saved. The public page keeps the published wording until a "
                    "reviewer publishes the change."
                )
            messages.success(request, notice)
            return redirect("claim_detail", pk=claim.pk)
    return _claim_page(request, claim, form=form, refusal=True, error=error)


@reviewer_required
@require_POST
def claim_publish(request, pk):
    """Publish a published claim's pending changes as its next revision (reviewers, four
    eyes: not someone who made the changes)."""
    claim = claim_for_user(request.user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        incomplete = Refused(_("The publish form was incomplete; reload the page."))
        return refused_back(request, incomplete, "claim_detail", pk=claim.pk)
    try:
        revision = fact_check_publish(
            claim=claim,
            user=request.user,
            revision_number=form.cleaned_data["revision"],
            update_note=form.cleaned_data["update_note"],
        )
    except Refused as error:
        claim.refresh_from_db()
        return _claim_page(
            request, claim, publish_form=form, refusal=True, error=error, on_top=True
        )
    messages.success(request, _("Published as revision {number}.").format(number=revision.number))
    return redirect("claim_detail", pk=claim.pk)


@desk_member_required
@require_POST
def claim_assign_view(request, pk):
    """Assign the claim to a desk member, or to nobody (editors and reviewers)."""
    claim = claim_for_user(request.user, pk)
    data = request.POST.copy()
    if "me" in data:
        data["assignee"] = str(request.user.pk)
    form = AssignForm(data, members=desk_members())
    if not form.is_valid():
        unknown = Refused(_("Choose an editor or a reviewer from the list."))
        return refused_back(request, unknown, "claim_detail", pk=claim.pk)
    assignee = form.cleaned_data["assignee"]
    try:
        claim_assign(claim=claim, assignee=assignee, user=request.user)
    except Refused as error:
        return refused_back(request, error, "claim_detail", pk=claim.pk)
    if assignee is None:
        messages.success(request, _("Assigned to nobody."))
    else:
        messages.success(request, _("Assigned to {who}.").format(who=assignee.get_username()))
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
    form, error = CommentForm(data), None
    if form.is_valid():
        try:
            comment = comment_create(
                claim=claim, user=request.user, body=form.cleaned_data["body"], verdict=verdict
            )
        except Refused as refusal:
            form.add_error("body", str(refusal))
            error = refusal
        else:
            messages.success(request, _("Comment added."))
            if comment.unknown_mentions:
                names = ", ".join(f"@{name}" for name in comment.unknown_mentions)
                messages.warning(
                    request,
                    ngettext(
                        "Not found on the desk: {names}. Nobody by that name was told; check the "
                        "spelling and mention them in a new comment.",
                        "Not found on the desk: {names}. Nobody by those names was told; check "
                        "the spelling and mention them in a new comment.",
                        len(comment.unknown_mentions),
                    ).format(names=names),
                )
            return redirect(f"{reverse('claim_detail', args=[claim.pk])}#comment-{comment.pk}")
    if verdict is None:
        return _claim_page(request, claim, comment_form=form, refusal=True, error=error)
    comment_of = (verdict.pk, form)
    return _claim_page(request, claim, verdict_comment=comment_of, refusal=True, error=error)


@reviewer_required
@require_http_methods(["GET", "POST"])
def claim_merge_view(request, pk):
    """Merge this claim into another (reviewers): GET ``?q=`` finds the surviving claim,
    GET ``?into=<pk>`` shows what would move, POST ``into`` merges."""
    source = claim_for_user(request.user, pk)
    into = int_param(
        request.POST.get("into") if request.method == "POST" else request.GET.get("into", "")
    )
    target = claim_or_none(into)
    if request.method == "POST":
        if target is None:
            gone = Refused(_("The surviving claim no longer exists; choose another."))
            return refused_back(request, gone, "claim_merge", pk=source.pk)
        propose = request.POST.get("action") == "propose"
        choices = merge_choices_posted(request.POST)
        try:
            if propose:
                claim_merge_propose(
                    source=source, target=target, user=request.user, choices=choices
                )
            else:
                merge = claim_merge(
                    source=source, target=target, user=request.user, choices=choices
                )
        except Refused as error:
            context = {"claim": source, "preview": merge_preview(request.user, source, target)}
            context["error"] = str(error)
            return refused(request, "claims/desk/claim_merge.html", context, error=error)
        if propose:
            messages.success(
                request,
                _(
                    "Merge proposed. Readers keep seeing this fact check until another reviewer "
                    "confirms the merge."
                ),
            )
            return redirect("claim_detail", pk=source.pk)
        notice = _("“{statement}” was merged into this claim.").format(
            statement=merge.source_statement
        )
        if merge.target.published_revision_id and (
            merge.source_was_published or merge.annotations_moved
        ):
            # Only a published claim has a public page for the changes to wait for.
            notice = _(
                "“{statement}” was merged into this claim. Readers keep seeing the published "
                "fact check until a reviewer publishes the changes."
            ).format(statement=merge.source_statement)
        messages.success(request, notice)
        return redirect("claim_detail", pk=target.pk)
    query = clean_query(request.GET.get("q"))
    candidates = merge_candidates(source, query) if query and target is None else []
    return render(
        request,
        "claims/desk/claim_merge.html",
        {
            "claim": source,
            "query": query,
            "candidates": candidates,
            "preview": merge_preview(request.user, source, target) if target else None,
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
        raise Http404(_("This merge kept no published record."))
    return render(request, "claims/desk/merge_record.html", {"record": record})


@editor_required
@require_POST
def claim_wording(request, pk):
    """Add, change or (empty text) remove the claim's wording in a language (editors)."""
    claim = claim_for_user(request.user, pk, for_change=True)
    form = WordingForm(request.POST)
    back = reverse("claim_detail", args=[claim.pk]) + "#wordings-h"
    try:
        if not form.is_valid():
            raise Refused(_("Give a language code and the wording."))
        claim_wording_set(claim=claim, user=request.user, **form.cleaned_data)
    except Refused as error:
        return refused_back(request, error, back)
    messages.success(
        request,
        _("Wording in “{language}” saved.").format(language=form.cleaned_data["language"]),
    )
    return redirect(back)
