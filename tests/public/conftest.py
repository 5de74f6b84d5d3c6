import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from claims.models import Rating, Stance
from tests import factories
from tests.claims.helpers import a_draft, publish


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def open_data(db):
    """Two published fact checks (one cited by a Ukrainian outlet), an unpublished claim
    with a draft, and a published claim with an unpublished change of wording."""
    editor = factories.EditorFactory(email="editor-secret@newsroom.example")
    kyiv = factories.OutletFactory(name="gazeta.ua", domain="gazeta.ua")
    cnbc = factories.OutletFactory(name="CNBC", domain="cnbc.com")
    now = timezone.now()

    false = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    for outlet, language, stance in [
        (kyiv, "uk", Stance.ASSERTS),
        (cnbc, "en", Stance.DISPUTES),
    ]:
        article = factories.ArticleFactory(
            outlet=outlet, language=language, published_on=datetime.date(2024, 11, 6)
        )
        factories.AnnotationFactory(claim=false, article=article, stance=stance, author=editor)
    publish(
        false,
        at=now - datetime.timedelta(days=2),
        rating=Rating.FALSE,
        summary="The Kremlin denied it.",
        summary_html="<p>The Kremlin denied it.</p>",
        evidence=[{"url": "https://tass.com/x", "title": "TASS"}],
    )
    true = factories.ClaimFactory(statement="Peskov said Russia would not congratulate Trump")
    factories.AnnotationFactory(
        claim=true, article=factories.ArticleFactory(outlet=cnbc, language="en"), author=editor
    )
    publish(true, at=now - datetime.timedelta(days=1), rating=Rating.TRUE)

    secret = factories.ClaimFactory(statement="An unpublished claim nobody may read")
    a_draft(secret, editor)
    # A change of wording after publication: unpublished, so never in open data.
    true.statement = "A reworded statement still waiting for review"
    true.has_unpublished_changes = True
    true.save()
    return {"false": false, "true": true, "secret": secret, "editor": editor}
