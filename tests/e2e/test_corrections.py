"""A correction's fuzzy re-anchoring seen and undone in a real browser (htmx swaps the panel)."""

import pytest
from playwright.sync_api import expect

from claims.models import Annotation, AnnotationChange
from claims.services.corrections import article_correct
from tests import factories

BODY = (
    "Moscow. Officials claimed Putin congratualted Donald Trump on his victory, a source said.\n"
    "Kremlin spokesman Dmitry Peskov said he knew of no such plans."
)


@pytest.fixture
def fuzzed(db, editor):
    article = factories.ArticleFactory(body=BODY)
    annotation = factories.AnnotationFactory(
        article=article, quote="Putin congratualted Donald Trump"
    )
    article_correct(
        article=article,
        user=editor,
        new_text=BODY.replace("congratualted", "congratulated"),
        reason="Typo",
    )
    return annotation


def test_editor_sees_re_anchored_with_changes_and_undoes_it(page, login, editor, fuzzed):
    login(editor)
    page.goto(fuzzed.article.get_absolute_url())
    # The panel lists one collapsed line per claim; opening it loads the claim's highlights.
    page.locator(f"#claim-group-{fuzzed.claim_id} .claim-group-counts").click()
    entry = page.locator(f'.panel-entry[data-annotation="{fuzzed.pk}"]')
    expect(entry).to_contain_text("Putin congratulated Donald Trump")
    expect(entry).to_contain_text("Re-anchored with changes")
    entry.get_by_role("button", name="Undo re-anchoring").click()
    orphans = page.locator("#orphan-" + str(fuzzed.pk))
    expect(orphans).to_contain_text("Putin congratualted Donald Trump")
    expect(page.locator(f'#article-body mark[data-annotations~="{fuzzed.pk}"]')).to_have_count(0)
    annotation = Annotation.objects.get(pk=fuzzed.pk)
    assert annotation.orphaned
    assert annotation.changes.order_by("-at", "-id").first().action == (
        AnnotationChange.Action.ORPHANED
    )
