"""Real headless Chromium (Debian's package) driven by Playwright against live_server.

Every page opened through ``page`` records console errors, page errors and CSP violations;
a test that caused any of them fails at teardown.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from articles.text import normalize_text
from tests import factories

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium.")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class BrowserProblems(list):
    def record(self, kind, text):
        self.append(f"{kind}: {text}")


@pytest.fixture(autouse=True)
def _roles(roles_after_flush):
    """Browser tests run against a live server, in transactional tests."""


@pytest.fixture
def new_page(browser, live_server):
    """Pages in fresh browser contexts (``new_page(**context_options)``), each recording its
    problems; any problem fails the test at teardown."""
    pages = []

    def _new_page(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, **options)
        page = context.new_page()
        pages.append(page)
        page.set_default_timeout(10_000)
        problems = BrowserProblems()
        page.on(
            "console",
            lambda msg: msg.type == "error" and problems.record("console", msg.text),
        )
        page.on("pageerror", lambda exc: problems.record("pageerror", str(exc)))
        # A CSP violation fires this DOM event; Chromium also logs it as a console error.
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )
        page.problems = problems
        return page

    yield _new_page
    problems = [problem for page in pages for problem in page.problems]
    for page in pages:
        page.context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def phone(new_page):
    """A phone: 390×844, touch, mobile viewport."""
    return new_page(
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def login(request, live_server):
    """Sign ``user`` in to the browser context without going through the form: the ``page``
    fixture's, or that of the page given."""

    def _login(user, page=None):
        page = page or request.getfixturevalue("page")
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return _login


@pytest.fixture
def online_ua(db):
    """The online.ua seed article, as imported (its body normalised)."""
    return factories.ArticleFactory(
        outlet=factories.OutletFactory(name="online.ua", domain="online.ua"),
        title="Putin congratulated Trump on his election victory through acquaintances",
        language="en",
        body=normalize_text((SEEDS / "000_01bdff13e4530c6d.txt").read_text(encoding="utf-8")),
    )


@pytest.fixture
def moscow_times(db):
    """The Moscow Times seed article, as imported: a hard-wrapped file (single newlines in the
    middle of sentences, paragraphs parted by blank lines)."""
    return factories.ArticleFactory(
        outlet=factories.OutletFactory(name="The Moscow Times", domain="themoscowtimes.com"),
        title="Putin Won't Congratulate Trump Just Yet, Top Spokesman Says",
        language="en",
        body=normalize_text((SEEDS / "001_634d39e7c12a1c12.txt").read_text(encoding="utf-8")),
    )
