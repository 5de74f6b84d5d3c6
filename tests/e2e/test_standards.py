"""Every public and desk page, as the user who reads it, checked against the standards:
the Nu HTML checker (vnu-jar, run once over every page's HTML in one JVM) and axe-core's
WCAG 2.2 AA rules (axe-playwright-python) in Chromium; and no sideways scrolling on a
320 px wide screen.

Needs Java and node_modules/vnu-jar (`make deps system-deps` installs both).
"""

import importlib
import json
import shutil
import subprocess
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from articles.importing import articles_import
from articles.models import Article, ImportBatch, ImportRecord
from articles.sources import sources_from_paths
from claims.models import Claim, ClaimantType, Rating, Stance, Status
from claims.services.comments import comment_create
from tests import factories
from tests.claims.helpers import confirmed_merge, publish
from webfetch.models import Feed

pytestmark = pytest.mark.django_db(transaction=True)

VNU = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _seed_pages():
    """The public pages' data migration, again: transactional tests flush the database."""
    from django.apps import apps

    importlib.import_module("claims.migrations.0008_public_pages").seed(apps, None)


@pytest.fixture
def desk():
    """The seed corpus with highlights (a Russian quote among them), a published fact check
    and a claim waiting for review."""
    _seed_pages()
    articles_import(
        sources=sources_from_paths([settings.BASE_DIR / "seeds"]), via=ImportBatch.Via.COMMAND
    )
    articles = {a.outlet.name: a for a in Article.objects.select_related("outlet")}
    editor = factories.EditorFactory()
    published = Claim.objects.create(
        statement="Putin congratulated Trump via intermediaries",
        claimant="Vyorstka",
        claimant_type=ClaimantType.ORGANIZATION,
    )
    pending = Claim.objects.create(
        statement="Putin and Trump spoke on the phone on November 7",
        claimant="The Washington Post",
    )

    def highlight(claim, outlet, quote, stance=Stance.ASSERTS):
        article = articles[outlet]
        factories.AnnotationFactory(
            claim=claim, article=article, quote=quote, stance=stance, author=editor
        )

    highlight(published, "online.ua", "privately congratulated Republican Donald Trump")
    highlight(published, "Caliber.az", "Peskov has denied reports", Stance.DISPUTES)
    highlight(pending, "gazzeta.in.ua", "Чистая выдумка", Stance.DISPUTES)
    highlight(pending, "gazzeta.in.ua", "allegedly had a phone conversation", Stance.ATTRIBUTES)
    publish(
        published,
        rating=Rating.FALSE,
        summary="The Kremlin **denied** it & no evidence was published.",
        summary_html=(
            "<p>The Kremlin <strong>denied</strong> it &amp; no evidence was published.</p>"
        ),
        evidence=[
            {
                "url": "https://www.kremlin.ru/events/president/news/a-very-long-address-that-"
                "goes-on-and-on-without-any-place-to-break-it-" + "x" * 80,
                "title": "Kremlin press service",
            }
        ],
    )
    pending_verdict = factories.VerdictFactory(
        claim=pending, status=Status.SUBMITTED, rating=Rating.UNPROVEN, author=editor
    )
    # A claim published before it, merged into it: its published record stays on the desk.
    reviewer = factories.ReviewerFactory()
    merged = Claim.objects.create(statement="Putin privately congratulated Trump")
    highlight(merged, "online.ua", "privately congratulated Republican Donald Trump")
    publish(
        merged,
        at=timezone.now() - timedelta(days=2),
        rating=Rating.MISLEADING,
        correction_note="The first version named the wrong outlet.",
        evidence=[{"url": "https://example.org/report", "title": "A report", "note": "Unsourced"}],
    )
    merge = confirmed_merge(source=merged, target=published, user=reviewer)
    # ... and a quote added since: changes a reviewer who made none of them may publish.
    highlight(published, "gazzeta.in.ua", "Чистая выдумка", Stance.DISPUTES)
    # A possible duplicate of the published claim, and a verdict's comment thread.
    factories.ClaimFactory(statement="Putin sent congratulations to Trump")
    comment_create(
        claim=pending, verdict=pending_verdict, user=editor, body="Is *one* source enough?"
    )
    # An article that needs metadata (no outlet, no date) for the desk's badge.
    factories.ArticleFactory(outlet=None, published_on=None, title="")
    # A "Mostly true" fact check (its badge's contrast), with hostile and long content.
    mostly = Claim.objects.create(
        statement="Путін привітав Трампа 🎉 <script>alert(1)</script> " + "дуже" * 40,
        claimant=("A very long claimant name " * 8)[:200],  # the column holds 200
    )
    highlight(mostly, "Caliber.az", "Peskov has denied reports", Stance.DISPUTES)
    publish(
        mostly,
        rating=Rating.MOSTLY_TRUE,
        summary="See https://example.org/" + "a" * 300,
        summary_html="<p>See https://example.org/" + "a" * 300 + "</p>",
    )
    # A finished import from the web (one page imported, one refused) and a failing feed.
    article = articles["gazzeta.in.ua"]
    web_import = ImportBatch.objects.create(
        via="web", user=editor, status="done", total=2, imported=1, failed=1
    )
    ImportRecord.objects.create(
        batch=web_import, filename="https://example.org/a", outcome="imported", article=article
    )
    ImportRecord.objects.create(
        batch=web_import, filename="https://10.0.0.1/", outcome="failed", reason="private address"
    )
    Feed.objects.create(
        outlet=article.outlet, url="https://example.org/rss", failures=2, last_error="not a feed"
    )
    return {
        "web_import": web_import,
        "editor": editor,
        "reviewer": reviewer,
        # Published the merge's target with nothing of it: sees the publish form.
        "second_reviewer": factories.ReviewerFactory(),
        "admin": factories.AdminFactory(),
        # An editor and a reviewer whose desk is in Ukrainian (issue 20): every desk page.
        "editor_uk": _in_ukrainian(factories.EditorFactory()),
        "reviewer_uk": _in_ukrainian(factories.ReviewerFactory()),
        "published": published,
        "merge": merge,
        "pending": pending,
        "article": articles["gazzeta.in.ua"],
    }


def _visits(desk):
    published, pending, article = desk["published"], desk["pending"], desk["article"]
    anonymous = [
        ("home", "/"),
        ("search", "/?q=Putin&rating=false"),
        ("fact check", published.get_absolute_url()),
        ("appearances", f"/claims/{published.slug}/appearances/"),
        ("about", "/about/"),
        ("methodology", "/methodology/"),
        ("ratings", "/ratings/"),
        ("sign in", "/accounts/login/"),
        ("404", "/claims/no-such-claim/"),
    ]
    # The same public pages in Ukrainian: their addresses under /uk/.
    anonymous += [(f"{name} (uk)", f"/uk{url}") for name, url in anonymous if url[1:8] != "account"]
    editor = [
        ("desk home", "/desk/"),
        ("article", f"/desk/articles/{article.pk}/"),
        ("correction", f"/desk/articles/{article.pk}/correct/"),
        ("claims", "/desk/claims/"),
        ("claim with verdict", f"/desk/claims/{pending.pk}/"),
        ("published claim", f"/desk/claims/{published.pk}/"),
        ("merged claim's record", f"/desk/merges/{desk['merge'].pk}/"),
        ("activity", "/desk/activity/"),
        ("preferences", "/desk/preferences/"),
        ("add from the web", "/desk/web/"),
        ("web import", f"/desk/web/imports/{desk['web_import'].pk}/"),
        ("feeds", "/desk/feeds/"),
        ("403", "/desk/review/"),
    ]
    reviewer = [
        ("review", "/desk/review/"),
        ("claim to review", f"/desk/claims/{pending.pk}/"),
        ("merge search", f"/desk/claims/{pending.pk}/merge/?q=Putin"),
        ("merge preview", f"/desk/claims/{pending.pk}/merge/?into={published.pk}"),
        ("fact check, signed in", published.get_absolute_url()),
    ]
    # Every desk page again for desk members whose preference is Ukrainian.
    editor_uk = [(f"{name} (uk)", url) for name, url in editor]
    reviewer_uk = [(f"{name} (uk)", url) for name, url in reviewer[:2]]
    second_reviewer = [
        ("publish pending changes", f"/desk/claims/{published.pk}/"),
    ]
    admin = [
        ("admin import", "/admin/articles/article/import/"),
        ("admin claim", f"/admin/claims/claim/{published.pk}/change/"),
    ]
    return [
        (None, anonymous),
        (desk["editor"], editor),
        (desk["reviewer"], reviewer),
        (desk["second_reviewer"], second_reviewer),
        (desk["admin"], admin),
        (desk["editor_uk"], editor_uk),
        (desk["reviewer_uk"], reviewer_uk),
    ]


def _in_ukrainian(user):
    from claims.models import NotificationPreference

    NotificationPreference.objects.create(user=user, language="uk")
    return user


class _References(HTMLParser):
    """Every id of a page, and every attribute that names one."""

    NAMING = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-owns", "for", "list")

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.named: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in self.NAMING:
            for ref in (attrs.get(name) or "").split():
                self.named.append((tag, name, ref))


def _dangling_references(html: str) -> list[str]:
    """`aria-describedby="x"` (or labelledby, controls, for …) where the page has no id x:
    a screen reader then reads nothing, and no checker says so."""
    parser = _References()
    parser.feed(html)
    return [f'<{tag} {name}="{ref}"> names no element' for tag, name, ref in parser.named
            if ref not in parser.ids]  # fmt: skip


def _axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            found.append(f"{violation['id']}: {node['target']} — {node['failureSummary']}")
    return found


def _scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def _vnu_errors(files: dict[Path, str], *options: str) -> list[str]:
    java = shutil.which("java")
    if not java or not VNU.exists():
        pytest.fail(
            "The Nu HTML checker needs Java and node_modules/vnu-jar: run `make deps system-deps`."
        )
    result = subprocess.run(
        [java, "-jar", str(VNU), *options, "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors = []
    for message in report["messages"]:
        name = files[Path(message["url"].removeprefix("file:"))]
        errors.append(f"{name} line {message.get('lastLine')}: {message['message']}")
    return errors


def test_the_stylesheets_parse():
    """A stray brace drops the rule after it without a word in the browser: the checker's
    CSS validator says where."""
    sheets = sorted((settings.BASE_DIR / "static").rglob("*.css"))
    assert sheets
    assert _vnu_errors({path: path.name for path in sheets}, "--css") == []


def test_every_page_meets_the_standards(page, login, live_server, desk, tmp_path):
    files: dict[Path, str] = {}
    axe: list[str] = []
    dangling: list[str] = []
    for user, visits in _visits(desk):
        page.context.clear_cookies()
        if user is not None:
            login(user)
        for name, url in visits:
            response = page.goto(url)
            kind = name.removesuffix(" (uk)")
            expected = 404 if kind == "404" else 403 if kind == "403" else 200
            assert response.status == expected, (name, url, response.status)
            if expected != 200:
                # The browser logs the error status of the page itself; that one is expected.
                page.problems[:] = [p for p in page.problems if f"status of {expected}" not in p]
            path = tmp_path / f"{len(files):02d}-{name.replace(' ', '-').replace(',', '')}.html"
            path.write_text(response.text(), encoding="utf-8")
            files[path] = name
            dangling += [f"{name}: {ref}" for ref in _dangling_references(response.text())]
            page.wait_for_load_state("networkidle")
            axe += [f"{name}: {v}" for v in _axe_violations(page)]
    # Phones: nothing wider than a 320 px screen (long URLs and words wrap), public and desk.
    page.set_viewport_size({"width": 320, "height": 640})
    sideways = []
    on_phones = (None, desk["editor"], desk["reviewer"], desk["editor_uk"])
    for user, visits in [(user, visits) for user, visits in _visits(desk) if user in on_phones]:
        page.context.clear_cookies()
        if user is not None:
            login(user)
        for name, url in visits:
            if name.removesuffix(" (uk)") in {"404", "403"}:
                continue
            page.goto(url)
            if _scrolls_sideways(page):
                sideways.append(f"{name} ({url})")
    vnu = _vnu_errors(files)
    problems = (
        [f"axe {v}" for v in axe]
        + [f"Nu {e}" for e in vnu]
        + [f"dangling reference on {d}" for d in dangling]
        + [f"scrolls sideways at 320 px: {u}" for u in sideways]
    )
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
