"""The annotation desk: read an article, highlight words, attach them to claims.

The page costs about the same with a thousand highlights as with none (the reads:
claims.selectors.article). Every write answers an htmx request with a small fragment
swapped out of band: the body segments the highlight touches (claims.highlight), the
panel's claim lines with the affected claim opened, the counts and the orphans. Without
htmx, writes redirect back to the article (edit and delete also work as plain pages).
Refusals go through factcheck.responses.
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from articles.access import article_for_user
from claims.access import annotation_for_user
from claims.desk_names import EVENTS
from claims.forms import AnnotationForm
from claims.models import AnnotationChange, Stance
from claims.selectors import article as selectors
from claims.selectors.article import GROUPS_SHOWN  # noqa: F401 (named by the browser tests)
from claims.services import annotations as services
from factcheck.params import int_param
from factcheck.responses import refused, refused_back
from factcheck.roles import desk_member_required, editor_required
from factcheck.search import clean_query

TEMPLATE = "claims/desk/article_detail.html"


def _errors(form: AnnotationForm) -> list[str]:
    return [m for errors in form.errors.values() for m in errors]


def _updated(request, article, *, spans=(), annotation_id=None, claim_id=None, notice=None):
    """The fragment after a write (claims.selectors.article.after_write), swapped out of
    band: the body segments the change touched and the panel (and ``notice``, what the
    panel says about it: {"text", "undo": the deletion to undo}, if anything)."""
    context = selectors.after_write(
        article, changed=spans, annotation_id=annotation_id, claim_id=claim_id
    )
    context["notice"] = notice
    response = render(request, f"{TEMPLATE}#desk_update", context)
    # Only the out-of-band parts land; the form that asked is closed by annotate.js.
    response["HX-Reswap"] = "none"
    changed = {EVENTS["changed"]: {"id": annotation_id}}
    response["HX-Trigger-After-Settle"] = json.dumps(changed)
    return response


@desk_member_required
@require_GET
def article_detail(request, pk):
    article = article_for_user(request.user, pk)
    return render(request, TEMPLATE, selectors.article_page(article))


@desk_member_required
@require_GET
def article_claim_groups(request, pk):
    """Every claim line of the panel ("Show all"), collapsed."""
    article = article_for_user(request.user, pk)
    return render(request, f"{TEMPLATE}#claim_groups", selectors.panel(article, everything=True))


@desk_member_required
@require_GET
def article_claim_highlights(request, pk, claim_pk):
    """The highlights of one claim in the article: its line in the panel, opened."""
    article = article_for_user(request.user, pk)
    entries = selectors.claim_entries(article, claim_pk)
    return render(request, f"{TEMPLATE}#panel_entries", {"entries": entries})


@desk_member_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def article_annotations(request, pk):
    """GET: the detail cards of ``?ids=3,7`` (a run of overlapping highlights).
    POST: highlight the selected words (editors)."""
    if request.method == "POST":
        return _annotation_create(request, pk)
    article = article_for_user(request.user, pk)
    ids = [i for i in map(int_param, request.GET.get("ids", "").split(",")) if i is not None]
    annotations = selectors.annotation_cards(article, ids)
    if not request.htmx:
        return redirect(article)
    return render(request, f"{TEMPLATE}#annotation_cards", {"annotations": annotations})


def _form_refused(request, error: ValidationError):
    """The refusal's messages, swapped into the errors of the form that was sent."""
    return refused(request, f"{TEMPLATE}#form_errors", {"errors": error.messages}, error=error)


def _refused(request, error: ValidationError, *, back_to):
    """A refused selection: the message in the form (htmx) or on the page it came from."""
    if request.htmx:
        return _form_refused(request, error)
    return refused_back(request, error, back_to)


def _drawn(annotation) -> list[tuple[int, int]]:
    """Where ``annotation`` is drawn in the body: its span, or nothing for an orphan."""
    return [] if annotation.orphaned else [(annotation.start, annotation.end)]


def _saved(request, annotation, *, before=()):
    """After a create, edit or re-attach: redraw where the highlight was (``before``) and is."""
    if request.htmx:
        return _updated(
            request,
            annotation.article,
            spans=[*before, *_drawn(annotation)],
            annotation_id=annotation.pk,
            claim_id=annotation.claim_id,
        )
    return redirect(annotation)


@editor_required
def _annotation_create(request, pk):
    article = article_for_user(request.user, pk, for_change=True)
    form = AnnotationForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_errors(form))
        annotation = services.annotation_create(
            article=article,
            user=request.user,
            start=int_param(request.POST.get("start")),
            end=int_param(request.POST.get("end")),
            exact=request.POST.get("exact", ""),
            **form.service_kwargs(),
        )
    except ValidationError as error:
        return _refused(request, error, back_to=article)
    return _saved(request, annotation)


@desk_member_required
@vary_on_headers("HX-Request")
@require_GET
def annotation_detail(request, pk):
    annotation = annotation_for_user(request.user, pk)
    if request.htmx:
        return render(request, f"{TEMPLATE}#annotation_cards", {"annotations": [annotation]})
    return render(request, "claims/desk/annotation_page.html", {"annotation": annotation})


@editor_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def annotation_edit(request, pk):
    annotation = annotation_for_user(request.user, pk, for_change=True)
    if request.method == "POST":
        form = AnnotationForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_errors(form))
            saved = services.annotation_update(
                annotation=annotation, user=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            if request.htmx:
                return _form_refused(request, error)
            context = {"annotation": annotation, "mode": "edit", "form": form}
            context.update(errors=error.messages, stances=Stance.choices)
            return refused(request, "claims/desk/annotation_page.html", context, error=error)
        saved.article = annotation.article
        return _saved(request, saved)
    form = AnnotationForm(
        initial={
            "claim": annotation.claim_id,
            "claim_text": annotation.claim.statement,
            "stance": annotation.stance,
            "note": annotation.note,
        }
    )
    context = {"annotation": annotation, "mode": "edit", "form": form, "stances": Stance.choices}
    if request.htmx:
        return render(request, f"{TEMPLATE}#edit_form", context)
    return render(request, "claims/desk/annotation_page.html", context)


@editor_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def annotation_delete(request, pk):
    annotation = annotation_for_user(request.user, pk, for_change=True)
    if request.method == "POST":
        article, was = annotation.article, _drawn(annotation)
        change = services.annotation_delete(annotation=annotation, user=request.user)
        if request.htmx:
            text = _("Highlight “{quote}” deleted.").format(quote=annotation.exact[:80])
            notice = {"text": text, "undo": change}
            return _updated(request, article, spans=was, notice=notice)
        messages.success(request, _("Highlight deleted."))
        return redirect(article)
    context = {"annotation": annotation, "mode": "delete"}
    if request.htmx:
        return render(request, f"{TEMPLATE}#delete_confirm", context)
    return render(request, "claims/desk/annotation_page.html", context)


@editor_required
@vary_on_headers("HX-Request")
@require_POST
def annotation_reattach(request, pk):
    annotation = annotation_for_user(request.user, pk, for_change=True)
    try:
        saved = services.annotation_reattach(
            annotation=annotation,
            user=request.user,
            start=int_param(request.POST.get("start")),
            end=int_param(request.POST.get("end")),
            exact=request.POST.get("exact", ""),
        )
    except ValidationError as error:
        return _refused(request, error, back_to=annotation.article)
    return _saved(request, saved, before=_drawn(annotation))


@editor_required
@vary_on_headers("HX-Request")
@require_POST
def annotation_restore(request, pk):
    """Undo a deletion (the desk's Undo after deleting a highlight): ``pk`` is the
    deletion's history entry."""
    change = get_object_or_404(AnnotationChange, pk=pk)
    article = article_for_user(request.user, change.article_id, for_change=True)
    try:
        annotation = services.annotation_restore(change=change, user=request.user)
    except ValidationError as error:
        return _refused(request, error, back_to=article)
    if request.htmx:
        return _updated(
            request,
            article,
            spans=_drawn(annotation),
            annotation_id=annotation.pk,
            claim_id=annotation.claim_id,
            notice={"text": _("Highlight brought back.")},
        )
    messages.success(request, _("Highlight brought back."))
    return redirect(annotation)


@editor_required
@vary_on_headers("HX-Request")
@require_POST
def annotation_undo_reanchor(request, pk):
    """Undo a correction's fuzzy re-anchoring of a highlight (editors)."""
    annotation = annotation_for_user(request.user, pk, for_change=True)
    was = (annotation.start, annotation.end)
    try:
        annotation = services.annotation_undo_reanchor(annotation=annotation, user=request.user)
    except ValidationError as error:
        return _refused(request, error, back_to=annotation.article)
    if request.htmx:
        spans = [was, (annotation.start, annotation.end)]
        return _updated(
            request,
            annotation.article,
            spans=spans,
            annotation_id=annotation.pk,
            claim_id=annotation.claim_id,
        )
    if annotation.orphaned:
        message = _(
            "Re-anchoring undone: the previous words are gone, so the highlight is orphaned."
        )
    else:
        message = _("Re-anchoring undone: the highlight is back on its previous words.")
    messages.success(request, message)
    return redirect(annotation.article)


@editor_required
@require_GET
def claim_suggest(request):
    """Type-ahead for the annotate form: claims similar to ``q``, best match first
    (claims.selectors.article.claim_suggestions)."""
    typed = request.GET.get("q", request.GET.get("claim_text", ""))
    context = selectors.claim_suggestions(clean_query(typed))
    # The text the answer is about, as typed: the script says "existing claim" only while
    # the input still holds it (the one statement key is the server's).
    context["typed"] = typed
    return render(request, f"{TEMPLATE}#suggestions", context)
