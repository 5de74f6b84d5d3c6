"""An article from a URL: the command, the import path, duplicates, copies and bad input,
with pages served by a real local server."""

import io
import zlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, ImportBatch, ImportRecord, Outlet
from articles.signals import articles_imported
from tests.webfetch.conftest import bench_label, bench_page
from tests.webfetch.server import Route

pytestmark = pytest.mark.django_db


def run(*urls) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("import_urls", *urls, stdout=out)
    except CommandError as error:
        return out.getvalue(), error.returncode
    return out.getvalue(), 0


def test_a_page_becomes_an_article_with_its_metadata_and_source(web):
    html = bench_page("en-harbour-bridge")
    url = web.route("/harbour", html=html)
    out, status = run(url)
    assert status == 0
    article = Article.objects.get()
    assert f"imported  {url} → Article {article.pk} 'Harbour bridge repairs" in out
    assert "1 address: 1 imported, 0 duplicates, 0 failed" in out
    assert (
        article.title
        == "Harbour bridge repairs will cost twice the council's estimate, engineers say"
    )
    assert article.published_on.isoformat() == "2026-03-12"
    assert article.authors == "Margaret Ellison"
    assert article.language == "en"
    canonical = "https://www.coastalherald.example/news/2026/03/12/harbour-bridge-repairs-cost"
    assert article.url == article.canonical_url == canonical
    assert article.source_url == url
    assert article.outlet.domain == "coastalherald.example"
    assert article.outlet.name == "The Coastal Herald"
    # The main text only: no navigation, cookie notice, captions, share bar or related links.
    assert article.body == bench_label("en-harbour-bridge").strip()
    for boilerplate in ("cookies", "Share on", "Related stories", "Photograph:", "Read more"):
        assert boilerplate not in article.body
    assert zlib.decompress(bytes(article.source_html)) == html.encode("utf-8")
    assert article.fetched_at is not None
    import hashlib

    assert article.source_sha256 == hashlib.sha256(html.encode()).hexdigest()
    assert ImportBatch.objects.get().via == "command"


def test_the_outlet_is_found_by_its_domain(web):
    outlet = Outlet.objects.create(name="Poltava News", domain="poltava-news.example")
    run(web.route("/t", html=bench_page("uk-energy-tariffs")))
    article = Article.objects.get()
    assert article.outlet == outlet
    assert article.language == "uk"
    assert Outlet.objects.count() == 1


def test_importing_again_is_a_duplicate_naming_the_article(web):
    url = web.route("/a", html=bench_page("ru-metro-line"))
    run(url)
    article = Article.objects.get()
    out, status = run(url)
    assert status == 0
    assert f"duplicate {url} → duplicate of Article {article.pk}" in out
    assert Article.objects.count() == 1


def test_the_same_canonical_url_at_another_address_is_a_duplicate(web):
    """Another address (tracking parameters, a mobile site) whose canonical URL is the
    stored article's, even with a changed line, is the same article."""
    html = bench_page("ru-flu-season")
    first = web.route("/news?utm_source=x", html=html)
    second = web.route("/m/news", html=html.replace("41 тысячи", "41,2 тысячи"))
    out, _ = run(first, second)
    article = Article.objects.get()
    assert f"duplicate {second} → duplicate of Article {article.pk}" in out


def test_an_address_that_is_a_stored_canonical_url_is_a_duplicate(web):
    html = bench_page("en-wheat-prices")
    url = web.route("/wheat", html=html)
    run(url)
    # The page says its canonical address is itself now: asked for by that address.
    web.route(
        "/wheat2",
        html=html.replace(
            'rel="canonical" href="https://commoditywire.example/markets/grain/wheat-export-prices-2026"',
            f'rel="canonical" href="{url}"',
        ),
    )
    out, _ = run(web.url("/wheat2"))
    assert "duplicate" in out and Article.objects.count() == 1


def test_a_near_duplicate_is_stored_and_linked_to_the_original(web):
    html = bench_page("en-clinic-waiting")
    original_url = web.route("/orig", html=html)
    copy = (
        html.replace("midlandpost.example", "wire-copy.example")
        .replace("Midland Evening Post", "Wire Copy Daily")
        .replace("The patients' group Healthwatch Midland", "The patients' group Healthwatch")
    )
    copy_url = web.route("/copy", html=copy)
    out, status = run(original_url, copy_url)
    assert status == 0
    original, copied = Article.objects.order_by("pk")
    assert copied.copy_of == original
    assert original.copy_of is None
    assert copied.outlet.name == "Wire Copy Daily"
    assert f"(a copy of Article {original.pk})" in out


def test_a_different_story_is_not_a_copy(web):
    run(
        web.route("/a", html=bench_page("en-clinic-waiting")),
        web.route("/b", html=bench_page("en-wheat-prices")),
    )
    assert not Article.objects.filter(copy_of__isnull=False).exists()


def test_a_copy_of_a_stored_file_is_found_in_a_later_run(web):
    html = bench_page("uk-school-buses")
    run(web.route("/1", html=html))
    copy = html.replace("volyn-today.example", "other.example").replace(
        "Чотирнадцять громад", "14 громад"
    )
    run(web.route("/2", html=copy))
    first, second = Article.objects.order_by("pk")
    assert second.copy_of == first


def test_the_post_import_hook_is_sent_once_per_stored_group(
    web, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, batch, articles, **kwargs):
        received.append((batch.pk, [a.pk for a in articles]))

    articles_imported.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run(web.route("/a", html=bench_page("en-clinic-waiting")))
            run(web.url("/a"))  # a duplicate: nothing new, no signal
    finally:
        articles_imported.disconnect(listener)
    assert received == [(ImportBatch.objects.order_by("pk").first().pk, [Article.objects.get().pk])]


# ------------------------------------------------------------------------------ bad input


def failed(out: str, url: str) -> str:
    line = next(line for line in out.splitlines() if line.startswith(f"FAILED    {url}"))
    return line.split(": ", 1)[1]


def test_bad_pages_fail_with_a_reason_and_store_nothing(web, settings):
    settings.FETCH_MAX_BYTES = 100_000
    settings.FETCH_TOTAL_TIMEOUT = 1
    good = web.route("/good", html=bench_page("uk-interview-archive"))
    empty = web.route(
        "/empty",
        html="<html><body><nav><a href='/'>Home</a></nav><p>Subscribe to read.</p></body></html>",
    )
    pdf = web.route("/doc", body=b"%PDF-1.4 report", headers={"Content-Type": "application/pdf"})
    image = web.route("/img", body=b"\x89PNG\r\n\x1a\nxx", headers={"Content-Type": "image/png"})
    web.routes["/big"] = Route(
        200, lambda: (b"<p>" + b"x" * 9997 for _ in range(50)), {"Content-Type": "text/html"}
    )
    loop = web.route("/loop", status=301, headers={"Location": "/loop2"})
    web.route("/loop2", status=301, headers={"Location": "/loop"})
    web.routes["/slow"] = Route(
        200, lambda: (b"<p>x</p>" for _ in range(50)), {"Content-Type": "text/html"}, delay=0.2
    )
    missing = web.url("/missing")
    out, status = run(
        good,
        empty,
        pdf,
        image,
        web.url("/big"),
        loop,
        web.url("/slow"),
        missing,
        "ftp://example.org/a",
        "file:///etc/passwd",
    )
    assert status == 1
    assert failed(out, empty) == "no article text found on the page (only 3 words)"
    assert (
        failed(out, pdf)
        == "expected a web page, but the server sent a PDF document (application/pdf)"
    )
    assert failed(out, image) == "expected a web page, but the server sent an image (image/png)"
    assert failed(out, web.url("/big")).startswith("too large: more than the 100,000 bytes limit")
    assert failed(out, loop).startswith("redirect loop")
    assert failed(out, web.url("/slow")) == "timed out: the fetch took longer than 1 s"
    assert failed(out, missing) == "the server answered 404 Not Found"
    assert (
        failed(out, "ftp://example.org/a")
        == "only http:// and https:// addresses can be fetched, not ftp:"
    )
    assert (
        failed(out, "file:///etc/passwd")
        == "only http:// and https:// addresses can be fetched, not file:"
    )
    assert "10 addresses: 1 imported, 0 duplicates, 9 failed" in out
    assert Article.objects.count() == 1
    assert ImportRecord.objects.filter(outcome="failed", article__isnull=True).count() == 9


def test_a_private_address_is_refused_in_production(web, settings):
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = False
    url = web.route("/a", html=bench_page("en-clinic-waiting"))
    out, status = run(url, "http://10.0.0.7/news", "http://[::1]/x")
    assert status == 1
    assert "127.0.0.1 is a loopback address" in failed(out, url)
    assert "10.0.0.7 is a private address" in failed(out, "http://10.0.0.7/news")
    assert web.requests == [] and not Article.objects.exists()


def test_a_windows_1251_page_labelled_utf_8_is_read_as_what_it_is(web):
    html = bench_page("ru-flu-season").replace("charset=utf-8", "charset=utf-8")
    url = web.route(
        "/cp", body=html.encode("cp1251"), headers={"Content-Type": "text/html; charset=utf-8"}
    )
    out, status = run(url)
    assert status == 0, out
    article = Article.objects.get()
    assert article.body == bench_label("ru-flu-season").strip()
    assert article.title == "В Новосибирской области превышен эпидемический порог по гриппу"
    assert article.source_encoding == "cp1251 (labelled utf-8)"


def test_a_page_in_its_declared_legacy_encoding(web):
    html = bench_page("uk-school-buses").replace("charset=utf-8", "charset=windows-1251")
    url = web.route("/w", body=html.encode("cp1251"), headers={"Content-Type": "text/html"})
    run(url)
    article = Article.objects.get()
    assert article.source_encoding == "windows-1251"
    assert "Чотирнадцять громад" in article.body


def test_the_desk_says_also_published_by(web, editor_client):
    html = bench_page("en-clinic-waiting")
    copy = (
        html.replace("midlandpost.example", "wire-copy.example")
        .replace("Midland Evening Post", "Wire Copy Daily")
        .replace("asked the trust to publish", "urged the trust to publish")
    )
    run(web.route("/orig", html=html), web.route("/copy", html=copy))
    original, copied = Article.objects.order_by("pk")
    page = editor_client.get(original.get_absolute_url()).content.decode()
    assert "Also published by:" in page and "Wire Copy Daily</a>" in page
    assert "Read from <a href=" in page
    page = editor_client.get(copied.get_absolute_url()).content.decode()
    assert f'A copy of <a href="/desk/articles/{original.pk}/">' in page
    assert "(Midland Evening Post)" in page


def test_a_copy_counts_as_its_own_outlet_marked_as_a_copy(web, editor_client):
    from tests import factories

    html = bench_page("en-clinic-waiting")
    copy = (
        html.replace("midlandpost.example", "wire-copy.example")
        .replace("Midland Evening Post", "Wire Copy Daily")
        .replace("asked the trust to publish", "urged the trust to publish")
    )
    run(web.route("/orig", html=html), web.route("/copy", html=copy))
    original, copied = Article.objects.order_by("pk")
    claim = factories.ClaimFactory()
    for article in (original, copied):
        factories.AnnotationFactory(article=article, claim=claim, quote="94 minutes")
    page = editor_client.get(f"/desk/claims/{claim.pk}/").content.decode()
    assert "2 appearances in 2 outlets" in " ".join(page.split())
    assert page.count('<span class="badge article-copy">copy</span>') == 1
    assert f'href="/desk/articles/{original.pk}/">of an earlier article</a>' in page
