"""Correcting an article's text (editors). The re-anchoring lives in the service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from articles.access import article_for_user
from claims.forms import CorrectionForm
from claims.selectors.article import corrections
from claims.services.corrections import article_correct
from factcheck.errors import Stale
from factcheck.responses import refused
from factcheck.roles import desk_member_required

TEMPLATE = "claims/desk/article_correct.html"


@desk_member_required
@require_http_methods(["GET", "POST"])
def article_correct_view(request, pk):
    article = article_for_user(request.user, pk, for_change=True)
    if request.method == "GET":
        form = CorrectionForm(initial={"text": article.body, "content_hash": article.content_hash})
        return render(request, TEMPLATE, _context(article, form))
    form, error, current_changed = CorrectionForm(request.POST), None, False
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
        except Stale as stale:
            article.refresh_from_db()
            # Keep what the editor typed; the next save is against the text they saw now.
            post = request.POST.copy()
            post["content_hash"] = article.content_hash
            form = CorrectionForm(post)
            form.is_valid()
            form.add_error(None, stale)
            error, current_changed = stale, True
        except ValidationError as refusal:
            form.add_error(None, refusal)
            error = refusal
        else:
            messages.success(
                request, _("Correction saved: {summary}.").format(summary=correction.summary())
            )
            return redirect(article)
    context = _context(article, form, current_changed=current_changed)
    return refused(request, TEMPLATE, context, error=error)


def _context(article, form, *, current_changed=False) -> dict:
    return {
        "article": article,
        "form": form,
        "corrections": corrections(article),
        "current_changed": current_changed,
    }
