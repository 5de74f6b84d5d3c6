"""The annotation desk: read an article, highlight words, attach them to claims.

Every write answers an htmx request with one fragment that swaps the article body and the
side panel out of band, so the page never reloads. Without htmx, writes redirect back to
the article (edit and delete also work as plain pages).
"""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from articles.access import article_for_user
from articles.text import shorten
from claims.access import annotation_for_user
from claims.highlight import render_body
from claims.models import Claim, Stance
from claims.services import annotations as services
from factcheck.params import int_param
from factcheck.roles import desk_member_required, editor_required
from factcheck.search import clean_query

TEMPLATE = "claims/desk/article_detail.html"
SUGGESTIONS = 8


class AnnotationForm(forms.Form):
    """Claim (chosen from the type-ahead, or typed as a new one), stance and note."""

    claim = forms.IntegerField(required=False, widget=forms.HiddenInput)
    claim_text = forms.CharField(required=False, max_length=500, label="Claim")
    stance = forms.ChoiceField(
        choices=Stance.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a stance: asserts, attributes or disputes.",
            "invalid_choice": "Choose a stance: asserts, attributes or disputes.",
        },
    )
    note = forms.CharField(required=False, widget=forms.Textarea, label="Note")

    def clean_claim(self):
        pk = self.cleaned_data.get("claim")
        if pk is None:
            return None
        claim = Claim.objects.filter(pk=pk).first()
        if claim is None:
            raise ValidationError("That claim no longer exists; choose another or type a new one.")
        return claim

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "claim": data["claim"],
            "new_claim_statement": data["claim_text"],
            "stance": data["stance"],
            "note": data["note"],
        }


def _errors(form: AnnotationForm | None, error: ValidationError | None = None) -> list[str]:
    found = [m for errors in form.errors.values() for m in errors] if form is not None else []
    if error is not None:
        found.extend(error.messages)
    return found


def _page_context(article) -> dict:
    """Everything the article page and its out-of-band update need, in a fixed number of
    queries whatever the number of annotations."""
    annotations = list(
        article.annotations.select_related("claim", "author").order_by("start", "end", "pk")
    )
    for a in annotations:
        # Cut here, not with |truncatechars: a thousand highlights made that filter the
        # page's slowest part.
        a.short_quote = shorten(a.exact, 140)
    live = [a for a in annotations if not a.orphaned]
    groups: dict[int, dict] = {}
    for a in live:
        groups.setdefault(a.claim_id, {"claim": a.claim, "annotations": []})["annotations"].append(
            a
        )
    return {
        "article": article,
        "body_html": render_body(article.body, live),
        "claim_groups": sorted(groups.values(), key=lambda g: g["annotations"][0].start),
        "annotation_count": len(live),
        "orphans": [a for a in annotations if a.orphaned],
        "stances": Stance.choices,
    }


def _updated(request, article, *, annotation_id: int | None = None):
    """The fragment that redraws the body and the panel after a write."""
    response = render(request, f"{TEMPLATE}#desk_update", _page_context(article))
    # Only the out-of-band parts land; the form that asked is closed by annotate.js.
    response["HX-Reswap"] = "none"
    response["HX-Trigger-After-Settle"] = json.dumps({"annotationsChanged": {"id": annotation_id}})
    return response


def _error(request, messages_list: list[str], *, template: str = f"{TEMPLATE}#form_errors"):
    return render(request, template, {"errors": messages_list}, status=400)


@desk_member_required
@require_GET
def article_detail(request, pk):
    article = article_for_user(request.user, pk)
    return render(request, TEMPLATE, _page_context(article))


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
    ids = ids[:50]
    annotations = article.annotations.filter(pk__in=ids).select_related("claim", "author")
    if not request.htmx:
        return redirect(article)
    return render(request, f"{TEMPLATE}#annotation_cards", {"annotations": annotations})


def _refused(request, error: ValidationError, *, back_to):
    """A refused selection: the message in the form (htmx) or on the page it came from."""
    if request.htmx:
        return _error(request, error.messages)
    messages.error(request, " ".join(error.messages))
    return redirect(back_to)


def _saved(request, annotation):
    if request.htmx:
        return _updated(request, annotation.article, annotation_id=annotation.pk)
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
            services.annotation_update(
                annotation=annotation, user=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            if request.htmx:
                return _error(request, error.messages)
            return render(
                request,
                "claims/desk/annotation_page.html",
                {
                    "annotation": annotation,
                    "mode": "edit",
                    "form": form,
                    "errors": error.messages,
                    "stances": Stance.choices,
                },
                status=400,
            )
        if request.htmx:
            return _updated(request, annotation.article, annotation_id=annotation.pk)
        return redirect(annotation)
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
        article = annotation.article
        services.annotation_delete(annotation=annotation, user=request.user)
        if request.htmx:
            return _updated(request, article)
        messages.success(request, "Highlight deleted.")
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
        services.annotation_reattach(
            annotation=annotation,
            user=request.user,
            start=int_param(request.POST.get("start")),
            end=int_param(request.POST.get("end")),
            exact=request.POST.get("exact", ""),
        )
    except ValidationError as error:
        return _refused(request, error, back_to=annotation.article)
    return _saved(request, annotation)


@editor_required
@require_GET
def claim_suggest(request):
    """Type-ahead for the annotate form: claims whose statement contains ``q``, widest reach
    first (in how many outlets each appears)."""
    query = request.GET.get("q", request.GET.get("claim_text", "")).strip()
    # The typed text may already be a claim (same statement but for case and spacing):
    # saving would reuse it, so the form says so rather than "New claim".
    typed = clean_query(query)  # PostgreSQL refuses NUL
    existing = Claim.objects.with_reach().with_key(typed).first() if typed else None
    claims = Claim.objects.with_reach().search(query)
    if existing is not None:
        claims = claims.exclude(pk=existing.pk)
    claims = claims.order_by("-outlet_count", "statement")[:SUGGESTIONS]
    return render(
        request,
        f"{TEMPLATE}#suggestions",
        {"claims": claims, "query": query, "existing": existing},
    )
