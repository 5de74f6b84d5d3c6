"""The desk's home: articles to annotate (search, outlet, "needs metadata"), my drafts and
the claims assigned to me; the activity feed; my notification settings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from claims.forms import PreferencesForm
from claims.selectors.activity import activity_page
from claims.selectors.desk import desk_home, notification_preference
from claims.services.preferences import language_preference, notification_preference_set
from factcheck.middleware import LANGUAGE_SESSION_KEY
from factcheck.params import int_param
from factcheck.roles import desk_member_required
from factcheck.search import clean_query


@desk_member_required
def desk(request):
    query = clean_query(request.GET.get("q"))
    outlet = request.GET.get("outlet", "")
    missing = request.GET.get("metadata") == "missing"
    context = desk_home(
        request.user,
        query=query,
        outlet=outlet,
        missing=missing,
        page_number=request.GET.get("page"),
    )
    context.update(
        query=query, outlet=outlet, missing=missing, filtered=bool(query or outlet or missing)
    )
    return render(request, "claims/desk/home.html", context)


@desk_member_required
@require_safe
def activity(request):
    """Recent history across the desk, newest first (claims.selectors.activity)."""
    page = activity_page(int_param(request.GET.get("page", "")))
    return render(request, "claims/desk/activity.html", {"page": page})


@desk_member_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            language = form.cleaned_data["language"]
            notification_preference_set(
                user=request.user, email=form.cleaned_data["email"], language=language
            )
            request.session[LANGUAGE_SESSION_KEY] = language  # the desk's from now on
            if form.cleaned_data["email"]:
                messages.success(request, _("E-mail notifications are on."))
            else:
                messages.success(request, _("E-mail notifications are off."))
            return redirect("preferences")
    else:
        form = PreferencesForm(
            initial={
                "email": notification_preference(request.user),
                "language": language_preference(request.user),
            }
        )
    return render(request, "claims/desk/preferences.html", {"form": form})
