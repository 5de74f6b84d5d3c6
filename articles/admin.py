from pathlib import PurePosixPath

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.access import can_import
from articles.forms import ImportUploadForm
from articles.models import (
    Article,
    ArticleShingle,
    ImportBatch,
    ImportRecord,
    ImportUpload,
    Outlet,
)
from articles.tasks import import_batch
from factcheck import admin_markup


class ReadOnlyMixin:
    """Records of what happened (imports, history): shown, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NeedsMetadataFilter(admin.SimpleListFilter):
    title = "metadata"
    parameter_name = "metadata"

    def lookups(self, request, model_admin):
        return [("missing", "Needs metadata"), ("complete", "Complete")]

    def queryset(self, request, queryset):
        complete = Q(outlet__isnull=False) & ~Q(title="") & Q(published_on__isnull=False)
        if self.value() == "missing":
            return queryset.filter(~complete)
        if self.value() == "complete":
            return queryset.filter(complete)
        return queryset


# Article.missing_metadata's names, as the admin says them.
MISSING = {"outlet": _("outlet"), "title": _("title"), "date": _("date")}


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "article_count"]
    search_fields = ["name", "domain"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("Articles"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Metadata is edited here; the text is not: corrections go through the desk, which
    re-anchors the annotations. Articles arrive through the bulk import, not the add form."""

    list_display = [
        "__str__",
        "outlet",
        "published_on",
        "language",
        "metadata_status",
        "imported_at",
    ]
    list_filter = [NeedsMetadataFilter, "outlet", "language", "published_on", "imported_at"]
    list_select_related = ["outlet"]
    search_fields = ["title", "body", "source_filename", "outlet__name", "url"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["outlet"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "outlet":  # optional: its empty choice needs a label
            kwargs["widget"] = admin_markup.LabelledAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    readonly_fields = [
        "text",
        "source_filename",
        "source_encoding",
        "source_sha256",
        "content_hash",
        "source_text",
        "source_url",
        "canonical_url",
        "fetched_at",
        "copy_of",
        "imported_by",
        "imported_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "outlet", "published_on", "url", "language", "authors"]}),
        ("Text", {"fields": ["text"]}),
        (
            "Source file",
            {
                "classes": ["collapse"],
                "fields": [
                    "source_filename",
                    "source_url",
                    "canonical_url",
                    "fetched_at",
                    "copy_of",
                    "source_encoding",
                    "source_sha256",
                    "content_hash",
                    "imported_by",
                    "imported_at",
                    "updated_at",
                    "source_text",
                ],
            },
        ),
    ]

    class Media:
        css = {"all": ["articles/admin.css"]}

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Metadata"))
    def metadata_status(self, obj):
        if obj.needs_metadata:
            return format_html('<span class="needs-metadata">{}</span>', _("needs metadata"))
        return _("complete")

    @admin.display(description=_("Text (read-only)"))
    def text(self, obj):
        return format_html(
            '<div class="article-text" tabindex="0" role="region" aria-label="{}">{}</div>',
            gettext("The article's text"),
            obj.body,
        )

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="articles_article_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": can_import(request.user)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not can_import(request.user):
            raise PermissionDenied
        form = ImportUploadForm()
        if request.method == "POST":
            form = ImportUploadForm(request.POST, request.FILES)
            if form.is_valid():
                batch = _batch_queue(form.cleaned_data["files"], request.user)
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
            "title": _("Import article files"),
            "form": form,
            "max_bytes": _max_bytes(),
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)


def _batch_queue(files, user) -> ImportBatch:
    """Store the uploaded files for the worker (README, "Background imports") and queue the
    batch; the request returns at once."""
    batch = ImportBatch.objects.create(via=ImportBatch.Via.ADMIN, user=user)
    for position, file in enumerate(files):
        name = PurePosixPath(file.name.replace("\\", "/")).name[-255:]
        ImportUpload.objects.create(batch=batch, position=position, name=name, file=file)
    import_batch.enqueue(batch.pk)
    return batch


def _max_bytes() -> str:
    return f"{settings.ARTICLE_MAX_BYTES / 1024 / 1024:g} MB"


class ImportRecordInline(ReadOnlyMixin, admin.TabularInline):
    model = ImportRecord
    fields = ["filename", "outcome", "metadata", "reason", "article"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article")
            .defer("article__body", "article__source_text", "article__source_html")
        )

    @admin.display(description=_("Metadata"))
    def metadata(self, obj):
        """An imported file whose text named no outlet or date is flagged, not just
        "Imported": someone has to fill it in before the desk can use it."""
        if obj.article is None:
            return "—"
        missing = obj.article.missing_metadata
        if not missing:
            return _("complete")
        return format_html(
            '<span class="needs-metadata">{}</span> ({}) · <a href="{}">{}</a>',
            _("needs metadata"),
            _("no %(fields)s") % {"fields": _(" or ").join(str(MISSING[name]) for name in missing)},
            reverse("admin:articles_article_change", args=[obj.article_id]),
            _("fill in"),
        )


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The batch page shows its progress and reloads itself while the worker runs it."""

    list_display = [
        "__str__",
        "via",
        "user",
        "status",
        "progress",
        "started_at",
        "finished_at",
        "imported",
        "duplicates",
        "failed",
    ]
    list_filter = ["status", "via", "started_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "records__filename"]
    date_hierarchy = "started_at"
    inlines = [ImportRecordInline]
    exclude = ["error"]
    change_form_template = "admin/articles/importbatch/change_form.html"

    @admin.display(description=_("Files done"))
    def progress(self, obj):
        return f"{obj.done} / {'?' if obj.total is None else obj.total}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self.get_object(request, object_id)
        extra = {}
        if batch is not None:
            extra = {
                "batch": batch,
                "import_url": reverse("admin:articles_article_import"),
                "needs_metadata": batch.records.filter(
                    article__in=Article.objects.needing_metadata()
                ).count(),
                "needs_metadata_url": reverse("admin:articles_article_changelist")
                + "?metadata=missing",
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})


@admin.register(ImportRecord)
class ImportRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["filename", "outcome", "reason", "article", "batch"]
    list_filter = ["outcome", "batch__via", "batch__started_at"]
    list_select_related = ["article", "batch"]
    search_fields = ["filename", "reason"]


@admin.register(ArticleShingle)
class ArticleShingleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The sketches copies are found by (articles.importing, "Copies of one story")."""

    list_display = ["article", "hash"]
    list_select_related = ["article"]
    raw_id_fields = ["article"]


@admin.register(ImportUpload)
class ImportUploadAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Uploaded files waiting for the worker; deleted once their batch has run."""

    list_display = ["name", "batch", "position"]
    list_select_related = ["batch"]


admin.site.site_header = admin.site.site_title = f"{settings.SITE_NAME} administration"
