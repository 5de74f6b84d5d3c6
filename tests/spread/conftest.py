"""The seeds' claim: the five seed articles (imported as the desk imports them), one claim
highlighted in four of them with each stance, and one article without a date."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings

from articles.importing import articles_import
from articles.models import Article, ImportBatch
from articles.sources import sources_from_paths
from claims.models import Claim, Stance
from tests import factories

QUOTES = [
    ("online.ua", "privately congratulated Republican Donald Trump", Stance.ASSERTS),
    ("Caliber.az", "Peskov has denied reports", Stance.DISPUTES),
    ("CNBC", "Kremlin", Stance.ATTRIBUTES),
    ("gazzeta.in.ua", "Trump", Stance.ASSERTS),
]
UNDATED_IMPORT = datetime(2024, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def seeds_claim(db):
    return make_seeds_claim()


def make_seeds_claim() -> dict:
    articles_import(
        sources=sources_from_paths([settings.BASE_DIR / "seeds"]), via=ImportBatch.Via.COMMAND
    )
    articles = {a.outlet.name: a for a in Article.objects.select_related("outlet")}
    editor = factories.EditorFactory()
    claim = Claim.objects.create(
        statement="Putin congratulated Trump via intermediaries", claimant="Vyorstka"
    )
    for outlet, quote, stance in QUOTES:
        factories.AnnotationFactory(
            claim=claim, article=articles[outlet], quote=quote, stance=stance, author=editor
        )
    # A second quote in the first outlet, and an article with no date (placed by import).
    factories.AnnotationFactory(
        claim=claim, article=articles["online.ua"], quote="Putin", author=editor
    )
    undated = factories.ArticleFactory(
        outlet=factories.OutletFactory(name="Meduza"),
        published_on=None,
        language="ru",
        imported_at=UNDATED_IMPORT,
        title="Без даты",
    )
    factories.AnnotationFactory(claim=claim, article=undated, stance=Stance.DISPUTES, author=editor)
    return {"claim": claim, "editor": editor, "articles": articles, "undated": undated}


def days_ago(n: int) -> date:
    from django.utils import timezone

    return timezone.localdate() - timedelta(days=n)
