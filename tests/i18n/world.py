"""A small published world written in Ukrainian (Cyrillic data everywhere a person typed
something), for the tests that render pages in Ukrainian."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from claims.models import ClaimWording, Page, Stance
from tests import factories
from tests.claims.helpers import publish, republish

STATEMENT = "Путін привітав Трампа через посередників"
WORDING_UK = "Путін через посередників привітав Трампа з перемогою"


@dataclass
class World:
    claim: object
    revision: object
    editor: object
    reviewer: object


def cyrillic_world(*, wording: bool = True) -> World:
    outlet = factories.OutletFactory(name="Українська правда", domain="pravda.example")
    other = factories.OutletFactory(name="Дзеркало тижня", domain="zn.example")
    claim = factories.ClaimFactory(statement=STATEMENT, claimant="Дмитро Пєсков")
    for n, (source, stance) in enumerate(
        [(outlet, Stance.ASSERTS), (other, Stance.DISPUTES), (outlet, Stance.ATTRIBUTES)]
    ):
        article = factories.ArticleFactory(
            outlet=source,
            title=f"Кремль про привітання, частина {n + 1}",
            language="uk",
            published_on=date(2026, 11, 1) + timedelta(days=n),
            body=f"Частина {n + 1}. Путін привітав Трампа через посередників, кажуть джерела.",
        )
        factories.AnnotationFactory(article=article, claim=claim, stance=stance, quote="Путін")
    if wording:
        ClaimWording.objects.create(claim=claim, language="uk", text=WORDING_UK)
    verdict = publish(
        claim,
        at=timezone.now() - timedelta(days=2),
        summary="Жодних доказів привітання немає.",
        summary_html="<p>Жодних доказів привітання немає.</p>",
        evidence=[
            {
                "url": "https://kremlin.example/news/1",
                "title": "Заява речника Кремля",
                "publisher": "Кремль",
                "note": "Речник заперечив привітання.",
            }
        ],
    )
    revision = republish(claim, update_note="Додано ще одне видання.")
    for slug, title in (
        ("about", "Про нас"),
        ("methodology", "Методологія"),
        ("ratings", "Оцінки"),
    ):
        Page.objects.create(
            slug=slug,
            language="uk",
            title=title,
            description="Опис сторінки для пошукових систем.",
            body="## Розділ\n\nТекст сторінки українською мовою.",
        )
    return World(
        claim=claim, revision=revision, editor=factories.EditorFactory(), reviewer=verdict.reviewer
    )
