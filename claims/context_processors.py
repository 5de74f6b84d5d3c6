from functools import cache

from claims.desk_names import DESK
from claims.selectors.review import waiting_count
from factcheck import roles


def desk(request):
    """The names the desk's pages share with their script (claims.desk_names), and for a
    reviewer the number of verdicts waiting for their review (the menu's count: one query,
    made only when a page draws the menu)."""
    context = {"DESK": DESK}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and roles.is_reviewer(user):
        # A callable: the template calls it where it draws the menu, once (cached).
        context["review_waiting"] = cache(lambda: waiting_count(user))
    return context
