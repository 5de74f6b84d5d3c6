"""Fact checks approved before published revisions existed keep their public page."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("claims", "0002_roles"), ("articles", "0001_initial")]
AFTER = [("claims", "0004_publish_existing")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_existing_approved_verdicts_become_first_revisions():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("auth", "User")
    Outlet = apps.get_model("articles", "Outlet")
    Article = apps.get_model("articles", "Article")
    Claim = apps.get_model("claims", "Claim")
    Annotation = apps.get_model("claims", "Annotation")
    Verdict = apps.get_model("claims", "Verdict")
    EvidenceLink = apps.get_model("claims", "EvidenceLink")

    editor = User.objects.create(username="old-editor")
    reviewer = User.objects.create(username="old-reviewer")
    outlet = Outlet.objects.create(name="online.ua")
    body = "Putin congratulated Trump, a source said."
    article = Article.objects.create(
        outlet=outlet, title="Old news", body=body, content_hash="x" * 64, language="uk"
    )
    claim = Claim.objects.create(statement="Putin congratulated Trump", slug="old-claim")
    twin = Claim.objects.create(statement="putin  congratulated TRUMP", slug="old-claim-2")
    Annotation.objects.create(
        article=article, claim=claim, stance="asserts", start=0, end=5, exact="Putin",
        author=editor,
    )  # fmt: skip
    approved_at = timezone.now()
    verdict = Verdict.objects.create(
        claim=claim, rating="false", summary="No.", summary_html="<p>No &amp; never.</p>",
        status="approved", author=editor, last_edited_by=editor, reviewer=reviewer,
        approved_at=approved_at,
    )  # fmt: skip
    EvidenceLink.objects.create(verdict=verdict, url="https://example.org/", title="Source")
    Verdict.objects.create(
        claim=twin, rating="true", summary="Draft.", status="draft", author=editor,
        last_edited_by=editor,
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Claim = apps.get_model("claims", "Claim")
    revision = Claim.objects.get(pk=claim.pk).published_revision
    assert revision.number == 1 and revision.published_at == approved_at
    assert revision.summary_text == "No & never."
    assert revision.evidence == [
        {"url": "https://example.org/", "title": "Source", "publisher": "", "note": ""}
    ]
    assert revision.appearances[0]["quotes"] == [{"quote": "Putin", "stance": "asserts"}]
    assert revision.appearances[0]["outlet"] == "online.ua"
    assert Claim.objects.get(pk=twin.pk).published_revision is None
    # Two statements that differ only in case and spacing keep distinct keys: no data lost.
    keys = set(Claim.objects.values_list("key", flat=True))
    assert keys == {"putin congratulated trump", f"putin congratulated trump #{twin.pk}"}
    VerdictVersion = apps.get_model("claims", "VerdictVersion")
    assert VerdictVersion.objects.count() == 2

    call_command("migrate", verbosity=0)  # leave the schema as the other tests expect it
