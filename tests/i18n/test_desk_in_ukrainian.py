"""The desk in Ukrainian (issue 20, part 2: the desk, every Python message, the JavaScript).

Every desk and review page, HTMX fragment and refusal is drawn for a desk member whose
browser asks for Ukrainian, with Cyrillic data, and no Latin word of three letters or more
may be left in the visible text or in the attributes a person reads (aria-label, title,
placeholder, alt, data-label). What is not a word is taken out first: addresses (URLs,
paths, e-mail), code (<code>), and a short list of names that stay Latin in Ukrainian
(ALLOWED, each with its reason). Every region of the page is read, the site's header and
footer and the panels other apps draw (radar, spread, webfetch) included.

Besides the pages: the model's choice labels, a policy refusal, the JavaScript catalogue,
mail in the recipient's language, and static/js scanned for a hard-coded string written into
the page (with a fixture proving the scan catches one).
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from claims import policy
from claims.models import Rating, Stance, Status
from claims.services import verdicts
from claims.services.claims import claim_assign
from claims.services.comments import comment_create
from claims.services.wordings import claim_wording_set
from tests import factories
from tests.claims.helpers import confirmed_merge, publish

LOCALE = "django.middleware.locale.LocaleMiddleware"

# Latin names a Ukrainian desk writes as they are: formats, keys on the keyboard, the
# encoding. Nothing else may stay Latin.
ALLOWED = {
    "Markdown",  # the format's name (help texts)
    "JSON",  # JSON-LD, the export's format
    "CSV",  # the review export's format
    "Atom",  # the feed's format (the footer's link)
    "Shift",  # keys, as printed on the keyboard (the annotate hint)
    "Alt",
    "Enter",
    "UTC",  # the time zone's abbreviation in a date's title (review page)
    "English",  # a language is named in itself, so its reader finds it (preferences)
}

HUMAN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-label")
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
NOT_WORDS = re.compile(
    r"https?://\S*|[\w.+-]+@[\w-]+(\.[\w-]+)+|(?<![\w/])/[\w/.?=&#%-]*|\w+\.py\b", re.UNICODE
)
LATIN_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z]{3,}(?![^\W\d_])")


class _Reader(HTMLParser):
    """What a person reads: text outside <script>, <style> and <code>, and the human
    attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, skipped)
        self.texts = []

    @property
    def skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        skipped = tag in ("script", "style", "code", "template")
        if not (self.skipping or skipped):
            self.texts += [attrs[a] for a in HUMAN_ATTRIBUTES if attrs.get(a)]
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append(data.strip())


def english_left(html: str, names=()) -> list[tuple[str, str]]:
    """(word, where) for every Latin word of three letters or more a person reads;
    ``names`` (user names: data, like the Cyrillic claims) are not words."""
    reader = _Reader()
    reader.feed(html)
    site = set(LATIN_WORD.findall(settings.SITE_NAME))
    found = []
    for text in reader.texts:
        text = NOT_WORDS.sub(" ", text)
        for name in sorted(names, key=len, reverse=True):
            text = text.replace(name, " ")
        for word in LATIN_WORD.findall(text):
            if word not in ALLOWED and word not in site:
                found.append((word, text[:120]))
    return found


def test_the_reader_finds_english_and_only_english():
    """The check itself can fail: English in text and in a human attribute is found;
    Cyrillic, addresses, code and allowed names are not; the site's chrome is read too."""
    html = (
        '<main><h1>Висновок</h1><p title="Close this">Збережено https://example.org/a '
        "/claims/slug/ mail@example.org <code>manage.py import_articles PATH</code> Markdown</p>"
        '<header class="site-header">Sign out</header><button>Save draft</button></main>'
    )
    found = [word for word, _ in english_left(html)]
    assert found == ["Close", "this", "Sign", "out", "Save", "draft"]


# --- the world the pages are drawn from: Cyrillic data ------------------------------------


@pytest.fixture
def ukrainian(settings):
    """The browser's Accept-Language chooses the language (part 1 adds LocaleMiddleware to
    the settings; until then this test adds it, after the session, as Django asks)."""
    middleware = list(settings.MIDDLEWARE)
    if LOCALE not in middleware:
        session = middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
        middleware.insert(session + 1, LOCALE)
    settings.MIDDLEWARE = middleware
    yield
    # LocaleMiddleware leaves the request's language active in the thread: later tests that
    # read a message without a request would get Ukrainian.
    translation.deactivate()


def _client(user) -> Client:
    client = Client(headers={"Accept-Language": "uk"})
    client.force_login(user)
    return client


BODY = (
    "Президент Росії Путін привітав Трампа з перемогою на виборах. Про це повідомив "
    "Кремль у середу. Експерти вважають, що це твердження не відповідає дійсності, "
    "бо привітання не було оприлюднено."
)


@pytest.fixture
def world(db, ukrainian):
    editor = factories.EditorFactory(username="редакторка", first_name="Олена")
    reviewer = factories.ReviewerFactory(username="рецензент")
    outlet = factories.OutletFactory(name="Українська правда", domain="pravda.com.ua")
    article = factories.ArticleFactory(
        outlet=outlet, title="Путін привітав Трампа", body=BODY, language="uk"
    )
    claim = factories.ClaimFactory(statement="Путін привітав Трампа з перемогою", claimant="Кремль")
    annotation = factories.AnnotationFactory(
        article=article, claim=claim, author=editor, quote="привітав Трампа", stance=Stance.ASSERTS
    )
    other = factories.ClaimFactory(statement="Путін привітав Трампа з перемогою на виборах")
    factories.AnnotationFactory(
        article=article,
        claim=other,
        author=editor,
        quote="Кремль у середу",
        stance=Stance.ATTRIBUTES,
    )
    draft = verdicts.verdict_save(
        claim=claim,
        user=editor,
        rating=Rating.FALSE,
        summary="Привітання **не було**: Кремль його не оприлюднив.",
        evidence=[
            {
                "url": "https://kremlin.ru/",
                "title": "Сайт Кремля",
                "publisher": "Кремль",
                "note": "",
            }
        ],
        version=None,
    )
    submitted = verdicts.verdict_submit(verdict=draft, user=editor, version=draft.version)
    comment_create(claim=claim, user=editor, body="Перевірте дату, @рецензент.", verdict=None)
    claim_wording_set(claim=claim, user=editor, language="ru", text="Путин поздравил Трампа")
    claim_assign(claim=claim, assignee=editor, user=reviewer)
    source = publish(
        factories.ClaimFactory(statement="Зеленський виступив у Конгресі США"),
        summary="Дублікат.",
        summary_html="<p>Дублікат.</p>",
        rating=Rating.TRUE,
    ).claim
    published = publish(
        factories.ClaimFactory(statement="Зеленський виступив у Конгресі"),
        summary="Так, виступ був.",
        summary_html="<p>Так, виступ був.</p>",
        rating=Rating.TRUE,
    ).claim
    merge = confirmed_merge(
        source=source, target=published, user=factories.ReviewerFactory(username="головна")
    )
    return {
        "editor": editor,
        "reviewer": reviewer,
        "article": article,
        "claim": claim,
        "other": other,
        "annotation": annotation,
        "verdict": submitted,
        "published": published,
        "merge": merge,
    }


def _pages(w):
    a, c, n = w["article"], w["claim"], w["annotation"]
    return [
        ("desk", "editor", reverse("desk"), {}),
        ("desk, filtered to nothing", "editor", reverse("desk") + "?q=немає", {}),
        ("article", "editor", reverse("article_detail", args=[a.pk]), {}),
        ("article, as a reviewer", "reviewer", reverse("article_detail", args=[a.pk]), {}),
        ("claim", "editor", reverse("claim_detail", args=[c.pk]), {}),
        ("claim, as a reviewer", "reviewer", reverse("claim_detail", args=[c.pk]), {}),
        ("published claim", "reviewer", reverse("claim_detail", args=[w["published"].pk]), {}),
        ("claim list", "editor", reverse("claim_list"), {}),
        ("claim list, nothing", "editor", reverse("claim_list") + "?q=немає&assigned=me", {}),
        ("review", "reviewer", reverse("review") + "?status=all", {}),
        ("review, nothing", "reviewer", reverse("review") + "?status=draft", {}),
        ("merge: find", "reviewer", reverse("claim_merge", args=[c.pk]) + "?q=Путін", {}),
        (
            "merge: confirm",
            "reviewer",
            reverse("claim_merge", args=[w["other"].pk]) + f"?into={c.pk}",
            {},
        ),
        ("merge record", "editor", reverse("merge_record", args=[w["merge"].pk]), {}),
        ("activity", "editor", reverse("activity"), {}),
        ("preferences", "editor", reverse("preferences"), {}),
        ("verdict page", "editor", reverse("verdict_edit", args=[c.pk]), {}),
        ("highlight page", "editor", reverse("annotation_detail", args=[n.pk]), {}),
        ("highlight edit page", "editor", reverse("annotation_edit", args=[n.pk]), {}),
        ("highlight delete page", "editor", reverse("annotation_delete", args=[n.pk]), {}),
        ("correction page", "editor", reverse("article_correct", args=[a.pk]), {}),
        # HTMX fragments
        (
            "cards (htmx)",
            "editor",
            reverse("annotation_detail", args=[n.pk]),
            {"HX-Request": "true"},
        ),
        (
            "edit form (htmx)",
            "editor",
            reverse("annotation_edit", args=[n.pk]),
            {"HX-Request": "true"},
        ),
        (
            "delete (htmx)",
            "editor",
            reverse("annotation_delete", args=[n.pk]),
            {"HX-Request": "true"},
        ),
        (
            "suggestions (htmx)",
            "editor",
            reverse("claim_suggest") + "?claim_text=Путін",
            {"HX-Request": "true"},
        ),
        (
            "no suggestion (htmx)",
            "editor",
            reverse("claim_suggest") + "?claim_text=Ґрунт",
            {"HX-Request": "true"},
        ),
        (
            "claim groups (htmx)",
            "editor",
            reverse("article_claim_groups", args=[a.pk]),
            {"HX-Request": "true"},
        ),
        (
            "verdict (htmx)",
            "reviewer",
            reverse("verdict_edit", args=[c.pk]),
            {"HX-Request": "true"},
        ),
    ]


def test_every_desk_page_reads_in_ukrainian(world):
    users = {"editor": world["editor"], "reviewer": world["reviewer"]}
    clients = {role: _client(user) for role, user in users.items()}
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    left = {}
    for name, role, url, headers in _pages(world):
        response = clients[role].get(url, headers=headers)
        assert response.status_code == 200, (name, url, response.status_code)
        html = response.content.decode()
        assert "<html lang" not in html or response.get("Content-Language") == "uk", name
        if found := english_left(html, names=usernames):
            left[name] = found
    assert left == {}, "\n".join(f"{page}: {found}" for page, found in left.items())


def test_the_pages_say_it_in_ukrainian(world):
    """Not just no English: the words a desk reads, the plural forms and the choices."""
    html = (
        _client(world["editor"])
        .get(reverse("claim_detail", args=[world["claim"].pk]))
        .content.decode()
    )
    assert "Висновок" in html and "Надіслано на розгляд" in html and "Неправда" in html
    assert "1 згадка" in html and "у 1 виданні" in html  # a plural form, Ukrainian's first
    assert "Коментарі до твердження" in html and "Формулювання іншими мовами" in html
    desk = _client(world["editor"]).get(reverse("desk")).content.decode()
    assert "1 стаття" in desk and "Статті для анотування" in desk


def test_refusals_are_in_ukrainian(world):
    """422, 409 and 403 bodies: the reason, in Ukrainian, where the person is looking."""
    editor, claim, article, other = (world[k] for k in ("editor", "claim", "article", "other"))
    client, htmx = _client(editor), {"HX-Request": "true"}
    # 422: an empty selection.
    response = client.post(
        reverse("article_annotations", args=[article.pk]),
        {"start": "3", "end": "3", "exact": "", "claim_text": "Нове", "stance": "asserts"},
        headers=htmx,
    )
    assert response.status_code == 422
    assert "Спершу виділіть слова: виділення порожнє." in response.content.decode()
    assert english_left(response.content.decode()) == []
    # 409: a verdict saved from a form loaded before the last save.
    draft = verdicts.verdict_save(
        claim=other,
        user=editor,
        rating=Rating.MIXED,
        summary="Частково.",
        evidence=[],
        version=None,
    )
    form = {
        "rating": "false", "summary": "Ні.", "version": str(draft.version - 1), "save": "1",
        "evidence-TOTAL_FORMS": "0", "evidence-INITIAL_FORMS": "0",
    }  # fmt: skip
    stale = client.post(reverse("verdict_edit", args=[other.pk]), form, headers=htmx)
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Ви змінили цей висновок в іншій вкладці чи вікні" in body
    assert english_left(body) == []
    # 403: a verdict already waiting for review, submitted again.
    verdict = world["verdict"]
    refused = client.post(
        reverse("verdict_submit", args=[verdict.pk]), {"version": verdict.version}, headers=htmx
    )
    assert refused.status_code == 403
    body = refused.content.decode()
    assert "Висновок зі статусом «надіслано на розгляд» не можна надіслати на розгляд." in body
    assert english_left(body) == []


def test_model_choices_are_translated():
    with translation.override("uk"):
        assert Stance.ASSERTS.label == "Стверджує"
        assert [str(label) for _, label in Stance.choices] == [
            "Стверджує",
            "Переказує",
            "Заперечує",
        ]
        assert str(Rating.MOSTLY_FALSE.label) == "Переважно неправда"
        assert str(Rating.MISLEADING.label) == "Маніпуляція"
        assert str(Status.CHANGES_REQUESTED.label) == "Потрібні зміни"
    with translation.override("en"):
        assert Stance.ASSERTS.label == "Asserts"  # English stays the source


def test_a_policy_refusal_in_ukrainian(db):
    reviewer = factories.ReviewerFactory()
    with translation.override("uk"):
        refusal = policy.may_edit(reviewer, None)
        assert str(refusal) == "Писати висновки й надсилати їх на розгляд можуть лише редактори."
        assert refusal.status == 403
    with translation.override("en"):
        assert str(policy.may_edit(reviewer, None)) == "Only editors can write or submit verdicts."


def _catalogue(client, language: str) -> dict:
    response = client.get(reverse("javascript_catalog", args=[language]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    text = response.content.decode()
    found = re.search(r"const newcatalog = (\{.*?\});\n", text, re.S)
    return json.loads(found.group(1)) if found else {}  # no catalogue: the source language


def test_the_javascript_catalogue_answers_in_ukrainian(client, ukrainian):
    catalogue = _catalogue(client, "uk")
    assert catalogue["Annotate"] == "Анотувати"
    assert catalogue["New claim: “%(typed)s”"] == "Нове твердження: «%(typed)s»"
    assert catalogue["%(length)s of %(limit)s characters"] == [
        "%(length)s з %(limit)s символу",
        "%(length)s з %(limit)s символів",
        "%(length)s з %(limit)s символів",
    ]
    assert _catalogue(client, "en") == {}  # English is the source: nothing to translate
    assert client.get("/jsi18n/xx/").status_code == 404


def test_mail_is_written_in_the_recipients_language(
    db, settings, django_capture_on_commit_callbacks
):
    """The recipient's language: their preference when part 1's field holds one, else the
    site's LANGUAGE_CODE (here Ukrainian)."""
    settings.LANGUAGE_CODE = "uk"
    editor, reviewer = factories.EditorFactory(), factories.ReviewerFactory()
    claim = factories.ClaimFactory(statement="Путін привітав Трампа")
    with django_capture_on_commit_callbacks(execute=True):
        claim_assign(claim=claim, assignee=editor, user=reviewer)
    [message] = mail.outbox
    assert message.subject == "Доручено вам: Путін привітав Трампа"
    assert "доручає вам це твердження" in message.body
    assert translation.get_language() != "uk" or settings.LANGUAGE_CODE == "uk"


# --- static/js: no user-facing string written into the page without gettext ----------------

JS = Path(settings.BASE_DIR) / "static" / "js"
WRITES = re.compile(
    r"\.(?:textContent|innerText|innerHTML|title|placeholder|ariaLabel)\s*=\s*(?P<a>[^;]+);"
    r"|\b(?:alert|confirm|prompt)\((?P<b>[^;]+)\);"
    r"|setAttribute\(\s*[\"'](?:aria-label|title|placeholder|alt)[\"']\s*,(?P<c>[^;]+)\);"
)
LITERAL = re.compile(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)""")
WRAPPED = re.compile(r"\b(?:gettext|ngettext|interpolate)\(")


def _unwrapped(expression: str) -> str:
    """``expression`` without its gettext/ngettext/interpolate calls (balanced parentheses)."""
    while match := WRAPPED.search(expression):
        depth, end = 0, match.end() - 1
        for end in range(match.end() - 1, len(expression)):
            depth += {"(": 1, ")": -1}.get(expression[end], 0)
            if depth == 0:
                break
        expression = expression[: match.start()] + expression[end + 1 :]
    return expression


def hard_coded(source: str) -> list[str]:
    """String literals with a word in them, written into the page not through gettext."""
    found = []
    for match in WRITES.finditer(source):
        expression = _unwrapped(next(group for group in match.groups() if group))
        for literal in LITERAL.findall(expression):
            if re.search(r"[A-Za-z]{2,}", re.sub(r"\$\{[^}]*\}", "", literal)):
                found.append(literal)
    return found


def test_the_scan_catches_a_hard_coded_string():
    assert hard_coded('el.textContent = "Saved";') == ['"Saved"']
    assert hard_coded("el.textContent = `Saved ${n} highlights`;") == ["`Saved ${n} highlights`"]
    assert hard_coded("alert('Could not save');") == ["'Could not save'"]
    assert hard_coded('b.setAttribute("aria-label", "Close");') == ['"Close"']
    assert hard_coded('el.textContent = ok ? gettext("Saved") : "";') == []
    assert hard_coded('el.textContent = interpolate(gettext("%(n)s saved"), { n });') == []
    assert hard_coded('el.textContent = "";') == []


def test_static_js_has_no_hard_coded_string():
    files = sorted(JS.rglob("*.js"))
    assert len(files) >= 10
    found = {str(f.relative_to(JS)): hard_coded(f.read_text()) for f in files}
    assert {name: strings for name, strings in found.items() if strings} == {}


def test_the_admins_claim_pages_name_the_fields_in_ukrainian(admin_user, ukrainian):
    """Model and field names (verbose names) reach the admin in the reader's language."""
    claim = factories.ClaimFactory(statement="Путін привітав Трампа", claimant="Кремль")
    client = _client(admin_user)
    listing = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "Твердження" in listing
    change = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "Формулювання" in change and "Автор твердження" in change
    assert "Statement:" not in change and "Claimant:" not in change
