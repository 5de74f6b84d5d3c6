"""Parts of public pages kept under the published revision they are drawn from
(docs/architecture.md, "Public pages and the cache"): a page drawn again — a query parameter
it does not read, a new search listing the same fact checks — reuses the fact check's JSON-LD,
its appearances and its card; a new revision is drawn afresh, in every language."""

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation

from claims.models import Claim
from public.views import pages
from tests import factories
from tests.claims.helpers import publish, republish

pytestmark = pytest.mark.django_db


def _claim_with_quote(text="Putin congratulated Trump"):
    article = factories.ArticleFactory(body=f"{text}, a source said.", title="First report")
    annotation = factories.AnnotationFactory(article=article, quote=text)
    publish(annotation.claim)
    return Claim.objects.get(pk=annotation.claim_id)


def _draw(client, claim, n, **params):
    response = client.get(reverse("claim_public", args=[claim.slug]), {"bench": n, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_drawn_fact_check_reuses_its_revisions_parts(
    client, monkeypatch, django_assert_num_queries
):
    claim = _claim_with_quote()
    first = _draw(client, claim, 1)
    built = []
    real = pages.claim_review
    monkeypatch.setattr(pages, "claim_review", lambda **kw: built.append(1) or real(**kw))
    # The claim's state, then its revision's row: its first appearances, its update log and
    # its JSON-LD are in the kept part, and not read again.
    with django_assert_num_queries(2):
        again = _draw(client, claim, 2)
    assert built == []  # the JSON-LD of this revision, at this address, was kept
    # The same page but for the language switch, which keeps the address's query.
    assert again.replace("bench=2", "bench=1") == first and "First report" in again

    # A new revision: its own parts, drawn once.
    article = factories.ArticleFactory(body="Later, Putin congratulated Trump again.")
    factories.AnnotationFactory(article=article, claim=claim, quote="Putin congratulated Trump")
    article.title = "Second report"
    article.save()
    republish(claim, update_note="A second report.")
    later = _draw(client, claim, 3)
    assert built == [1] and "Second report" in later and "First report" in later
    assert "Updates and corrections" in later and "A second report." in later
    with django_assert_num_queries(2):  # an updated fact check's log is in its kept part too
        assert _draw(client, claim, 4) == later.replace("bench=3", "bench=4")


def test_another_address_builds_its_own_json_ld(client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "mirror.example"]
    claim = _claim_with_quote()
    first = _draw(client, claim, 1)
    other = client.get(
        reverse("claim_public", args=[claim.slug]), {"bench": 2}, HTTP_HOST="mirror.example"
    ).content.decode()
    jsonld = other[other.index("application/ld+json") : other.index("</script>")]
    assert f"//mirror.example/claims/{claim.slug}/" in jsonld
    assert "mirror.example" not in first


def test_home_cards_are_kept_per_revision_and_language(client, settings):
    claim = _claim_with_quote()
    local = caches["local"]  # cards are kept in the process (public.views.pages._cards)
    client.get(reverse("home"), {"x": 1})
    assert len(local._cache) == 1
    html = client.get(reverse("home"), {"x": 2}).content.decode()
    assert claim.statement in html and len(local._cache) == 1  # nothing new drawn
    Claim.objects.filter(pk=claim.pk).update(statement="Putin thanked Trump")
    republish(claim)
    html = client.get(reverse("home"), {"x": 3}).content.decode()
    assert "Putin thanked Trump" in html and "Putin congratulated Trump" not in html
    with translation.override("uk"):
        uk = client.get(reverse("home"), {"x": 4}, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Putin thanked Trump" in uk
