"""A reader switches a fact check from English to Ukrainian and back (issue 20): the same
fact check each time, the page's language and its hreflang alternates right."""

import re

import pytest

from claims.models import ClaimWording
from tests.claims.helpers import publish, republish

pytestmark = pytest.mark.django_db(transaction=True)

STATEMENT = "Putin congratulated Trump via intermediaries"
WORDING_UK = "Путін привітав Трампа через посередників"


def _alternates(page) -> dict[str, str]:
    return {
        link.get_attribute("hreflang"): link.get_attribute("href")
        for link in page.locator('link[rel="alternate"][hreflang]').all()
    }


def test_a_reader_switches_a_fact_check_to_ukrainian_and_back(page, live_server):
    claim = publish(claim=None).claim
    claim.statement = STATEMENT
    claim.save()
    ClaimWording.objects.create(claim=claim, language="uk", text=WORDING_UK)
    republish(claim)
    english = f"{live_server.url}/claims/{claim.slug}/"
    ukrainian = f"{live_server.url}/uk/claims/{claim.slug}/"

    page.goto(f"/claims/{claim.slug}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == STATEMENT
    assert _alternates(page) == {"en": english, "uk": ukrainian, "x-default": english}

    page.get_by_role("link", name="Українська").click()
    page.wait_for_url(ukrainian)
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.locator("h1").inner_text() == WORDING_UK  # the same fact check, its wording
    assert page.get_by_text("Наш висновок:").is_visible()
    assert _alternates(page) == {"en": english, "uk": ukrainian, "x-default": english}
    assert re.search(r"\d{4} р\.", page.locator(".dates").inner_text())

    page.get_by_role("link", name="English").click()
    page.wait_for_url(english)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == STATEMENT
    assert page.get_by_text("Our verdict:").is_visible()
