"""An editor previews the verdict's Markdown before saving it."""

import pytest
from playwright.sync_api import expect

from claims.models import Verdict
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_previews_the_summary_before_saving(page, login):
    claim = factories.ClaimFactory()
    login(factories.EditorFactory())
    page.goto(f"/desk/claims/{claim.pk}/")
    page.get_by_label("Summary").fill("The Kremlin **denied** it; see [TASS](https://tass.com/x).")
    page.get_by_text("Preview", exact=True).click()
    page.get_by_role("button", name="Show the summary as readers will see it").click()
    preview = page.locator("#summary-preview")
    expect(preview.locator("strong")).to_have_text("denied")
    expect(preview.get_by_role("link", name="TASS")).to_have_attribute("href", "https://tass.com/x")
    assert not Verdict.objects.exists()
