"""The radar's rows in the admin, read-only: suggestions change by scans, rejections on the
desk."""

from django.contrib import admin

from articles.admin import ReadOnlyMixin
from radar.models import Rejection, Scan, Suggestion


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["claim", "article", "stance", "score", "created_at"]
    list_select_related = ["claim", "article"]
    list_filter = ["stance"]
    search_fields = ["claim__statement", "exact"]
    raw_id_fields = ["article", "claim"]


@admin.register(Rejection)
class RejectionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["claim", "article", "user", "at"]
    list_select_related = ["claim", "article", "user"]
    search_fields = ["claim__statement", "exact", "user__username"]
    raw_id_fields = ["article", "claim"]


@admin.register(Scan)
class ScanAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["pk", "status", "article", "claim", "done", "total", "found", "created_at"]
    list_select_related = ["article", "claim"]
    list_filter = ["status"]
    raw_id_fields = ["article", "claim"]
