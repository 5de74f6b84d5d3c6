"""Who may do what. Roles are Django groups (made by the data migration
claims/migrations/0002_roles.py); checks go through permissions, so a superuser or a user
given a permission directly also passes (docs/architecture.md, "Roles")."""

from functools import wraps

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

# The type of ``user`` that services take (the project uses Django's default user model).
User = AbstractUser

EDITORS = "Editors"
REVIEWERS = "Reviewers"

# The permission that marks each role; the groups carry more (see the data migration).
EDIT_PERMISSION = "claims.add_annotation"
REVIEW_PERMISSION = "claims.review_verdict"
DESK_PERMISSION = "claims.view_claim"


def is_desk_member(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(DESK_PERMISSION)


def is_editor(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(EDIT_PERMISSION)


def is_reviewer(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION)


# What the 403 page tells a signed-in user who lacks the role.
ROLE_NEEDED = {
    "is_desk_member": "This page is for the fact-checking desk: editors and reviewers.",
    "is_editor": "This page is for editors.",
    "is_reviewer": "This page is for reviewers: only they approve verdicts and publish.",
}


def _required(check):
    """Anonymous visitors are sent to sign in; signed-in users without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied(ROLE_NEEDED[check.__name__])
            return view(request, *args, **kwargs)

        wrapped.required_role = check.__name__  # read by the URL audit in the tests
        return wrapped

    return decorator


desk_member_required = _required(is_desk_member)
editor_required = _required(is_editor)
reviewer_required = _required(is_reviewer)
