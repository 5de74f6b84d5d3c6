"""The radar's desk endpoints: accept, reject, rescan, and a scan's progress."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from articles.access import article_for_user
from claims.models import Stance
from factcheck.roles import desk_member_required, editor_required
from radar import services
from radar.access import scan_for_user, suggestion_for_user


class AcceptForm(forms.Form):
    stance = forms.ChoiceField(
        choices=Stance.choices,
        error_messages={"invalid_choice": "Choose a stance: asserts, attributes or disputes."},
    )


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _article_url(article_id: int) -> str:
    return reverse("article_detail", args=[article_id]) + "#radar"


@require_POST
@editor_required
def suggestion_accept(request, pk):
    suggestion = suggestion_for_user(request.user, pk, for_change=True)
    form = AcceptForm(request.POST)
    back = _back(request, _article_url(suggestion.article_id))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["stance"]))
        back.status_code = 303
        return back
    try:
        services.suggestion_accept(
            suggestion=suggestion, user=request.user, stance=form.cleaned_data["stance"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Highlight added from the suggestion."))
    return back


@require_POST
@editor_required
def suggestion_reject(request, pk):
    suggestion = suggestion_for_user(request.user, pk, for_change=True)
    back = _back(request, _article_url(suggestion.article_id))
    try:
        services.suggestion_reject(suggestion=suggestion, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Suggestion rejected: it will not be suggested again."))
    return back


@require_POST
@editor_required
def article_rescan(request, pk):
    article = article_for_user(request.user, pk, for_change=True)
    services.article_rescan(article=article, user=request.user)
    messages.success(request, _("The article is being scanned for known claims."))
    return redirect(_article_url(article.pk))


@require_GET
@desk_member_required
def scan_progress(request, pk):
    scan = scan_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": scan.status,
            "label": scan.get_status_display(),
            "done": scan.done,
            "total": scan.total,
            "found": scan.found,
            "active": scan.is_active,
        }
    )
