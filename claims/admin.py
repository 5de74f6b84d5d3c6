"""Claims in the admin. Annotations and verdicts are shown, not edited: on the desk their
services keep the history, the offsets contract and the four-eyes rule, and the admin would
bypass all three."""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.admin import ArticleAdmin, ReadOnlyMixin
from articles.models import Article
from articles.text import shorten
from claims.highlight import runs
from claims.models import (
    Annotation,
    AnnotationChange,
    ArticleCorrection,
    Claim,
    ClaimChange,
    ClaimMerge,
    ClaimRedirect,
    ClaimWording,
    Comment,
    EvidenceLink,
    NotificationPreference,
    Page,
    PublishedRevision,
    Verdict,
    VerdictTransition,
    VerdictVersion,
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


class ArticleAnnotationInline(ReadOnlyMixin, admin.TabularInline):
    """The article's highlights; they are made and changed on the desk, with their history."""

    model = Annotation
    fields = ["exact", "claim", "stance", "start", "end", "orphaned", "author", "created_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name_plural = "annotations (made on the desk)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claim", "author")


class ArticleWithAnnotationsAdmin(ArticleAdmin):
    """The articles admin with what claims adds to an article: its highlights, listed and
    marked in the text. Registered here so that ``articles`` never imports ``claims``."""

    inlines = [*ArticleAdmin.inlines, ArticleAnnotationInline]
    list_display = [
        *ArticleAdmin.list_display[:-2],
        "annotation_count",
        *ArticleAdmin.list_display[-2:],
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(annotation_count=Count("annotations"))

    @admin.display(description="Annotations", ordering="annotation_count")
    def annotation_count(self, obj):
        return obj.annotation_count

    @admin.display(description="Text (read-only; highlights marked)")
    def text(self, obj):
        annotations = list(obj.annotations.select_related("claim"))
        claims = {a.pk: f"{a.get_stance_display()}: {a.claim}" for a in annotations}
        parts = []
        for run in runs(obj.body, annotations):
            text = obj.body[run.start : run.end]
            if run.ids:
                label = " · ".join(claims[pk] for pk in run.ids)
                parts.append(format_html('<mark title="{}">{}</mark>', label, text))
            else:
                parts.append(format_html("{}", text))
        body = mark_safe("".join(parts))  # every part went through format_html
        return format_html('<div class="article-text">{}</div>', body)


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithAnnotationsAdmin)


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
        # The wording changes on the desk, where it is kept in history and reviewed.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "slug", "statement", "claimant"] if obj else readonly

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
        return shorten(obj.exact, 80)

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


@admin.register(ClaimChange)
class ClaimChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["claim", "statement_after", "user", "at"]
    list_select_related = ["claim", "user"]
    search_fields = ["statement_before", "statement_after", "user__username"]
    date_hierarchy = "at"


@admin.register(ClaimWording)
class ClaimWordingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only: wordings change on the claim's desk page, with their history."""

    list_display = ["claim", "language", "text", "updated_at"]
    list_select_related = ["claim"]
    list_filter = ["language"]
    search_fields = ["text", "claim__statement"]


@admin.register(VerdictVersion)
class VerdictVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["verdict", "number", "rating", "saved_by", "saved_at"]
    list_select_related = ["verdict__claim", "saved_by"]
    search_fields = ["verdict__claim__statement", "summary", "saved_by__username"]
    date_hierarchy = "saved_at"


@admin.register(PublishedRevision)
class PublishedRevisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Published revisions are the public record: frozen, never edited or deleted here."""

    list_display = ["statement", "number", "rating", "published_by", "published_at"]
    list_filter = ["rating", "published_at"]
    list_select_related = ["published_by"]
    search_fields = ["statement", "slug", "claimant"]
    date_hierarchy = "published_at"


@admin.register(ClaimMerge)
class ClaimMergeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["source_statement", "target", "annotations_moved", "user", "at"]
    list_select_related = ["target", "user"]
    search_fields = ["source_statement", "source_slug", "target__statement"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        # The merged claim's published record (megabytes for a viral claim; not editable, so
        # not on the change page either) is read on the desk.
        return super().get_queryset(request).defer("source_revisions")


@admin.register(ClaimRedirect)
class ClaimRedirectAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["slug", "claim"]
    list_select_related = ["claim"]
    search_fields = ["slug", "claim__statement"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Comments are written on the desk, where their mentions are resolved and mailed."""

    list_display = ["claim", "verdict", "author", "created_at"]
    list_select_related = ["claim", "verdict__claim", "author"]
    search_fields = ["body", "claim__statement", "author__username"]
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email"]
    list_select_related = ["user"]
    list_filter = ["email"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """The about, methodology and rating-scale pages: admins edit their Markdown."""

    list_display = ["title", "slug", "updated_at"]
    fields = ["slug", "title", "description", "body"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def view_on_site(self, obj):
        return obj.get_absolute_url()


@admin.register(ArticleCorrection)
class ArticleCorrectionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "article",
        "author",
        "created_at",
        "kept",
        "moved",
        "reanchored",
        "orphaned",
        "ambiguous",
    ]
    list_filter = ["created_at"]
    list_select_related = ["article", "author"]
    search_fields = ["article__title", "reason"]
    date_hierarchy = "created_at"
