"""Keep each claim's reach (``Claim.outlet_count``, ``Claim.appearance_count``) current.

Every save or delete of an annotation, through any path that sends model signals (the desk's
services, the admin, an article's cascade delete, test factories), recounts the claims it
touches; a new highlight adds one to its claim's appearances, and one to its outlets unless
the claim was already in that outlet (``ClaimQuerySet.add_appearance``), without reading
every appearance. Bulk writes send no signals: they call
``Claim.objects.filter(...).refresh_reach()`` themselves (corrections, ``manage.py make_archive``).

Also record every grant of reviewer powers, whatever the door (admin, shell, commands):
``RoleGrant`` rows, which hold the new reviewer back (``claims.policy.reviewer_hold``).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from articles.models import Article
from claims.models import Annotation, Claim, RoleGrant
from claims.services.preferences import language_preference
from factcheck import roles
from factcheck.middleware import LANGUAGE_SESSION_KEY

User = get_user_model()


@receiver(post_save, sender=Annotation, dispatch_uid="claims-reach-annotation-saved")
def annotation_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    if created and not instance.orphaned:  # one more appearance: no recount of them all
        Claim.objects.add_appearance(instance)
    else:
        claim_ids = {instance.claim_id, getattr(instance, "_loaded_claim_id", None)} - {None}
        Claim.objects.filter(pk__in=claim_ids).refresh_reach()
    instance._loaded_claim_id = instance.claim_id


@receiver(post_delete, sender=Annotation, dispatch_uid="claims-reach-annotation-deleted")
def annotation_deleted(sender, instance, **kwargs):
    Claim.objects.filter(pk=instance.claim_id).refresh_reach()


@receiver(post_save, sender=Article, dispatch_uid="claims-reach-article-saved")
def article_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """An article moved to another outlet changes its claims' outlet counts."""
    if created or raw or (update_fields is not None and "outlet" not in update_fields):
        return
    claim_ids = Annotation.objects.filter(article=instance).values("claim_id")
    Claim.objects.filter(pk__in=claim_ids).refresh_reach()


# --- reviewer powers granted (claims.policy.reviewer_hold) -------------------------------


def _gives_review(group_ids) -> bool:
    from django.contrib.auth.models import Group

    app_label, codename = roles.REVIEW_PERMISSION.split(".")
    return Group.objects.filter(
        pk__in=group_ids,
        permissions__content_type__app_label=app_label,
        permissions__codename=codename,
    ).exists()


def _grant(user_ids) -> None:
    RoleGrant.objects.bulk_create(RoleGrant(user_id=pk) for pk in user_ids)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="claims-grant-groups")
def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Someone joined Reviewers (or any group with the review permission), by any door."""
    if action != "post_add" or not pk_set:
        return
    if reverse:  # group.user_set.add(users)
        if _gives_review([instance.pk]):
            _grant(pk_set)
    elif _gives_review(pk_set):
        _grant([instance.pk])


@receiver(
    m2m_changed, sender=User.user_permissions.through, dispatch_uid="claims-grant-permissions"
)
def permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """The review permission given to a user directly."""
    if action != "post_add" or not pk_set:
        return
    app_label, codename = roles.REVIEW_PERMISSION.split(".")
    review = Permission.objects.filter(
        pk__in=pk_set if not reverse else [instance.pk],
        content_type__app_label=app_label,
        codename=codename,
    ).exists()
    if review:
        _grant(pk_set if reverse else [instance.pk])


@receiver(pre_save, sender=User, dispatch_uid="claims-grant-superuser")
def superuser_made(sender, instance, raw=False, update_fields=None, **kwargs):
    """An account created as, or made, a superuser: every power, reviewing included."""
    if raw or not instance.is_superuser:
        return
    if update_fields is not None and "is_superuser" not in update_fields:
        return
    was = instance.pk is not None and (
        User.objects.filter(pk=instance.pk, is_superuser=True).exists()
    )
    instance._becomes_superuser = not was


@receiver(post_save, sender=User, dispatch_uid="claims-grant-superuser-saved")
def superuser_saved(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_becomes_superuser", False):
        instance._becomes_superuser = False
        _grant([instance.pk])


@receiver(user_logged_in, dispatch_uid="claims-language-at-sign-in")
def language_at_sign_in(sender, request, user, **kwargs):
    """The person's desk language, kept in the session from sign-in on, so no desk page
    reads it again (factcheck.middleware.person_language)."""
    if request is not None and hasattr(request, "session"):
        request.session[LANGUAGE_SESSION_KEY] = language_preference(user)
