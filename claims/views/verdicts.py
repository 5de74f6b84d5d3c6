"""Writing a claim's verdict and moving it through review, on the claim's desk page.

Every action answers htmx with the verdict section redrawn, refusals included, with a status
code that says what happened. Without htmx, success redirects back to the claim and a refusal
renders the section on a page of its own, so nothing anyone typed is lost.
"""

from django.contrib import messages
from django.forms.formsets import TOTAL_FORM_COUNT
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap

from claims.access import claim_for_user, verdict_for_user
from claims.forms import EVIDENCE_PREFIX, MAX_EVIDENCE, EvidenceFormSet, ReviewForm, VerdictForm
from claims.models import EDITABLE_STATUSES
from claims.selectors.desk import open_verdict, verdict_section_context
from claims.selectors.review import outlets_with_articles, review_row
from claims.services import verdicts as services
from factcheck.errors import Refused, Stale
from factcheck.params import int_param
from factcheck.responses import refused, refused_back
from factcheck.roles import desk_member_required, editor_required, reviewer_required
from factcheck.search import without_nul

SECTION = "claims/desk/_verdict_section.html#section"
PAGE = "claims/desk/verdict_page.html"
_SHOW_OUTCOME = "show:#verdict-section:top"


def _respond(request, claim, **section):
    context = verdict_section_context(request.user, claim, **section)
    if request.htmx:
        response = render(request, SECTION, context)
        if section.get("notice"):
            # The editor clicked at the foot of a long form; the outcome is said at the top.
            response = reswap(response, f"outerHTML {_SHOW_OUTCOME}")
        return response
    context["claim"] = claim
    return render(request, PAGE, context)


def _refuse(request, claim, error, **section):
    """A refusal (``error``; None: the form did not validate): the section again with what
    was typed and why, said at its top (factcheck.responses)."""
    context = verdict_section_context(request.user, claim, **section)
    if request.htmx:
        return refused(request, SECTION, context, error=error, swap=f"outerHTML {_SHOW_OUTCOME}")
    context["claim"] = claim
    return refused(request, PAGE, context, error=error)


def _done(request, claim, notice: str):
    if request.htmx:
        return _respond(request, claim, notice=notice)
    messages.success(request, notice)
    return redirect("claim_detail", claim.pk)


def _kept_text_hint(claim, user) -> str:
    """After a stale save: where the verdict as it is now is shown (the section's cards,
    below the message), and what happens to the text the editor is still holding (the form,
    under them)."""
    current = open_verdict(claim)
    if current is None:
        return _(
            "Your text is kept in the form below; saving it starts a new version of the "
            "published verdict."
        )
    if current.status not in EDITABLE_STATUSES:
        return _(
            "It is now waiting for review and can't be edited; your text is kept in the form "
            "below so you can copy it."
        )
    if current.last_edited_by_id == user.pk:
        return _(
            "That version is shown below as the current verdict, and this page's text is kept "
            "in the form under it: saving again replaces that version with this text."
        )
    return _(
        "Their version is shown below as the current verdict, and your text is kept in the "
        "form under it: saving again replaces theirs with yours."
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
        errors = [_("The verdict was not saved: correct the fields marked below.")]
        return _refuse(request, claim, None, form=form, formset=formset, errors=errors)
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
    except Refused as error:
        errors = [str(error)]
        if isinstance(error, Stale):
            errors.append(_kept_text_hint(claim, request.user))
            current = open_verdict(claim)
            data["version"] = str(current.version) if current else ""
            form, formset = VerdictForm(data), EvidenceFormSet(data, prefix=EVIDENCE_PREFIX)
        return _refuse(request, claim, error, form=form, formset=formset, errors=errors)
    return _done(request, claim, _("Submitted for review.") if submit else _("Draft saved."))


def _editor_step(request, pk, service, notice: str):
    """Submit or withdraw: a versioned change of the verdict's status by an editor."""
    verdict = verdict_for_user(request.user, pk, for_change=True)
    version = int_param(request.POST.get("version", ""))
    try:
        service(verdict=verdict, user=request.user, version=-1 if version is None else version)
    except Refused as error:
        return _refuse(request, verdict.claim, error, errors=[str(error)])
    return _done(request, verdict.claim, notice)


@editor_required
@vary_on_headers("HX-Request")
@require_POST
def verdict_submit(request, pk):
    return _editor_step(request, pk, services.verdict_submit, _("Submitted for review."))


def _review(request, pk, action: str):
    """Approve or request changes, from the claim's page or from a row of the review page
    (``?from=review``): one endpoint per action, two fragments to answer with."""
    verdict = verdict_for_user(request.user, pk)
    data = request.POST.copy()
    data["comment"] = without_nul(data.get("comment"))  # a NUL is dropped, not refused
    form = ReviewForm(data)
    from_review = request.GET.get("from") == "review"
    error = None
    if not form.is_valid():
        messages = form.errors.get("comment") or [
            _("Reload the page: the review form was incomplete.")
        ]
        error = Refused(messages[0])
    else:
        try:
            SERVICES[action](
                verdict=verdict,
                user=request.user,
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except Refused as refused:
            error = refused
    if from_review:
        return _review_row(request, verdict, action, form, error)
    if error is None:
        return _done(request, verdict.claim, NOTICES[action])
    current = open_verdict(verdict.claim)
    errors = [str(error)]
    # Shown with the verdict as it is now; acting again is a decision made on that.
    if isinstance(error, Stale):
        errors.append(_("The verdict is shown below as it is now."))
        if current is not None:
            data["version"] = str(current.version)
    return _refuse(request, verdict.claim, error, review_form=ReviewForm(data), errors=errors)


APPROVE, REQUEST_CHANGES = "approve", "request_changes"
NOTICES = {
    APPROVE: _("Verdict approved and published."),
    REQUEST_CHANGES: _("Changes requested from the editor."),
}
SERVICES = {APPROVE: services.verdict_approve, REQUEST_CHANGES: services.verdict_request_changes}
ROW_NOTICES = {APPROVE: _("Approved and published."), REQUEST_CHANGES: _("Changes requested.")}


def _back(request) -> str:
    target = request.POST.get("next", "")
    # Only a path: redirect() would take "abc" for a URL name and fail to reverse it, and a
    # newline cannot go into a Location header.
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return reverse("review")


def _review_row(request, verdict, action: str, form, error):
    """The answer to a review page's row: the row redrawn (htmx) or back to the page."""
    comment = without_nul(form.data.get("comment"))
    statement = verdict.claim.statement
    if not request.htmx:
        if error is not None:
            kept = (
                " " + _("Your comment was not sent: “{comment}”").format(comment=comment)
                if comment
                else ""
            )
            message = f"“{statement}”: {error}{kept}"
            return refused_back(request, error, _back(request), message=message)
        messages.success(request, f"“{statement}”: {ROW_NOTICES[action]}")
        return redirect(_back(request))
    outlets = outlets_with_articles()
    row = review_row(request.user, verdict.claim_id, outlets)
    row.error = str(error) if error is not None else ""
    row.comment = comment if error is not None else ""
    # A refused request for changes keeps its form open: that is where the reviewer was typing.
    row.requesting = error is not None and action != APPROVE
    context = {"row": row, "outlets": outlets, "here": _back(request)}
    if error is not None:
        return refused(request, "claims/review/review.html#row", context, error=error)
    row.notice = ROW_NOTICES[action]
    return render(request, "claims/review/review.html#row", context)


@reviewer_required
@vary_on_headers("HX-Request")
@require_POST
def verdict_approve(request, pk):
    return _review(request, pk, APPROVE)


@reviewer_required
@vary_on_headers("HX-Request")
@require_POST
def verdict_request_changes(request, pk):
    return _review(request, pk, REQUEST_CHANGES)


@editor_required
@vary_on_headers("HX-Request")
@require_POST
def verdict_withdraw(request, pk):
    """Take a submitted verdict back to draft (an editor who contributed to it)."""
    return _editor_step(
        request,
        pk,
        services.verdict_withdraw,
        _("Withdrawn from review: the verdict is a draft again."),
    )
