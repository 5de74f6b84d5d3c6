"""Merging in the browser (issue 25, item 3): the confirmation lists every moving highlight
with its quote, outlet and stance; one reviewer flips or drops some and proposes the merge,
a second sees exactly those choices and confirms them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from claims.models import Annotation, ClaimMerge
from tests import factories
from tests.claims.helpers import publish
from tests.e2e.test_standards import _axe_violations

pytestmark = pytest.mark.browser


def _highlight(claim, outlet, body, quote, stance):
    return factories.AnnotationFactory(
        claim=claim,
        article=factories.ArticleFactory(outlet=factories.OutletFactory(name=outlet), body=body),
        quote=quote,
        stance=stance,
    )


def test_a_merge_flips_and_drops_highlights_proposed_by_one_reviewer_confirmed_by_another(
    new_page, login
):
    source = publish(
        factories.ClaimFactory(statement="The Kremlin denied that Putin congratulated Trump"),
        rating="true",
        at=timezone.now() - timedelta(days=2),
    ).claim
    target = publish(
        factories.ClaimFactory(statement="Putin congratulated Trump"),
        rating="false",
        at=timezone.now() - timedelta(days=1),
    ).claim
    denial = _highlight(
        source,
        "Meduza",
        "The Kremlin denied that Putin congratulated Trump, Peskov said.",
        "The Kremlin denied that Putin congratulated Trump",
        "asserts",
    )
    rumour = _highlight(
        source,
        "Українська правда",
        "Путін привітав Трампа через посередників, кажуть джерела.",
        "Путін привітав Трампа через посередників",
        "disputes",
    )
    first, second = factories.ReviewerFactory(), factories.ReviewerFactory()
    url = f"/desk/claims/{source.pk}/merge/?into={target.pk}"

    page = login(first, page=new_page())
    page.goto(url)
    table = page.get_by_role("table", name="The 2 highlights that move, with their stances")
    expect(table).to_be_visible()
    row = table.get_by_role("row").filter(has_text="Meduza")
    expect(row).to_contain_text("The Kremlin denied that Putin congratulated Trump")
    expect(row).to_contain_text("Asserts")
    assert _axe_violations(page) == []
    # Asserting the denial of the merged claim disputes the surviving one: flip it; drop the
    # other.
    page.get_by_label(
        "After the merge, “The Kremlin denied that Putin congratulated Trump”"
    ).select_option("disputes")
    page.get_by_label("After the merge, “Путін привітав Трампа через посередників”").select_option(
        "drop"
    )
    page.get_by_role("button", name="Propose the merge").click()
    expect(page.locator(".message-success")).to_contain_text("Merge proposed.")
    assert Annotation.objects.get(pk=denial.pk).stance == "asserts"  # nothing moved yet

    other = login(second, page=new_page())
    other.goto(url)
    flipped = other.get_by_label(
        "After the merge, “The Kremlin denied that Putin congratulated Trump”"
    )
    dropped = other.get_by_label("After the merge, “Путін привітав Трампа через посередників”")
    expect(flipped).to_have_value("disputes")
    expect(dropped).to_have_value("drop")
    expect(other.get_by_text("as proposed")).to_have_count(2)
    other.get_by_role("button", name="Confirm the proposed merge").click()
    expect(other.locator(".message-success")).to_contain_text("was merged into this claim")
    history = other.locator(".merge-choices")
    expect(history).to_contain_text("(Meduza): Asserts → Disputes")
    expect(history).to_contain_text("(Українська правда): Disputes, dropped")

    merge = ClaimMerge.objects.get(source_key=source.pk)
    assert (merge.user, merge.proposed_by) == (second, first)
    assert Annotation.objects.get(pk=denial.pk).stance == "disputes"
    assert Annotation.objects.get(pk=denial.pk).claim_id == target.pk
    assert not Annotation.objects.filter(pk=rumour.pk).exists()
