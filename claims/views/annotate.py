"""The annotation desk: read an article, highlight words, attach them to claims.

The page costs about the same with a thousand highlights as with none: the body is drawn
from five columns per highlight, and the side panel lists one collapsed line per claim
(``GROUPS_SHOWN`` of them, the rest on demand); a claim's highlights load when its line is
opened. Every write answers an htmx request with a small fragment swapped out of band: the
body segments the highlight touches (claims.highlight), the panel's claim lines with the
affected claim opened, the counts and the orphans. Without htmx, writes redirect back to the
article (edit and delete also work as plain pages).
"""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from articles.access import article_for_user
from articles.text import shorten, soft_breaks
from claims.access import annotation_for_user
from claims.highlight import render_segments, segment_bounds, segments_touching
from claims.models import Annotation, AnnotationChange, Claim, Stance
from claims.services import annotations as services
from factcheck.params import int_param
from factcheck.roles import desk_member_required, editor_required
from factcheck.sanitize import validate_markdown_length
from factcheck.search import clean_query

TEMPLATE = "claims/desk/article_detail.html"
SUGGESTIONS = 8
GROUPS_SHOWN = 20  # claim lines in the side panel before "Show all"


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
    note = forms.CharField(
        required=False, widget=forms.Textarea, label="Note", validators=[validate_markdown_length]
    )

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


def _spans(article, lo: int | None = None, hi: int | None = None):
    """What drawing the live highlights of ``article`` needs (those touching ``body[lo:hi]``
    when given): named rows of id, start, end, stance and claim id, without their quote,
    context or note, in no particular order (claims.highlight sorts them)."""
    rows = Annotation.objects.live().filter(article=article)
    if lo is not None:
        rows = rows.filter(start__lt=hi, end__gt=lo)
    return list(rows.order_by().values_list("id", "start", "end", "stance", "claim_id", named=True))


def _short(annotations):
    for a in annotations:
        # Cut here, not with |truncatechars: a thousand highlights made that filter the
        # page's slowest part.
        a.short_quote = shorten(a.exact, 140)
        # The latest correction gave it new words (a small edit inside the quote): shown
        # with an undo until something else moves it.
        # (Only live highlights reach here.)
        action = getattr(a, "last_anchor_action", None)
        a.reanchored = action == AnnotationChange.Action.REANCHORED
    return annotations


def _entries(article, claim_id: int, only: int | None = None) -> list[Annotation]:
    """One claim's live highlights in ``article`` (just ``only`` when given), for its opened
    line in the panel."""
    rows = Annotation.objects.live().filter(article=article, claim_id=claim_id)
    if only is not None:
        rows = rows.filter(pk=only)
    last_anchor_action = Subquery(
        AnnotationChange.objects.filter(
            annotation=OuterRef("pk"), action__in=services.ANCHOR_ACTIONS
        )
        .order_by("-at", "-id")
        .values("action")[:1]
    )
    return _short(
        list(
            rows.select_related("author")
            .only("id", "stance", "start", "exact", "created_at", "author__username")
            .annotate(last_anchor_action=last_anchor_action)
            .order_by("start", "end", "pk")
        )
    )


def _panel_context(
    article, *, opened: int | None = None, entry: int | None = None, everything: bool = False
) -> dict:
    """The side panel: one line per claim (counts by stance, in order of first appearance),
    the first ``GROUPS_SHOWN`` unless ``everything``; ``opened`` (a claim id) comes open with
    its highlight ``entry`` (the others load on demand). Two or three queries whatever the
    number of highlights."""
    stance_counts = {value: Count("id", filter=Q(stance=value)) for value, _ in Stance.choices}
    rows = list(
        Annotation.objects.live()
        .filter(article=article)
        .values("claim_id", "claim__statement")
        .annotate(count=Count("id"), first=Min("start"), **stance_counts)
        .order_by("first", "claim_id")
    )
    shown = rows if everything else rows[:GROUPS_SHOWN]
    if opened is not None and not any(r["claim_id"] == opened for r in shown):
        shown += [r for r in rows if r["claim_id"] == opened]
    groups = []
    for row in shown:
        groups.append(
            {
                "claim_id": row["claim_id"],
                "statement": row["claim__statement"],
                # Reversed here: {% url %} twice per line was most of the panel's cost.
                "claim_url": reverse("claim_detail", args=[row["claim_id"]]),
                "entries_url": reverse(
                    "article_claim_highlights", args=[article.pk, row["claim_id"]]
                ),
                "count": row["count"],
                "stances": [(v, label, row[v]) for v, label in Stance.choices if row[v]],
                "entries": (
                    _entries(article, opened, only=entry) if row["claim_id"] == opened else None
                ),
            }
        )
    orphans = _short(
        list(
            article.annotations.orphaned()
            .select_related("claim")
            .only("id", "stance", "exact", "claim__statement")
            .order_by("start", "end", "pk")
        )
    )
    return {
        "article": article,
        "claim_groups": groups,
        "hidden_groups": len(rows) - len(shown),
        "group_total": len(rows),
        "annotation_count": sum(row["count"] for row in rows),
        "orphans": orphans,
        "stances": Stance.choices,
    }


def _page_context(article) -> dict:
    """Everything the article page needs, in a fixed number of queries whatever the number
    of annotations."""
    return {
        **_panel_context(article),
        "body_html": render_segments(article.body, _spans(article), segment_bounds(article.body)),
    }


def _consecutive(indexes: list[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 7, 8] → [(1, 3), (7, 8)]."""
    ranges: list[tuple[int, int]] = []
    for i in indexes:
        if ranges and ranges[-1][1] == i - 1:
            ranges[-1] = (ranges[-1][0], i)
        else:
            ranges.append((i, i))
    return ranges


def _updated(request, article, *, spans=(), annotation_id=None, claim_id=None):
    """The fragment after a write: the body segments touching ``spans`` ((start, end) pairs,
    before and after the change), redrawn with every highlight in them, and the panel."""
    bounds, soft = segment_bounds(article.body), soft_breaks(article.body)
    touched = set()
    for start, end in spans:
        first, last = segments_touching(bounds, start, end)
        touched.update(range(first, last + 1))
    segments = []
    for first, last in _consecutive(sorted(touched)):
        drawn = _spans(article, bounds[first], bounds[last + 1])
        segments.append(
            render_segments(article.body, drawn, bounds, first, last, oob=True, soft=soft)
        )
    context = {
        **_panel_context(article, opened=claim_id, entry=annotation_id),
        "segments": segments,
    }
    response = render(request, f"{TEMPLATE}#desk_update", context)
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
@require_GET
def article_claim_groups(request, pk):
    """Every claim line of the panel ("Show all"), collapsed."""
    article = article_for_user(request.user, pk)
    return render(request, f"{TEMPLATE}#claim_groups", _panel_context(article, everything=True))


@desk_member_required
@require_GET
def article_claim_highlights(request, pk, claim_pk):
    """The highlights of one claim in the article: its line in the panel, opened."""
    article = article_for_user(request.user, pk)
    return render(request, f"{TEMPLATE}#panel_entries", {"entries": _entries(article, claim_pk)})


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
        services.annotation_delete(annotation=annotation, user=request.user)
        if request.htmx:
            return _updated(request, article, spans=was)
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
        message = "Re-anchoring undone: the previous words are gone, so the highlight is orphaned."
    else:
        message = "Re-anchoring undone: the highlight is back on its previous words."
    messages.success(request, message)
    return redirect(annotation.article)


@editor_required
@require_GET
def claim_suggest(request):
    """Type-ahead for the annotate form: claims similar to ``q`` (most of its words by stem,
    in any order, a half-typed word as a prefix, or a misspelling: ``Claim.objects.search``),
    best match first, then widest reach (in how many outlets each appears); before anything
    is typed, the widest reach. The typed text
    may already be a claim (same statement but for case and spacing): saving would reuse it,
    so the form says so rather than "New claim"."""
    query = clean_query(request.GET.get("q", request.GET.get("claim_text", "")))
    existing = Claim.objects.with_key(query).first() if query else None
    claims = Claim.objects.search(query, prefix=True).only("pk", "statement", "outlet_count")
    if existing is not None:
        claims = claims.exclude(pk=existing.pk)
    reach = ("-outlet_count", "statement")  # all there is to sort by before anything is typed
    claims = claims.order_by(*(("-rank", *reach) if query else reach))[:SUGGESTIONS]
    return render(
        request,
        f"{TEMPLATE}#suggestions",
        {"claims": claims, "query": query, "existing": existing},
    )
