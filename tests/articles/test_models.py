import pytest
from django.db import IntegrityError, transaction

from articles.models import Article
from tests.factories import AnnotationFactory, ArticleFactory, OutletFactory


@pytest.mark.django_db
def test_the_same_text_cannot_be_stored_twice():
    ArticleFactory(body="The Kremlin denied it.")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(body="The Kremlin denied it.")
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_outlet_domain_is_unique_when_known():
    OutletFactory(name="CNBC", domain="cnbc.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutletFactory(name="CNBC International", domain="cnbc.com")
    # Unknown domains do not collide.
    OutletFactory(name="A", domain="")
    OutletFactory(name="B", domain="")


@pytest.mark.django_db
def test_outlet_name_is_unique():
    OutletFactory(name="CNBC")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutletFactory(name="CNBC")


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 5)])
def test_annotation_must_start_before_it_ends(start, end):
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnotationFactory(article=article, start=start, end=end, exact="")


@pytest.mark.django_db
def test_needs_metadata_when_outlet_title_or_date_is_missing():
    complete = ArticleFactory()
    no_outlet = ArticleFactory(outlet=None)
    no_title = ArticleFactory(title="")
    no_date = ArticleFactory(published_on=None)
    assert not complete.needs_metadata
    assert all(a.needs_metadata for a in (no_outlet, no_title, no_date))
    assert set(Article.objects.needing_metadata()) == {no_outlet, no_title, no_date}
