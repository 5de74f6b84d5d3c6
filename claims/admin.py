"""Claims in the admin. Annotations and verdicts are shown, not edited: on the desk their
services keep the history, the offsets contract and the four-eyes rule, and the admin would
bypass all three. What the admin does edit and a published page shows — an article's
details, an outlet's name, the pages' texts — goes through the same rules (README,
"Security"): recorded as a contribution on the claims that quote it, or kept as a revision
that a second person approves."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.admin import ArticleAdmin, OutletAdmin, ReadOnlyMixin
from articles.models import Article, Outlet
from articles.text import shorten
from claims.forms import ClaimAddForm
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
    MergeProposal,
    NotificationPreference,
    Page,
    PageRevision,
    PublishedRevision,
    RoleGrant,
    Verdict,
    VerdictTransition,
    VerdictVersion,
)
from claims.services.grants import role_grant_confirm
from claims.services.pages import page_revise, page_revision_approve
from claims.services.sources import article_details_record, outlet_name_record, shown_fields
from factcheck import admin_markup
from factcheck.errors import Refused


class ClaimAnnotationInline(ReadOnlyMixin, admin.TabularInline):
    model = Annotation
    fields = ["article", "exact", "stance", "orphaned", "author", "created_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name_plural = _("appearances (annotations)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "author")


class ArticleAnnotationInline(ReadOnlyMixin, admin.TabularInline):
    """The article's highlights; they are made and changed on the desk, with their history."""

    model = Annotation
    fields = ["exact", "claim", "stance", "start", "end", "orphaned", "author", "created_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name_plural = _("annotations (made on the desk)")

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

    @admin.display(description=_("Annotations"), ordering="annotation_count")
    def annotation_count(self, obj):
        return obj.annotation_count

    @admin.display(description=_("Text (read-only; highlights marked)"))
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
        return format_html(
            '<div class="article-text" tabindex="0" role="region" aria-label="{}">{}</div>',
            gettext("The article's text"),
            body,
        )

    def save_model(self, request, obj, form, change):
        """A change to what fact checks show of the article (title, date, address,
        language, outlet) is recorded on every claim that quotes it, for a second person
        to publish (``claims.services.sources``)."""
        before = shown_fields(Article.objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        if change and (
            touched := article_details_record(article=obj, before=before, user=request.user)
        ):
            self.message_user(request, _waits(touched), messages.WARNING)


def _waits(claims: int) -> str:
    return ngettext(
        "Recorded as a change to the {count} claim that quotes it: published fact checks show "
        "it once a reviewer who made none of it publishes it.",
        "Recorded as a change to the {count} claims that quote it: published fact checks show "
        "it once a reviewer who made none of it publishes it.",
        claims,
    ).format(count=claims)


class OutletWithClaimsAdmin(OutletAdmin):
    """The outlets admin: a renamed outlet is recorded on the claims quoting its articles."""

    def save_model(self, request, obj, form, change):
        before = Outlet.objects.filter(pk=obj.pk).values_list("name", flat=True).first()
        super().save_model(request, obj, form, change)
        if change and (touched := outlet_name_record(outlet=obj, before=before, user=request.user)):
            self.message_user(request, _waits(touched), messages.WARNING)


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithAnnotationsAdmin)
admin.site.unregister(Outlet)
admin.site.register(Outlet, OutletWithClaimsAdmin)


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
        # The wording and the claimant (and its type) change on the desk, where they are
        # kept in history and reviewed.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "slug", "statement", "claimant", "claimant_type"] if obj else readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ClaimAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else super().get_prepopulated_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            # Its wording is the author's contribution, as a claim typed on the desk is.
            ClaimChange.objects.create(
                claim=obj,
                user=request.user,
                statement_before="",
                statement_after=obj.statement,
                claimant_before="",
                claimant_after=obj.claimant,
                note="Made in the admin.",
            )


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

    @admin.display(description=_("Quote"), ordering="exact")
    def quote(self, obj):
        return shorten(obj.exact, 80)

    @admin.display(description=_("Outlet"), ordering="article__outlet__name")
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
    readonly_fields = ["highlight_choices"]  # what the reviewers chose for moving highlights

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
    """The about, methodology and rating-scale pages: admins edit their Markdown. Every text
    is kept; the rating scale's new text waits for another administrator's approval
    (Page revisions › Approve)."""

    list_display = ["title", "slug", "language", "updated_at"]
    list_filter = ["language"]
    fields = ["slug", "language", "title", "description", "body", "texts"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug", "language", "texts"] if obj else ["texts"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # One page per slug and language (README, "Languages"): the site's languages only.
        if db_field.name == "language":
            return forms.ChoiceField(
                choices=settings.LANGUAGES,
                initial=settings.LANGUAGE_CODE,
                label=_("Language"),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("Kept texts"))
    def texts(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        waiting = obj.revisions.filter(approved_at__isnull=True).count()
        url = reverse("admin:claims_pagerevision_changelist") + f"?page__id__exact={obj.pk}"
        return format_html(
            '<a href="{}">{}</a>{}',
            url,
            _("{count} kept").format(count=obj.revisions.count()),
            " · " + _("{count} waiting for approval").format(count=waiting) if waiting else "",
        )

    def view_on_site(self, obj):
        return obj.get_absolute_url()

    def save_model(self, request, obj, form, change):
        revision = page_revise(page=obj, user=request.user)
        if revision.approved_at is None:
            self.message_user(
                request,
                _(
                    "The new text is kept and waits for another administrator's approval "
                    "(Page revisions); readers see the current text until then."
                ),
                messages.WARNING,
            )


@admin.register(PageRevision)
class PageRevisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["page", "title", "written_by", "written_at", "approved_by", "approved_at"]
    list_filter = ["page", "approved_at"]
    list_select_related = ["page", "written_by", "approved_by"]
    actions = ["approve"]

    @admin.action(description=_("Approve and publish the selected texts"))
    def approve(self, request, queryset):
        for revision in queryset.order_by("written_at"):
            try:
                page_revision_approve(revision=revision, user=request.user)
            except Refused as error:
                self.message_user(request, f"{revision}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request, _("{page} now shows the approved text.").format(page=revision.page)
                )


@admin.register(MergeProposal)
class MergeProposalAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Proposed merges of published claims, confirmed on the desk by a second reviewer."""

    list_display = ["source", "target", "proposed_by", "at"]
    list_select_related = ["source", "target", "proposed_by"]


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Reviewer powers given to an account: held back until a second administrator confirms
    them (Confirm) or the cooling-off ends."""

    list_display = ["user", "granted_by", "granted_at", "confirmed_by", "confirmed_at"]
    list_select_related = ["user", "granted_by", "confirmed_by"]
    list_filter = ["confirmed_at", "granted_at"]
    actions = ["confirm"]

    @admin.action(description=_("Confirm the selected reviewer powers"))
    def confirm(self, request, queryset):
        for grant in queryset:
            try:
                role_grant_confirm(grant=grant, user=request.user)
            except Refused as error:
                self.message_user(request, f"{grant}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request, _("Confirmed: {user} may now review.").format(user=grant.user)
                )


User = get_user_model()


class UserWithGrantsAdmin(UserAdmin):
    """Django's users admin; reviewer powers given here are recorded with who gave them, so
    that this administrator cannot confirm them too (claims.services.grants)."""

    form = admin_markup.UserForm
    change_password_form = admin_markup.PasswordChangeForm

    def save_related(self, request, form, formsets, change):
        started = timezone.now()
        super().save_related(request, form, formsets, change)
        RoleGrant.objects.filter(
            user=form.instance, granted_by=None, granted_at__gte=started
        ).update(granted_by=request.user)

    def save_model(self, request, obj, form, change):
        started = timezone.now()
        super().save_model(request, obj, form, change)
        RoleGrant.objects.filter(user=obj, granted_by=None, granted_at__gte=started).update(
            granted_by=request.user
        )


admin.site.unregister(User)
admin.site.register(User, UserWithGrantsAdmin)


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
