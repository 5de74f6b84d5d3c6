"""Backup, wipe, restore: every table's rows and a published page come back as they were.

On PostgreSQL, tests/with_postgres.sh sets PG_BIN to the server's own pg_dump/pg_restore."""

import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client

from claims.models import Annotation, Claim, Verdict
from tests import factories
from tests.claims.helpers import publish

NONCE = re.compile(rb'nonce="[^"]*"')


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def public_page(slug: str) -> bytes:
    response = Client().get(f"/claims/{slug}/")
    assert response.status_code == 200
    # The CSP nonce is new on every request; everything else must be identical.
    return NONCE.sub(b'nonce="N"', response.content)


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_round_trip(roles_after_flush, tmp_path):
    article = factories.ArticleFactory()
    verdict = publish()
    claim = verdict.claim
    factories.AnnotationFactory(article=article, claim=claim)
    factories.EvidenceLinkFactory(verdict=verdict)
    before_counts, before_page = row_counts(), public_page(claim.slug)
    assert before_counts["articles.Article"] >= 1 and before_counts["claims.Verdict"] == 1

    path = tmp_path / "backup.bin"
    call_command("backup", output=path, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert path.stat().st_size > 0

    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    assert not Claim.objects.exists() and not Verdict.objects.exists()
    assert Client().get(f"/claims/{claim.slug}/").status_code == 404

    call_command("restore", str(path), interactive=False, stdout=open("/dev/null", "w"))  # noqa: SIM115
    ContentType.objects.clear_cache()
    assert row_counts() == before_counts
    assert public_page(claim.slug) == before_page
    assert Annotation.objects.get().claim_id == claim.pk


def test_restore_refuses_a_missing_file(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "nope"), interactive=False)
