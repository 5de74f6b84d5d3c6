"""Claims in the admin. Annotations and verdicts are shown, not edited: on the desk their
services keep the history, the offsets contract and the four-eyes rule, and the admin would
bypass all three."""

from django.contrib import admin
from django.utils.text import Truncator

from articles.admin import ReadOnlyMixin
from claims.models import (
    Annotation,
    AnnotationChange,
    Claim,
    EvidenceLink,
    Verdict,
    VerdictTransition,
)


class ClaimAnnotationInline(ReadOnlyMixin, admin.TabularInline):
    model = Annotation
    fields = ["article", "exact", "stance", "orphaned", "author", "created_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name_plural = "appearances (annotations)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "author")


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = [
        "statement",
        "slug",
        "claimant",
        "outlet_count",
        "appearance_count",
        "created_at",
    ]
    list_filter = ["created_at"]
    search_fields = ["statement", "slug", "claimant"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    prepopulated_fields = {"slug": ["statement"]}
    inlines = [ClaimAnnotationInline]

    def get_readonly_fields(self, request, obj=None):
        # A published claim's slug is its public address: it must not change under readers.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "slug"] if obj else readonly

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else super().get_prepopulated_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Annotation)
class AnnotationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "quote",
        "article",
        "outlet",
        "claim",
        "stance",
        "orphaned",
        "author",
        "created_at",
    ]
    list_filter = ["stance", "orphaned", "article__outlet", "created_at"]
    list_select_related = ["article__outlet", "claim", "author"]
    search_fields = ["exact", "note", "claim__statement", "article__title"]
    date_hierarchy = "created_at"

    @admin.display(description="Quote", ordering="exact")
    def quote(self, obj):
        return Truncator(obj.exact).chars(80)

    @admin.display(description="Outlet", ordering="article__outlet__name")
    def outlet(self, obj):
        return obj.article.outlet


@admin.register(AnnotationChange)
class AnnotationChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "action", "article", "user", "at"]
    list_filter = ["action", "at"]
    list_select_related = ["article", "user"]
    search_fields = ["article__title", "user__username", "annotation_key"]
    date_hierarchy = "at"


class EvidenceLinkInline(ReadOnlyMixin, admin.TabularInline):
    model = EvidenceLink
    fields = ["title", "url", "publisher", "note", "position"]
    readonly_fields = fields
    extra = 0


class VerdictTransitionInline(ReadOnlyMixin, admin.TabularInline):
    model = VerdictTransition
    fields = ["at", "user", "from_status", "to_status", "comment"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Verdict)
class VerdictAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "claim",
        "rating",
        "status",
        "author",
        "reviewer",
        "updated_at",
        "approved_at",
    ]
    list_filter = ["status", "rating", "approved_at", "updated_at"]
    list_select_related = ["claim", "author", "reviewer"]
    search_fields = ["claim__statement", "summary", "author__username"]
    date_hierarchy = "updated_at"
    inlines = [EvidenceLinkInline, VerdictTransitionInline]


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "publisher", "url", "verdict"]
    list_filter = ["verdict__status", "publisher"]
    list_select_related = ["verdict__claim"]
    search_fields = ["title", "url", "publisher", "verdict__claim__statement"]


@admin.register(VerdictTransition)
class VerdictTransitionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["verdict", "from_status", "to_status", "user", "at"]
    list_filter = ["to_status", "from_status", "at"]
    list_select_related = ["verdict__claim", "user"]
    search_fields = ["verdict__claim__statement", "comment", "user__username"]
    date_hierarchy = "at"
