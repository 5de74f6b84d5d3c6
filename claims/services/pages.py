"""The about, methodology and rating-scale pages: every text they had is kept
(``PageRevision``), and the rating scale — which defines what every published rating means —
changes only when a second person approves the new text (README, "Security").

Called from the admin, inside its transaction.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.models import Page, PageRevision
from factcheck.errors import NotAllowed
from factcheck.roles import User

TEXT_FIELDS = ("title", "description", "body")


def page_revise(*, page: Page, user: User) -> PageRevision:
    """Keep the text the admin form put on ``page`` (not saved yet) as a revision. A page
    that needs no second person is saved at once; a reviewed page keeps its published text
    and the revision waits for ``page_revision_approve``."""
    reviewed = page.slug in Page.REVIEWED and (
        page.pk is not None or Page.objects.filter(slug=page.slug).exists()
    )
    text = {field: getattr(page, field) for field in TEXT_FIELDS}
    if not reviewed:
        page.save()
    elif page.pk is None:
        # The rating scale in another language: the page exists from now on, empty — which
        # the public site reads as absent (the default language's is shown) — until a
        # second administrator approves its first text.
        for field in TEXT_FIELDS:
            setattr(page, field, "")
        page.save()
    return PageRevision.objects.create(
        page_id=page.pk,
        written_by=user,
        approved_at=None if reviewed else timezone.now(),
        **text,
    )


def page_revision_approve(*, revision: PageRevision, user: User) -> Page:
    """Publish a waiting revision of a reviewed page: by a superuser who did not write it."""
    if not user.is_superuser:
        raise NotAllowed(_("Only administrators approve the text of the rating scale."))
    if revision.approved_at is not None:
        raise NotAllowed(_("This text was approved already."))
    if revision.written_by_id == user.pk:
        raise NotAllowed(_("You wrote this text, so another administrator has to approve it."))
    page = Page.objects.select_for_update().get(pk=revision.page_id)
    for field in TEXT_FIELDS:
        setattr(page, field, getattr(revision, field))
    page.save()
    revision.approved_by, revision.approved_at = user, timezone.now()
    revision.save(update_fields=["approved_by", "approved_at"])
    return page
