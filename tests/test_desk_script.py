"""The desk script as ES modules (docs/architecture.md, "The desk in the browser"): files of
one job each and of a readable size, the names it shares with the server written once
(claims/desk_names.py), one statement key (the server's), and imports between the modules
that production's hashed static files keep."""

import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage

from claims.desk_names import DESK, EVENTS, IDS
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
DESK_JS = STATIC / "js" / "desk"
MAX_LINES = 400


def _scripts():
    return sorted(path for path in STATIC.rglob("*.js") if "vendor" not in path.parts)


def test_no_script_file_is_over_400_lines():
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in _scripts()
    }
    assert sizes, "no script found"
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_the_desk_script_is_modules_that_import_each_other():
    imported = set()
    for path in DESK_JS.glob("*.js"):
        imported.update(re.findall(r'from "\./([\w]+\.js)";', path.read_text(encoding="utf-8")))
    # Every module but the entry point is imported by another; every import exists.
    assert imported == {p.name for p in DESK_JS.glob("*.js")} - {"main.js"}


def test_the_script_spells_no_shared_name():
    """The ids and event names come from the page (names.js), never spelled in a module."""
    shared = [*IDS.values(), *EVENTS.values(), DESK["anchor"]]
    spelled = {
        path.name: sorted(name for name in shared if re.search(rf"[\"'`#]{name}\b", text))
        for path in DESK_JS.glob("*.js")
        for text in [path.read_text(encoding="utf-8")]
    }
    assert {name: found for name, found in spelled.items() if found} == {}


def test_one_statement_key_the_servers():
    """Whether a typed statement is an existing claim is the server's answer (its
    statement_key, with casefold), never a second key computed in the browser."""
    texts = " ".join(path.read_text(encoding="utf-8") for path in _scripts())
    assert not re.search(r"toLowerCase|toLocaleLowerCase|toUpperCase|localeCompare", texts)


@pytest.mark.django_db
def test_the_page_gives_the_script_its_names_and_a_nonce(editor_client):
    article = factories.ArticleFactory()
    response = editor_client.get(article.get_absolute_url())
    html = response.content.decode()
    found = re.search(r'<script id="desk-names" type="application/json">(.*?)</script>', html)
    assert found and json.loads(unescape(found.group(1))) == DESK
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert re.search(rf'<script type="module" src="[^"]*js/desk/main\.js" nonce="{nonce}">', html)
    for name in ("body", "form", "popover", "errors", "quote", "discard", "layout"):
        assert f'id="{IDS[name]}"' in html


@pytest.mark.django_db
def test_the_server_answers_whether_the_typed_text_is_a_claim(editor_client):
    """The option naming an existing claim carries the text it answers for, as typed: the
    script shows "existing claim" only while the input still holds exactly that."""
    factories.ClaimFactory(statement="Straße is closed")
    typed = "  STRASSE is   closed "  # casefold: ß is ss; spacing and case do not count
    response = editor_client.get("/desk/claims/suggest/", {"claim_text": typed})
    html = response.content.decode()
    assert 'class="suggestion is-exact"' in html
    assert f'data-for="{typed}"' in html


def test_production_static_files_keep_the_imports_between_modules(tmp_path):
    """Hashed names (cached for a year) in production: the imports inside the modules are
    rewritten to the hashed names too, so a page never mixes two releases' modules."""
    from factcheck.storage import StaticFilesStorage

    source = FileSystemStorage(location=STATIC)
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    found = {}
    for path in sorted(DESK_JS.glob("*.js")):
        name = path.relative_to(STATIC).as_posix()
        with source.open(name) as file:
            storage.save(name, file)
        found[name] = (source, name)
    problems = [
        error for _, _, error in storage.post_process(found) if isinstance(error, Exception)
    ]
    assert problems == []
    main = (tmp_path / storage.stored_name("js/desk/main.js")).read_text(encoding="utf-8")
    imports = re.findall(r'from "([^"]+)"', main)
    assert len(imports) == 7
    assert all(re.fullmatch(r"\./\w+\.[0-9a-f]{12}\.js", name) for name in imports), imports
