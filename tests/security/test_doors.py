"""Issue 24, "Four eyes with no side doors": the doors outside the desk's own forms — the
admin, the account powers, the sign-in, the pages — keep the same rule: nothing reaches the
public, or leaves it, unless a second person approved it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimChange, ClaimRedirect, Page, PageRevision, RoleGrant
from claims.services import verdicts
from claims.services.grants import role_grant_confirm
from factcheck import roles
from factcheck.errors import NotAllowed
from tests import factories

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _submitted_by(author):
    claim = factories.ClaimFactory()
    verdict = verdicts.verdict_save_and_submit(
        claim=claim, user=author, rating="false", summary="No.", evidence=[], version=None
    )
    return claim, verdict


# --- finding 6: a superuser mints a reviewer and approves their own verdict ---------------


def test_a_reviewer_made_in_the_admin_cannot_approve_until_a_second_superuser_confirms():
    boss = factories.AdminFactory()
    puppet = factories.UserFactory(username="puppet")
    reviewers = Group.objects.get(name=roles.REVIEWERS)
    admin = _client(boss)
    page = admin.get(reverse("admin:auth_user_change", args=[puppet.pk]))
    data = {
        "username": "puppet",
        "is_active": "on",
        "groups": [reviewers.pk],
        "date_joined_0": page.context["adminform"].form["date_joined"].value().date(),
        "date_joined_1": "00:00:00",
    }
    response = admin.post(reverse("admin:auth_user_change", args=[puppet.pk]), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    grant = RoleGrant.objects.get(user=puppet)
    assert grant.granted_by == boss and grant.confirmed_at is None

    # The superuser's own verdict, approved with the account they just made: refused.
    claim, verdict = _submitted_by(boss)
    with pytest.raises(NotAllowed, match="reviewer powers are new"):
        verdicts.verdict_approve(verdict=verdict, user=puppet, version=verdict.version)
    # The desk shows no button the server would refuse.
    html = _client(puppet).get(reverse("claim_detail", args=[claim.pk])).text
    assert ">Approve</button>" not in html and "reviewer powers are new" in html

    # The superuser cannot confirm their own grant, in the admin's action or otherwise.
    admin.post(
        reverse("admin:claims_rolegrant_changelist"),
        {"action": "confirm", "_selected_action": [grant.pk]},
    )
    grant.refresh_from_db()
    assert grant.confirmed_at is None
    with pytest.raises(NotAllowed):
        role_grant_confirm(grant=grant, user=puppet)

    # A second superuser confirms: the new reviewer may review, not their own work.
    _client(factories.AdminFactory()).post(
        reverse("admin:claims_rolegrant_changelist"),
        {"action": "confirm", "_selected_action": [grant.pk]},
    )
    grant.refresh_from_db()
    assert grant.confirmed_at is not None
    puppet = type(puppet).objects.get(pk=puppet.pk)
    assert verdicts.verdict_approve(verdict=verdict, user=puppet, version=verdict.version)


def test_reviewer_powers_from_any_door_wait_for_the_cooling_off(settings):
    settings.REVIEWER_COOLING_OFF_HOURS = 72
    editor = factories.EditorFactory()
    fresh = factories.UserFactory()
    fresh.groups.add(Group.objects.get(name=roles.REVIEWERS))  # a shell, a command
    promoted = factories.UserFactory()
    promoted.is_superuser = True
    promoted.save()
    for user in (fresh, promoted):
        _, verdict = _submitted_by(editor)
        with pytest.raises(NotAllowed, match="reviewer powers are new"):
            verdicts.verdict_approve(verdict=verdict, user=user, version=verdict.version)
    RoleGrant.objects.update(granted_at=timezone.now() - timedelta(hours=73))
    for user in (fresh, promoted):
        user = type(user).objects.get(pk=user.pk)
        _, verdict = _submitted_by(editor)
        assert verdicts.verdict_approve(verdict=verdict, user=user, version=verdict.version)


# --- finding 8: a superuser's second factor guards the desk's powers too ------------------


@override_settings(ADMIN_REQUIRE_OTP=True)
def test_a_superuser_without_the_second_factor_has_no_desk_powers():
    boss = factories.AdminFactory()
    claim, verdict = _submitted_by(factories.EditorFactory())
    desk = _client(boss)  # signed in on the desk's page: the password alone
    html = desk.get(reverse("claim_detail", args=[claim.pk])).text
    assert ">Approve</button>" not in html and "one-time code" in html
    response = desk.post(
        reverse("verdict_approve", args=[verdict.pk]), {"version": verdict.version}
    )
    assert response.status_code == 403
    verdict.refresh_from_db()
    assert verdict.status == "submitted"


# --- finding 10: passwords -----------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaaaa", "abcabcabcabc", "passwordpassword", "Aa1Aa1Aa1Aa1", "zzzzzzzz1111"]
)
def test_repetitive_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, factories.UserFactory.build(username="someone"))


def test_a_varied_password_passes():
    validate_password("correct horse battery staple", factories.UserFactory.build())


# --- finding 11: claims made in the admin ------------------------------------------------


@pytest.mark.parametrize("slug", ["feed", "merged-away"])
def test_the_admin_gives_a_new_claim_no_reserved_or_merged_address(admin_client, slug):
    ClaimRedirect.objects.create(slug="merged-away", claim=factories.ClaimFactory())
    response = admin_client.post(
        reverse("admin:claims_claim_add"),
        {"statement": "A claim made in the admin", "slug": slug, "claimant": "",
         "claimant_type": "", "annotations-TOTAL_FORMS": "0",
         "annotations-INITIAL_FORMS": "0", "annotations-MIN_NUM_FORMS": "0",
         "annotations-MAX_NUM_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Claim.objects.filter(statement="A claim made in the admin").exists()


def test_a_claim_made_in_the_admin_records_its_wording_as_a_contribution(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:claims_claim_add"),
        {"statement": "A claim made in the admin", "slug": "a-claim-made-in-the-admin",
         "claimant": "", "claimant_type": "", "annotations-TOTAL_FORMS": "0",
         "annotations-INITIAL_FORMS": "0", "annotations-MIN_NUM_FORMS": "0",
         "annotations-MAX_NUM_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    claim = Claim.objects.get(statement="A claim made in the admin")
    change = ClaimChange.objects.get(claim=claim)
    assert (change.user, change.statement_before, change.statement_after) == (
        admin_user, "", claim.statement,
    )  # fmt: skip
    from claims.services.publishing import contributor_ids

    assert admin_user.pk in contributor_ids(claim)


# --- finding 13: the pages' texts ---------------------------------------------------------


def _page_post(client, page, body):
    return client.post(
        reverse("admin:claims_page_change", args=[page.pk]),
        {"title": page.title, "description": page.description, "body": body},
    )


def test_the_rating_scale_changes_only_when_a_second_administrator_approves(client):
    page = Page.objects.get(slug="ratings")
    before = client.get(reverse("page_ratings")).text
    author = factories.AdminFactory()
    response = _page_post(_client(author), page, "## True\n\nWhatever we like.")
    assert response.status_code == 302
    assert "Whatever we like" not in client.get(reverse("page_ratings")).text
    revision = PageRevision.objects.get(page=page, approved_at__isnull=True)
    assert revision.written_by == author

    action = {"action": "approve", "_selected_action": [revision.pk]}
    _client(author).post(reverse("admin:claims_pagerevision_changelist"), action)
    assert "Whatever we like" not in client.get(reverse("page_ratings")).text
    _client(factories.AdminFactory()).post(reverse("admin:claims_pagerevision_changelist"), action)
    assert "Whatever we like" in client.get(reverse("page_ratings")).text
    assert before != client.get(reverse("page_ratings")).text


def test_the_about_page_keeps_every_text(admin_client):
    page = Page.objects.get(slug="about")
    for body in ("First text.", "Second text."):
        assert _page_post(admin_client, page, body).status_code == 302
    texts = list(PageRevision.objects.filter(page=page).order_by("written_at", "pk"))
    assert [t.body for t in texts] == ["First text.", "Second text."]
    assert all(t.approved_at for t in texts)


def test_check_deploy_passes_in_production_settings(tmp_path):
    """`manage.py check --deploy` with DEBUG=0 finds nothing (issue 24, "Done when")."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-secret-key-for-the-deploy-check-only-1234567890",
        "ALLOWED_HOSTS": "factcheck.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' plugin
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
