"""The desk's pages for the web: add articles from addresses (with the import's progress),
outlets' feeds and their health, archived evidence (desk and public)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from articles.models import ImportBatch
from factcheck.errors import status_of
from factcheck.roles import desk_member_required, editor_required
from webfetch import services, tasks
from webfetch.forms import FeedForm, UrlsForm
from webfetch.models import EvidenceSnapshot, Feed


@editor_required
@require_http_methods(["GET", "POST"])
def web_import(request):
    form = UrlsForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            batch = tasks.web_import_queue(urls=form.cleaned_data["urls"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
            status = status_of(error)
        else:
            return redirect("web_import_progress", batch.pk)
    elif request.method == "POST":
        status = 422
    recent = ImportBatch.objects.filter(via=ImportBatch.Via.WEB, user=request.user)[:10]
    return render(
        request, "webfetch/web_import.html", {"form": form, "recent": recent}, status=status
    )


@editor_required
@require_safe
def web_import_progress(request, pk):
    batch = get_object_or_404(
        ImportBatch.objects.filter(via__in=[ImportBatch.Via.WEB, ImportBatch.Via.FEED]), pk=pk
    )
    records = batch.records.select_related("article", "article__outlet").defer(
        "article__body", "article__source_text", "article__source_html"
    )
    return render(
        request,
        "webfetch/web_import_progress.html",
        {"batch": batch, "records": records, "waiting": batch.queued_urls.all()[batch.done :]},
    )


@desk_member_required
@require_http_methods(["GET", "POST"])
def feed_list(request):
    form = FeedForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                feed = services.feed_add(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
                status = status_of(error)
            else:
                messages.success(
                    request,
                    _("Following %(url)s: the worker polls it shortly.") % {"url": feed.url},
                )
                return redirect("feed_list")
        else:
            status = 422
    feeds = Feed.objects.select_related("outlet")
    return render(
        request,
        "webfetch/feeds.html",
        {
            "feeds": feeds,
            "form": form,
            "can_add": services.can_import_from_web(request.user),
            "poll_minutes": settings.FEED_POLL_MINUTES,
        },
        status=status,
    )


@desk_member_required
@require_safe
def snapshot_desk(request, pk):
    snapshot = get_object_or_404(EvidenceSnapshot.objects.defer("raw"), pk=pk)
    return render(request, "webfetch/snapshot.html", {"snapshot": snapshot, "public": False})


@require_safe
def snapshot_public(request, pk):
    """An archived copy a published fact check links to; nothing else is public."""
    snapshot = get_object_or_404(EvidenceSnapshot.objects.defer("raw"), pk=pk)
    if not snapshot.published or not snapshot.ok:
        raise Http404("No archived copy here.")
    return render(request, "webfetch/snapshot.html", {"snapshot": snapshot, "public": True})
