from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from factcheck import admin_markup
from webfetch import services, tasks
from webfetch.forms import UrlsForm
from webfetch.models import EvidenceCheck, EvidenceSnapshot, Feed, QueuedUrl
from webfetch.pages import normalize_url


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QueuedUrl)
class QueuedUrlAdmin(ReadOnly, admin.ModelAdmin):
    """Addresses waiting for the worker; "Add" is the admin's import from the web, the same
    service as the desk's."""

    list_display = ["url", "batch", "position"]
    list_select_related = ["batch"]

    def has_add_permission(self, request, obj=None):
        return services.can_import_from_web(request.user)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UrlsForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                batch = tasks.web_import_queue(urls=form.cleaned_data["urls"], user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("Import %(number)s is queued: this page shows its progress.")
                    % {"number": batch.pk},
                    messages.SUCCESS,
                )
                return redirect("admin:articles_importbatch_change", batch.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import articles from the web"),
            "form": form,
        }
        return TemplateResponse(request, "admin/webfetch/web_import.html", context)


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["url", "outlet", "active", "last_success_at", "failures", "articles_found"]
    list_filter = ["active", "outlet"]
    list_select_related = ["outlet"]
    search_fields = ["url", "outlet__name"]
    autocomplete_fields = ["outlet"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "outlet":  # required: a placeholder choice, labelled
            kwargs["widget"] = admin_markup.LabelledAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    fields = [
        "outlet",
        "url",
        "active",
        *(
            health := [
                "added_by",
                "created_at",
                "last_polled_at",
                "last_success_at",
                "last_error",
                "last_error_at",
                "failures",
                "next_poll_at",
                "articles_found",
                "etag",
                "last_modified",
            ]
        ),
    ]
    readonly_fields = health

    def save_model(self, request, obj, form, change):
        if not services.can_import_from_web(request.user):
            raise PermissionDenied
        obj.url = normalize_url(obj.url)
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(EvidenceSnapshot)
class EvidenceSnapshotAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["url", "requested_at", "status", "error", "published"]
    list_filter = ["published", "requested_at"]
    search_fields = ["url", "final_url", "title"]
    exclude = ["raw"]


@admin.register(EvidenceCheck)
class EvidenceCheckAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["url", "checked_at", "dead", "reason"]
    list_filter = ["dead"]
    search_fields = ["url"]
