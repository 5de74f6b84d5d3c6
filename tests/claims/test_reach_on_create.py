"""A new highlight counts into its claim's reach without recounting every appearance's
outlet (``ClaimQuerySet.add_appearance``): the counts equal a full recount whatever the
outlet (one the claim is in, a new one, none), and the save's statement reads no article
of the claim's other appearances."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from tests import factories
from tests.claims.helpers import first_word_highlight

pytestmark = pytest.mark.django_db


def _reach(claim):
    claim.refresh_from_db()
    kept = (claim.outlet_count, claim.appearance_count)
    Claim.objects.filter(pk=claim.pk).refresh_reach()
    claim.refresh_from_db()
    return kept, (claim.outlet_count, claim.appearance_count)


def test_a_new_highlight_counts_as_a_full_recount_would(editor):
    claim = factories.ClaimFactory()
    a, b = factories.OutletFactory(name="A"), factories.OutletFactory(name="B")
    in_a = [factories.ArticleFactory(outlet=a) for _ in range(2)]
    nowhere = factories.ArticleFactory(outlet=None)
    expected = [
        (in_a[0], (1, 1)),  # a first outlet
        (in_a[0], (1, 2)),  # the same article again
        (in_a[1], (1, 3)),  # another article of an outlet the claim is in
        (nowhere, (1, 4)),  # an article of no outlet counts in none
        (factories.ArticleFactory(outlet=b), (2, 5)),  # a new outlet
    ]
    for article, counts in expected:
        with CaptureQueriesContext(connection) as queries:
            first_word_highlight(claim, editor, article)
        assert not [q for q in queries if "COUNT(DISTINCT" in q["sql"].upper()]
        kept, recounted = _reach(claim)
        assert kept == recounted == counts


def test_an_orphaned_highlight_and_a_missed_count_are_recounted_whole(editor):
    claim = factories.ClaimFactory()
    article = factories.ArticleFactory(outlet=factories.OutletFactory(name="A"))
    factories.AnnotationFactory(claim=claim, article=article, orphaned=True)
    assert _reach(claim)[0] == (0, 0)
    Claim.objects.filter(pk=claim.pk).update(outlet_count=7)  # a count gone wrong …
    first = first_word_highlight(claim, editor, article)
    kept, recounted = _reach(claim)
    assert kept == (8, 1) and recounted == (1, 1)  # … stays until the next recount:
    first.claim = factories.ClaimFactory()
    first.save()  # (any change to a highlight recounts its claims whole)
    assert _reach(claim) == ((0, 0), (0, 0))
