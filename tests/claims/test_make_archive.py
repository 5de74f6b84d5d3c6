"""The benchmark's archive generator makes data the app can serve: unique claim keys and
published revisions for approved verdicts."""

import pytest
from django.core.management import call_command

from claims.models import Claim, PublishedRevision, Status, statement_key


@pytest.mark.django_db
def test_a_small_archive_is_published_like_the_real_thing():
    call_command("make_archive", articles=10, password="bench-password-123", verbosity=0)
    claims = list(Claim.objects.all())
    assert claims and all(c.key == statement_key(c.statement) for c in claims)
    approved = Claim.objects.filter(verdicts__status=Status.APPROVED).distinct()
    assert approved.exists()
    assert set(approved.values_list("pk", flat=True)) == set(
        Claim.objects.published().values_list("pk", flat=True)
    )
    assert PublishedRevision.objects.count() == approved.count()
