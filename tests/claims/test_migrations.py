"""Fact checks approved before published revisions existed keep their public page."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.migrations import migrate_to

BEFORE = [("claims", "0002_roles"), ("articles", "0001_initial")]
AFTER = [("claims", "0004_publish_existing")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_existing_approved_verdicts_become_first_revisions():
    apps = migrate_to(BEFORE)
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

    apps = migrate_to(AFTER)
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


MOVE_BEFORE = [("articles", "0005_article_desk_order_index"), ("claims", "0011_comment_verdict")]
MOVE_AFTER = [("claims", "0012_articlecorrection_from_articles")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_corrections_keep_their_rows_and_permissions_when_the_model_moves_to_claims():
    apps = migrate_to(MOVE_BEFORE)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Correction = apps.get_model("articles", "ArticleCorrection")
    article = apps.get_model("articles", "Article").objects.create(
        title="Corrected", body="Putin congratulated Trump.", content_hash="c" * 64
    )
    author = apps.get_model("auth", "User").objects.create(username="old-corrector")
    old = Correction.objects.create(
        article=article, previous_body="Putin congratulatd Trump.", reason="typo",
        author=author, kept=3, moved=1, reanchored=1, orphaned=2, ambiguous=1,
    )  # fmt: skip
    content_type = ContentType.objects.get(app_label="articles", model="articlecorrection")
    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(codename="add_articlecorrection").exists()

    apps = migrate_to(MOVE_AFTER)
    moved = apps.get_model("claims", "ArticleCorrection").objects.get(pk=old.pk)
    assert (moved.article_id, moved.author_id, moved.reason, moved.previous_body) == (
        article.pk,
        author.pk,
        "typo",
        "Putin congratulatd Trump.",
    )
    assert (moved.kept, moved.moved, moved.reanchored, moved.orphaned, moved.ambiguous) == (
        3,
        1,
        1,
        2,
        1,
    )
    assert moved.created_at == old.created_at
    ContentType = apps.get_model("contenttypes", "ContentType")
    assert ContentType.objects.get(app_label="claims", model="articlecorrection").pk == (
        content_type.pk
    )  # relabelled: the permissions, the groups holding them and the admin's log follow
    editors = apps.get_model("auth", "Group").objects.get(name="Editors")
    assert editors.permissions.filter(
        content_type__app_label="claims", codename="add_articlecorrection"
    ).exists()

    apps = migrate_to(MOVE_BEFORE)  # and back
    assert apps.get_model("articles", "ArticleCorrection").objects.get(pk=old.pk).kept == 3
    ContentType = apps.get_model("contenttypes", "ContentType")
    assert ContentType.objects.get(pk=content_type.pk).app_label == "articles"

    call_command("migrate", verbosity=0)  # leave the schema as the other tests expect it
    from claims.models import ArticleCorrection

    assert ArticleCorrection.objects.get(pk=old.pk).article.corrections.count() == 1


ARCHIVE_BEFORE = [("claims", "0012_articlecorrection_from_articles")]
ARCHIVE_AFTER = [("claims", "0013_claimmerge_source_revisions")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_merges_made_before_the_record_was_kept_have_no_archived_revisions():
    apps = migrate_to(ARCHIVE_BEFORE)
    Claim = apps.get_model("claims", "Claim")
    target = Claim.objects.create(statement="Putin congratulated Trump", slug="survivor")
    old = apps.get_model("claims", "ClaimMerge").objects.create(
        target=target, source_key=10**6, source_statement="Putin sent congratulations",
        source_slug="merged-away", source_was_published=True,
    )  # fmt: skip

    apps = migrate_to(ARCHIVE_AFTER)
    merge = apps.get_model("claims", "ClaimMerge").objects.get(pk=old.pk)
    assert merge.source_revisions == []  # deleted with the claim, before this migration
    assert (merge.source_slug, merge.source_was_published) == ("merged-away", True)

    apps = migrate_to(ARCHIVE_BEFORE)  # and back: the merge row stays
    merge = apps.get_model("claims", "ClaimMerge").objects.get(pk=old.pk)
    assert not hasattr(merge, "source_revisions") and merge.target_id == target.pk

    call_command("migrate", verbosity=0)  # leave the schema as the other tests expect it


SCALE2_BEFORE = [("claims", "0017_newsroom")]
SCALE2_AFTER = [("claims", "0018_scale2")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_existing_revisions_learn_which_is_current_and_count_their_articles():
    """On a database with rows (PostgreSQL refuses an index after an update in the same
    transaction): the revision each claim points at is current, the others not, each counts
    its articles, and none knows the appearances_version it was written at."""
    apps = migrate_to(SCALE2_BEFORE)
    User = apps.get_model("auth", "User")
    Claim = apps.get_model("claims", "Claim")
    Verdict = apps.get_model("claims", "Verdict")
    Revision = apps.get_model("claims", "PublishedRevision")
    editor = User.objects.create(username="old-editor")
    claim = Claim.objects.create(statement="Putin congratulated Trump", key="k", slug="old")
    verdict = Verdict.objects.create(
        claim=claim, rating="false", summary="No.", status="approved", author=editor,
        last_edited_by=editor, reviewer=editor, approved_at=timezone.now(),
    )  # fmt: skip
    entry = {"outlet": "online.ua", "title": "Old", "quotes": [{"quote": "x", "stance": "a"}]}
    revisions = [
        Revision.objects.create(
            claim=claim,
            number=number,
            verdict=verdict,
            slug="old",
            statement=claim.statement,
            rating="false",
            summary_html="<p>No.</p>",
            summary_text="No.",
            appearances=[entry] * number,
            published_by=editor,
            published_at=timezone.now(),
            first_published_at=timezone.now(),
        )  # fmt: skip
        for number in (1, 2)
    ]
    Claim.objects.filter(pk=claim.pk).update(published_revision=revisions[1])

    apps = migrate_to(SCALE2_AFTER)
    Revision = apps.get_model("claims", "PublishedRevision")
    found = {r.number: r for r in Revision.objects.filter(claim_id=claim.pk)}
    assert (found[1].is_current, found[2].is_current) == (False, True)
    assert (found[1].article_count, found[2].article_count) == (1, 2)
    assert found[2].appearances_version is None
    assert apps.get_model("claims", "Claim").objects.get(pk=claim.pk).appearances_version == 0

    call_command("migrate", verbosity=0)  # leave the schema as the other tests expect it
