"""Correcting an article's text (editors). The re-anchoring lives in the service."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from articles.access import article_for_user
from claims.services.corrections import article_correct
from factcheck.errors import Stale
from factcheck.roles import desk_member_required


class CorrectionForm(forms.Form):
    # Whitespace is text here: offsets count every character, so nothing is stripped.
    text = forms.CharField(
        label="Corrected text",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "class": "correction-text", "spellcheck": "true"}),
    )
    reason = forms.CharField(
        label="Reason for the correction",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown in the article's correction history.",
    )
    # The text the form was built from: a correction saved meanwhile is not overwritten.
    content_hash = forms.CharField(widget=forms.HiddenInput)


@desk_member_required
@require_http_methods(["GET", "POST"])
def article_correct_view(request, pk):
    article = article_for_user(request.user, pk, for_change=True)
    current_changed = False
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                correction = article_correct(
                    article=article,
                    user=request.user,
                    new_text=data["text"],
                    reason=data["reason"],
                    expected_hash=data["content_hash"],
                )
            except Stale as error:
                article.refresh_from_db()
                # Keep what the editor typed; the next save is against the text they saw now.
                post = request.POST.copy()
                post["content_hash"] = article.content_hash
                form = CorrectionForm(post)
                form.is_valid()
                form.add_error(None, error)
                current_changed = True
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Correction saved: {correction.summary()}.")
                return redirect(article)
    else:
        form = CorrectionForm(initial={"text": article.body, "content_hash": article.content_hash})
    corrections = article.corrections.select_related("author")
    return render(
        request,
        "claims/desk/article_correct.html",
        {
            "article": article,
            "form": form,
            "corrections": corrections,
            "current_changed": current_changed,
        },
    )
