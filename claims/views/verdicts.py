"""Writing a claim's verdict and moving it through review, on the claim's desk page.

Every action answers htmx with the verdict section redrawn, refusals included, with a status
code that says what happened. Without htmx, success redirects back to the claim and a refusal
renders the section on a page of its own, so nothing anyone typed is lost.
"""

from django.contrib import messages
from django.forms.formsets import TOTAL_FORM_COUNT
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from claims.access import claim_for_user, verdict_for_user
from claims.models import Status, VerdictTransition
from claims.services import verdicts as services
from claims.verdict_forms import (
    EVIDENCE_PREFIX,
    MAX_EVIDENCE,
    EvidenceFormSet,
    ReviewForm,
    VerdictForm,
)
from factcheck import roles
from factcheck.params import int_param
from factcheck.roles import desk_member_required, editor_required, reviewer_required

SECTION = "claims/desk/_verdict_section.html#section"
PAGE = "claims/desk/verdict_page.html"
_SHOW_OUTCOME = "show:#verdict-section:top"


def verdict_section_context(
    request,
    claim,
    *,
    form=None,
    formset=None,
    review_form=None,
    errors=(),
    notice="",
    show_errors=True,
) -> dict:
    """Context for claims/desk/_verdict_section.html, under one key so it never collides
    with the page that includes it."""
    user = request.user
    verdicts = list(
        claim.verdicts.select_related("author", "last_edited_by", "reviewer", "supersedes")
        .prefetch_related("evidence")
        .order_by("created_at", "pk")
    )
    numbers = {verdict.pk: number for number, verdict in enumerate(verdicts, start=1)}
    open_verdict = next((v for v in verdicts if v.status != Status.APPROVED), None)
    approved = [v for v in verdicts if v.status == Status.APPROVED]
    published = max(approved, key=lambda v: (v.approved_at, v.pk)) if approved else None
    history = list(
        VerdictTransition.objects.filter(verdict__claim=claim)
        .select_related("user")
        .order_by("-at", "-pk")
    )
    for transition in history:
        transition.verdict_number = numbers.get(transition.verdict_id)
    open_comment = None
    if open_verdict is not None and open_verdict.status == Status.CHANGES_REQUESTED:
        open_comment = next(
            (t for t in history if t.verdict_id == open_verdict.pk and t.comment), None
        )

    editable = open_verdict is None or open_verdict.status in services.EDITABLE
    can_edit = roles.is_editor(user) and editable
    if form is None and can_edit:
        form, formset = _initial_forms(open_verdict or published, open_verdict)
    submitted = open_verdict is not None and open_verdict.status == Status.SUBMITTED
    four_eyes = submitted and user.pk in (open_verdict.author_id, open_verdict.last_edited_by_id)
    can_review = submitted and roles.is_reviewer(user) and not four_eyes
    unsent_comment = ""
    if review_form is not None and not can_review:
        unsent_comment = review_form.data.get("comment", "").strip()
    if can_review and review_form is None:
        review_form = ReviewForm(initial={"version": open_verdict.version})
    return {
        "verdict_section": {
            "claim": claim,
            "published": published,
            "open": open_verdict,
            "open_comment": open_comment,
            "history": history,
            "version_count": len(verdicts),
            "show_form": form is not None,
            "form": form,
            "formset": formset,
            "mode": "edit" if open_verdict else ("revise" if published else "new"),
            "superseding": published is not None,
            "show_errors": show_errors,
            "can_review": can_review,
            "four_eyes": four_eyes and roles.is_reviewer(user),
            "review_form": review_form,
            "unsent_comment": unsent_comment,
            "errors": list(errors),
            "notice": notice,
        }
    }


def _initial_forms(source, open_verdict):
    """The form as loaded: the open verdict, or the published one to start a new version
    from (only what the editor then sends is saved)."""
    if source is None:
        return VerdictForm(), EvidenceFormSet(prefix=EVIDENCE_PREFIX)
    form = VerdictForm(
        initial={
            "rating": source.rating,
            "summary": source.summary,
            "correction_note": open_verdict.correction_note if open_verdict else "",
            "version": open_verdict.version if open_verdict else None,
        }
    )
    links = [
        {"url": e.url, "title": e.title, "publisher": e.publisher, "note": e.note}
        for e in source.evidence.all()
    ]
    return form, EvidenceFormSet(initial=links, prefix=EVIDENCE_PREFIX)


def _respond(request, claim, *, status=200, **section):
    context = verdict_section_context(request, claim, **section)
    if request.htmx:
        response = render(request, SECTION, context, status=status)
        response["HX-Trigger"] = "verdictChanged"
        if section.get("errors") or section.get("notice"):
            # The editor clicked at the foot of a long form; the outcome is said at the top.
            response["HX-Reswap"] = f"outerHTML {_SHOW_OUTCOME}"
        return response
    context["claim"] = claim
    return render(request, PAGE, context, status=status)


def _done(request, claim, notice: str):
    if request.htmx:
        return _respond(request, claim, notice=notice)
    messages.success(request, notice)
    return redirect("claim_detail", claim.pk)


def _status_for(error: services.VerdictError) -> int:
    if isinstance(error, services.StaleVerdict):
        return 409
    if isinstance(error, services.NotAllowed):
        return 403
    # 422, not 400: in DEBUG, django-htmx replaces the whole page with any 400 response.
    return 422


def _kept_text_hint(claim) -> str:
    """After a stale save: what happens to the text the editor is still holding."""
    current = claim.verdicts.open().first()
    if current is None:
        return "Your text is kept below; saving it starts a new version of the published verdict."
    if current.status not in services.EDITABLE:
        return (
            "It is now waiting for review and can't be edited; your text is kept below "
            "so you can copy it."
        )
    return (
        "Their version is shown above and your text is kept below: saving again replaces "
        "theirs with yours."
    )


@desk_member_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def verdict_edit(request, pk):
    """GET: the verdict section on its own. POST: save the draft, submit it, or add a row
    for another evidence link (editors)."""
    if request.method == "GET":
        return _respond(request, claim_for_user(request.user, pk))
    claim = claim_for_user(request.user, pk, for_change=True)
    data = request.POST.copy()
    if "add_evidence" in data:
        key = f"{EVIDENCE_PREFIX}-{TOTAL_FORM_COUNT}"
        rows = int_param(data.get(key, "0"))
        data[key] = str(min(rows + 1 if rows is not None else 1, MAX_EVIDENCE))
        form, formset = VerdictForm(data), EvidenceFormSet(data, prefix=EVIDENCE_PREFIX)
        return _respond(request, claim, form=form, formset=formset, show_errors=False)

    form, formset = VerdictForm(data), EvidenceFormSet(data, prefix=EVIDENCE_PREFIX)
    if not (form.is_valid() & formset.is_valid()):
        errors = ["The verdict was not saved: correct the fields marked below."]
        return _respond(request, claim, status=422, form=form, formset=formset, errors=errors)
    submit = "submit" in data
    save = services.verdict_save_and_submit if submit else services.verdict_save
    try:
        save(
            claim=claim,
            user=request.user,
            rating=form.cleaned_data["rating"],
            summary=form.cleaned_data["summary"],
            evidence=formset.links(),
            version=form.cleaned_data["version"],
            correction_note=form.cleaned_data["correction_note"],
        )
    except services.VerdictError as error:
        errors = [str(error)]
        if isinstance(error, services.StaleVerdict):
            errors.append(_kept_text_hint(claim))
            current = claim.verdicts.open().first()
            data["version"] = str(current.version) if current else ""
            form, formset = VerdictForm(data), EvidenceFormSet(data, prefix=EVIDENCE_PREFIX)
        return _respond(
            request, claim, status=_status_for(error), form=form, formset=formset, errors=errors
        )
    return _done(request, claim, "Submitted for review." if submit else "Draft saved.")


@editor_required
@vary_on_headers("HX-Request")
@require_POST
def verdict_submit(request, pk):
    verdict = verdict_for_user(request.user, pk, for_change=True)
    version = int_param(request.POST.get("version", ""))
    try:
        services.verdict_submit(
            verdict=verdict, user=request.user, version=-1 if version is None else version
        )
    except services.VerdictError as error:
        return _respond(request, verdict.claim, status=_status_for(error), errors=[str(error)])
    return _done(request, verdict.claim, "Submitted for review.")


def _review(request, pk, action, notice: str):
    verdict = verdict_for_user(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        errors = form.errors.get("comment") or ["Reload the page: the review form was incomplete."]
        return _respond(request, verdict.claim, status=422, review_form=form, errors=errors)
    try:
        action(
            verdict=verdict,
            user=request.user,
            version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except services.VerdictError as error:
        current = verdict.claim.verdicts.open().first()
        data = request.POST.copy()
        # Shown with the verdict as it is now; acting again is a decision made on that.
        if isinstance(error, services.StaleVerdict) and current is not None:
            data["version"] = str(current.version)
        return _respond(
            request,
            verdict.claim,
            status=_status_for(error),
            review_form=ReviewForm(data),
            errors=[str(error)],
        )
    return _done(request, verdict.claim, notice)


@reviewer_required
@vary_on_headers("HX-Request")
@require_POST
def verdict_approve(request, pk):
    return _review(request, pk, services.verdict_approve, "Verdict approved and published.")


@reviewer_required
@vary_on_headers("HX-Request")
@require_POST
def verdict_request_changes(request, pk):
    return _review(
        request, pk, services.verdict_request_changes, "Changes requested from the editor."
    )
