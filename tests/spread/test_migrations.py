"""Batches gathered before appearances became rows keep them, in their order."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.migrations import migrate_to

BEFORE = [("spread", "0002_i18n_site")]
AFTER = [("spread", "0003_scale3")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles_after_flush")
def test_a_batchs_appearances_become_rows_in_their_order():
    """On a database with rows (PostgreSQL refuses to alter a table while the new rows'
    foreign-key checks are pending)."""
    apps = migrate_to(BEFORE)
    Claim = apps.get_model("claims", "Claim")
    Resurfacing = apps.get_model("spread", "Resurfacing")
    claim = Claim.objects.create(statement="Putin congratulated Trump", key="k", slug="old")
    entries = [
        {"annotation": 7, "article": 3, "outlet": "online.ua", "title": "Old", "url": "/a/7"},
        {"annotation": 9, "article": 4, "outlet": "", "title": "", "url": "/a/9"},
    ]
    now = timezone.now()
    batch = Resurfacing.objects.create(claim=claim, appearances=entries, due_at=now)
    empty = Resurfacing.objects.create(claim=claim, appearances=[], due_at=now, sent_at=now)

    apps = migrate_to(AFTER)
    Entry = apps.get_model("spread", "ResurfacingAppearance")
    rows = Entry.objects.filter(batch_id=batch.pk).order_by("pk")
    assert [
        {"annotation": r.annotation_id, "article": r.article_id, "outlet": r.outlet,
         "title": r.title, "url": r.url}
        for r in rows
    ] == entries  # fmt: skip
    assert not Entry.objects.filter(batch_id=empty.pk).exists()

    apps = migrate_to(BEFORE)  # and back
    Resurfacing = apps.get_model("spread", "Resurfacing")
    assert Resurfacing.objects.get(pk=batch.pk).appearances == entries

    call_command("migrate", verbosity=0)  # leave the schema as the other tests expect it
