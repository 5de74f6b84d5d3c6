"""A fact check's card (public.cards): drawn in Python for speed, so these tests hold it to
what the template it replaced did: everything escaped, the reader's language, machine-readable
dates, an update said as such."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from claims.models import Claim, PublishedRevision, Rating
from public.cards import fact_check_card
from tests import factories
from tests.claims.helpers import publish

FIRST = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 4, 2, 18, 0, tzinfo=UTC)


def _revision(**fields) -> PublishedRevision:
    values = {
        "slug": "putin-congratulated-trump",
        "statement": "Putin congratulated Trump",
        "claimant": "",
        "rating": Rating.FALSE,
        "summary_text": "No call took place.",
        "number": 1,
        "first_published_at": FIRST,
        "published_at": FIRST,
    }
    return PublishedRevision(**{**values, **fields})


def test_a_card_escapes_everything_the_desk_typed():
    revision = _revision(
        claimant='<img src=x onerror="alert(1)">',
        summary_text="Ratio <b>1 & 2</b>",
    )
    card = fact_check_card(revision, '<script>alert("x")</script> & more')
    assert "<script>" not in card and "<img" not in card and "<b>" not in card
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in card
    assert "Claimed by &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in card
    assert "Ratio &lt;b&gt;1 &amp; 2&lt;/b&gt;" in card
    assert card.count("<li") == 1 and card.strip().endswith("</li>")


def test_a_card_is_in_the_readers_language_with_machine_readable_dates():
    revision = _revision(claimant="Kremlin", number=2, published_at=LATER)
    with translation.override("en"):
        english = fact_check_card(revision, revision.statement)
    with translation.override("uk"):
        ukrainian = fact_check_card(revision, "Путін привітав Трампа")
    assert '<a href="/claims/putin-congratulated-trump/">Putin congratulated Trump</a>' in english
    assert "Claimed by Kremlin" in english and "False" in english
    assert '<time datetime="2026-03-01T09:30:00+00:00">1 March 2026</time>' in english
    assert 'updated <time datetime="2026-04-02T18:00:00+00:00">2 April 2026</time>' in english
    # The same days, written in Ukrainian (the day's wording is kept per language).
    assert '<a href="/uk/claims/putin-congratulated-trump/">Путін привітав Трампа</a>' in ukrainian
    assert "1 березня 2026" in ukrainian and "2 квітня 2026" in ukrainian
    assert "Автор твердження: Kremlin" in ukrainian and "оновлено" in ukrainian


def test_a_first_revision_is_not_called_updated_and_a_long_summary_is_cut():
    card = fact_check_card(_revision(summary_text=" ".join(["word"] * 60)), "Claim")
    assert "updated" not in card and 'class="claimant"' not in card
    excerpt = card.split('<p class="excerpt">')[1].split("</p>")[0]
    assert excerpt.split() == ["word"] * 45 + ["…"] or excerpt == " ".join(["word"] * 45) + "…"


@pytest.mark.django_db
def test_the_home_page_lists_each_fact_check_as_its_card(client):
    annotation = factories.AnnotationFactory()
    statement = 'Putin "congratulated" Trump & <i>Co</i>'
    Claim.objects.filter(pk=annotation.claim_id).update(statement=statement)
    publish(Claim.objects.get(pk=annotation.claim_id))
    revision = Claim.objects.get(pk=annotation.claim_id).published_revision
    html = client.get(reverse("home"), {"q": "putin congratulated"}).content.decode()
    with translation.override("en"):
        card = fact_check_card(revision, revision.statement)
    assert card in html
    assert "Putin &quot;congratulated&quot; Trump &amp; &lt;i&gt;Co&lt;/i&gt;" in html
