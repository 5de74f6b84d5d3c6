"""Server-side access to articles: every desk view goes through here, and so do the admin's
import page and the middleware that lets its uploads be larger (``can_import``)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from articles.models import Article
from factcheck import roles


def article_for_user(user, pk, *, for_change: bool = False) -> Article:
    """The article ``pk`` if ``user`` may read it (desk members) or change it (editors)."""
    allowed = roles.is_editor(user) if for_change else roles.is_desk_member(user)
    if not allowed:
        raise PermissionDenied
    # The fetched HTML of a web article is kept, never shown: left in the database.
    return get_object_or_404(Article.objects.select_related("outlet").defer("source_html"), pk=pk)


# Importing articles (the admin's upload): the permission the Editors group and superusers hold.
IMPORT_PERMISSION = "articles.add_article"


def can_import(user) -> bool:
    """Whether ``user`` may import article files (the admin's upload, its larger body)."""
    return user.is_active and user.has_perm(IMPORT_PERMISSION)
