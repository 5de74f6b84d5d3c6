"""The Ukrainian catalogue is complete and consistent (README, "Adding a language"): every
entry translated, none fuzzy, placeholders kept, three plural forms; the committed .mo is the
.po compiled; and `make messages`' makemessages leaves the catalogues as committed."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))
# Every language but the source has its catalogues (the JavaScript one, djangojs.po, too).
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]

PLACEHOLDER = re.compile(r"%\([^)]+\)[sdfir]|%[sdfir]|\{[a-zA-Z_][a-zA-Z0-9_]*\}")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def test_every_language_has_its_catalogue():
    for code in LANGUAGES:
        assert (ROOT / "locale" / code / "LC_MESSAGES" / "django.po").exists(), code


@pytest.mark.parametrize("path", CATALOGUES, ids=_ids(CATALOGUES))
def test_every_entry_is_translated_and_none_is_fuzzy(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], f"{len(untranslated)} untranslated: {untranslated[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=_ids(CATALOGUES))
def test_placeholders_match_and_plurals_have_every_form(path):
    po = polib.pofile(str(path))
    forms = int(re.search(r"nplurals\s*=\s*(\d+)", po.metadata["Plural-Forms"]).group(1))
    if path.parts[-3] == "uk":
        assert forms == 3  # 1 стаття, 2 статті, 5 статей
    wrong = []
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(forms)), entry.msgid
            for n, text in entry.msgstr_plural.items():
                # Every form keeps every placeholder: Ukrainian's first form is also 21, 31…
                if _placeholders(text) != _placeholders(entry.msgid_plural):
                    wrong.append((entry.msgid, n, text))
        elif _placeholders(entry.msgstr) != _placeholders(entry.msgid):
            wrong.append((entry.msgid, None, entry.msgstr))
    assert wrong == []


@pytest.mark.parametrize("path", CATALOGUES, ids=_ids(CATALOGUES))
def test_the_committed_mo_is_the_po_compiled(path):
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is not committed: run make messages"
    committed = {(e.msgctxt, e.msgid): _strings(e) for e in polib.mofile(str(mo_path))}
    po = polib.pofile(str(path))
    compiled = polib.mofile(str(mo_path))  # a shape to fill in memory
    compiled.clear()
    for entry in po.translated_entries():
        compiled.append(entry)
    fresh = {(e.msgctxt, e.msgid): _strings(e) for e in polib.mofile(compiled.to_binary())}
    assert committed == fresh


def _strings(entry) -> tuple:
    if entry.msgid_plural:
        return (entry.msgid_plural, tuple(sorted(entry.msgstr_plural.items())))
    return (entry.msgstr,)


def _without_creation_date(text: str) -> str:
    return re.sub(r'"POT-Creation-Date: [^"]*"\n', "", text)


def test_makemessages_leaves_no_diff(tmp_path):
    """The Makefile's own makemessages options, run over a copy of the project: the
    catalogues come out as committed (a string marked but not in them, or one they keep that
    no code marks any more, is a diff)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    options = re.search(r"MAKEMESSAGES := (.*?)\n\S", makefile, re.S).group(1)
    options = options.replace("\\\n", " ").split()
    if shutil.which("xgettext") is None:
        pytest.fail("gettext's xgettext is needed (apt install gettext)")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "node_modules", ".git", "staticfiles", "media", "__pycache__", "*.mo"
        ),
        symlinks=True,
    )
    for domain in ("django", "djangojs"):
        subprocess.run(
            [sys.executable, "manage.py", *options, "--domain", domain],
            cwd=copy,
            check=True,
            capture_output=True,
            env={
                "DEBUG": "1",
                "PATH": "/usr/bin:/bin",
                "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            },
        )
    for path in CATALOGUES:
        ours = _without_creation_date(path.read_text(encoding="utf-8"))
        theirs = _without_creation_date((copy / path.relative_to(ROOT)).read_text(encoding="utf-8"))
        assert theirs == ours, f"{path.relative_to(ROOT)}: run make messages and commit"
