import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.test import Client

from articles.models import Article, ImportBatch
from factcheck import roles
from tests.articles.helpers import SEEDS, make_zip


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_import_articles_prints_a_line_per_file_and_a_summary():
    output = run("import_articles", str(SEEDS))
    lines = output.strip().splitlines()
    assert len(lines) == 6
    first = Article.objects.get(source_filename="000_01bdff13e4530c6d.txt")
    assert lines[0] == (
        f"imported  {SEEDS / '000_01bdff13e4530c6d.txt'} → Article {first.pk} "
        "'Putin congratulated Trump on his election victory through \"acquaintances\"'"
    )
    assert lines[-1].startswith("5 files: 5 imported, 0 duplicates, 0 failed")
    batch = ImportBatch.objects.get()
    assert (batch.via, batch.user) == ("command", None)


@pytest.mark.django_db
def test_import_articles_twice_imports_nothing_new():
    run("import_articles", str(SEEDS))
    output = run("import_articles", str(SEEDS))
    assert output.count("duplicate ") == 5
    assert "5 files: 0 imported, 5 duplicates, 0 failed" in output
    assert Article.objects.count() == 5


@pytest.mark.django_db
def test_a_mixed_batch_imports_the_good_files_and_exits_1(tmp_path):
    (tmp_path / "good.txt").write_text("A good headline\n\nGood body text.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "pack.zip").write_bytes(make_zip({"../up.txt": b"escape", "in.txt": b"Inner."}))
    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_articles", str(tmp_path), stdout=out, stderr=StringIO())
    assert excinfo.value.returncode == 1
    assert "3 files failed" in str(excinfo.value)
    output = out.getvalue()
    assert f"FAILED    {tmp_path / 'empty.txt'}: empty file" in output
    assert f"FAILED    {tmp_path / 'image.txt'}: binary file" in output
    assert f"FAILED    {tmp_path / 'pack.zip'}:../up.txt: path leaves the archive" in output
    assert re.search(r"^imported  .*good\.txt → Article \d+ 'A good headline'$", output, re.M)
    assert "5 files: 2 imported, 0 duplicates, 3 failed" in output
    assert set(Article.objects.values_list("title", flat=True)) == {"A good headline", ""}


@pytest.mark.django_db
def test_progress_is_shown_for_large_batches(tmp_path):
    for n in range(120):
        (tmp_path / f"{n:03}.txt").write_text(f"Article {n} has a body.", encoding="utf-8")
    output = run("import_articles", str(tmp_path))
    assert [line for line in output.splitlines() if line.startswith("[")] == [
        "[50/120]",
        "[100/120]",
        "[120/120]",
    ]


def test_the_exit_status_is_1_from_the_shell(tmp_path):
    """Through a real process, on a throwaway SQLite database."""
    (tmp_path / "good.txt").write_text("A good headline\n\nBody.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=300)
    done = subprocess.run(
        [*manage, "import_articles", str(tmp_path / "good.txt"), str(tmp_path / "empty.txt")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert "imported  " in done.stdout
    assert "FAILED    " in done.stdout
    assert "1 file failed" in done.stderr


ACCOUNT_LINE = re.compile(r"^\s+(\w+)\s+password: (\S+)\s+role: (.+)$", re.M)


def seed_demo():
    output = run("seed_demo")
    return output, {name: (password, role) for name, password, role in ACCOUNT_LINE.findall(output)}


@pytest.mark.django_db
def test_seed_demo_prints_the_address_it_is_served_at(settings):
    """`make run PORT=8001` sets SITE_URL: the printed link (and mail links) follow it."""
    settings.SITE_URL = "http://127.0.0.1:8001"
    output, _ = seed_demo()
    assert "Sign in at http://127.0.0.1:8001/" in output


@pytest.mark.django_db
def test_seed_demo_imports_the_seeds_and_prints_working_accounts():
    output, accounts = seed_demo()
    assert Article.objects.count() == 5
    assert set(accounts) == {"editor", "reviewer", "admin"}
    assert f"Sign in at {settings.SITE_URL}/" in output
    User = get_user_model()
    assert User.objects.get(username="editor").groups.filter(name=roles.EDITORS).exists()
    assert User.objects.get(username="reviewer").groups.filter(name=roles.REVIEWERS).exists()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    for name, (password, _) in accounts.items():
        assert len(password) >= 16
        validate_password(password, User.objects.get(username=name))  # the site's own rules
        client = Client()
        response = client.post("/accounts/login/", {"username": name, "password": password})
        assert response.status_code == 302, name
    editor = Client()
    editor.post("/accounts/login/", {"username": "editor", "password": accounts["editor"][0]})
    assert editor.get("/desk/").status_code == 200


@pytest.mark.django_db
def test_seed_demo_twice_keeps_five_articles_and_renews_passwords():
    _, first = seed_demo()
    _, second = seed_demo()
    assert Article.objects.count() == 5
    assert get_user_model().objects.filter(username__in=first).count() == 3
    for name in first:
        assert first[name][0] != second[name][0]
        assert not login(name, first[name][0])
        assert login(name, second[name][0])


def login(username, password) -> bool:
    """Through the sign-in page, as a person would (django-axes needs the request)."""
    response = Client().post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


@pytest.mark.django_db
def test_import_articles_reports_an_updated_file_with_what_was_completed(tmp_path):
    """A re-import whose manifest completes a stored article's metadata prints "updated"
    (the command once knew only imported, duplicate and failed)."""
    (tmp_path / "a.txt").write_text("Plain text with no dateline\n\nBody of a.", encoding="utf-8")
    run("import_articles", str(tmp_path))
    (tmp_path / "manifest.toml").write_text(
        '[files."a.txt"]\npublished_on = "2024-11-06"\n', encoding="utf-8"
    )
    output = run("import_articles", str(tmp_path))
    assert "updated" in output and "metadata completed from the manifest: published_on" in output
    assert "1 file: 0 imported, 0 duplicates, 1 updated, 0 failed" in output
