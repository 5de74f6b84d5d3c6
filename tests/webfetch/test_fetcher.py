"""The safe fetcher against a real local server: what it reads and everything it refuses."""

import pytest

from tests.webfetch.server import LocalWeb, Route
from webfetch.fetcher import EVIDENCE, FEED, PAGE, FetchError, address_refusal, fetch

HTML = "<html><head><title>T</title></head><body><p>Hello</p></body></html>"


def test_a_page_is_read_with_an_honest_user_agent(web, settings):
    settings.SITE_URL = "https://desk.example.org"
    url = web.route("/a", html=HTML)
    response = fetch(url, use=PAGE)
    assert response.status == 200
    assert response.body == HTML.encode()
    assert response.content_type == "text/html"
    assert response.charset == "utf-8"
    assert response.peer == "127.0.0.1"
    agent = web.requests[0][1]["user-agent"]
    assert "https://desk.example.org" in agent and "fact-checking desk" in agent
    assert web.requests[0][1]["accept-encoding"] == "identity"


def test_redirects_are_followed_and_the_final_address_kept(web):
    final = web.route("/final", html=HTML)
    web.route("/start", status=301, headers={"Location": "/middle"})
    web.route("/middle", status=302, headers={"Location": final})
    response = fetch(web.url("/start"), use=PAGE)
    assert response.final_url == final
    assert response.url == web.url("/start")


# ---------------------------------------------------------------------------- refusals
# These run with FETCH_ALLOW_PRIVATE_NETWORKS off, as in production.


@pytest.fixture
def production(settings):
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = False


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
        ("http://localhost/", "is a loopback address"),
        ("http://10.1.2.3/", "10.1.2.3 is a private address"),
        ("http://192.168.0.1/", "private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[::1]:8080/", "::1 is a loopback address"),
        ("http://[::ffff:127.0.0.1]/", "127.0.0.1 is a loopback address"),
        ("http://[fe80::1]/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://240.0.0.1/", "reserved"),
    ],
)
def test_non_public_addresses_are_refused(production, url, reason):
    with pytest.raises(FetchError, match="not on the public internet") as error:
        fetch(url, use=PAGE)
    assert reason in str(error.value)


def test_the_local_server_itself_is_refused_in_production(production, web):
    url = web.route("/a", html=HTML)
    with pytest.raises(FetchError, match="127.0.0.1 is a loopback address"):
        fetch(url, use=PAGE)
    assert web.requests == []  # never connected


def test_a_redirect_to_loopback_is_refused(settings):
    """The first server is allowed (its one address, 127.0.0.2); the redirect to 127.0.0.1
    is checked again and refused before anything is asked of it."""
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = ["127.0.0.2/32"]
    inside, outside = LocalWeb("127.0.0.1"), LocalWeb("127.0.0.2")
    try:
        inside.route("/secret", html="<p>admin</p>")
        outside.route("/go", status=302, headers={"Location": inside.url("/secret")})
        with pytest.raises(FetchError, match="127.0.0.1 is a loopback address"):
            fetch(outside.url("/go"), use=PAGE)
        assert inside.requests == []
        assert len(outside.requests) == 1
    finally:
        inside.close()
        outside.close()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("file:///etc/passwd", "not file:"),
        ("ftp://example.org/x", "not ftp:"),
        ("gopher://example.org/", "not gopher:"),
        ("javascript:alert(1)", "not javascript:"),
        ("example.org/page", "not no scheme"),
    ],
)
def test_only_http_and_https_are_fetched(production, url, shown):
    with pytest.raises(FetchError, match="only http:// and https://") as error:
        fetch(url, use=PAGE)
    assert shown in str(error.value)


def test_credentials_in_the_address_are_refused(production):
    with pytest.raises(FetchError, match="user name or password"):
        fetch("http://user:pw@example.org/", use=PAGE)


def test_the_allow_list_lets_only_its_networks_through(settings):
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = ["10.0.0.0/8"]
    assert address_refusal("10.2.3.4") == ""
    assert "loopback" in address_refusal("127.0.0.1")
    assert address_refusal("93.184.215.14") == ""  # public: always allowed
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = True
    assert "multicast" in address_refusal("224.0.0.1")  # never, whatever the setting


# ---------------------------------------------------------------------------- limits


def test_a_redirect_loop_is_refused(web):
    web.route("/a", status=302, headers={"Location": "/b"})
    web.route("/b", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(web.url("/a"), use=PAGE)


def test_too_many_redirects_are_refused(web, settings):
    settings.FETCH_MAX_REDIRECTS = 3
    for n in range(10):
        web.route(f"/r{n}", status=307, headers={"Location": f"/r{n + 1}"})
    with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)"):
        fetch(web.url("/r0"), use=PAGE)
    assert len(web.requests) == 4


def test_a_huge_body_is_refused_after_reading_at_most_the_limit(web, settings):
    """50 MB streamed without a Content-Length: the fetcher stops at the limit."""
    settings.FETCH_MAX_BYTES = 1024 * 1024
    megabyte = b"<p>" + b"x" * (1024 * 1024 - 3)
    web.routes["/huge"] = Route(
        200, lambda: (megabyte for _ in range(50)), {"Content-Type": "text/html"}
    )
    with pytest.raises(FetchError, match="too large: more than the 1 MB limit") as error:
        fetch(web.url("/huge"), use=PAGE)
    assert error.value.read == 1024 * 1024 + 1  # one byte past the limit, and no more
    # The server wrote far less than 50 MB before the connection was closed on it.
    assert web.sent.get("/huge", 0) < 10 * 1024 * 1024


def test_a_declared_huge_body_is_refused_before_reading(web, settings):
    settings.FETCH_MAX_BYTES = 1000
    web.route("/big", body=b"x" * 5000, headers={"Content-Type": "text/html"})
    with pytest.raises(FetchError, match="the server says 5,000 bytes, the limit is 1,000 bytes"):
        fetch(web.url("/big"), use=PAGE)


def test_a_slow_server_times_out(web, settings):
    """A server that trickles a byte every 0.3 s never trips a per-read timeout; the total
    deadline stops it."""
    settings.FETCH_TOTAL_TIMEOUT = 1
    web.routes["/slow"] = Route(
        200, lambda: (b"x" for _ in range(100)), {"Content-Type": "text/html"}, delay=0.3
    )
    with pytest.raises(FetchError, match="timed out: the fetch took longer than 1 s"):
        fetch(web.url("/slow"), use=PAGE)


def test_a_server_that_never_answers_times_out(settings):
    import socket

    settings.FETCH_TOTAL_TIMEOUT = 1
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        with pytest.raises(FetchError, match="timed out"):
            fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/", use=PAGE)
    finally:
        listener.close()


def test_a_closed_port_is_a_clear_failure():
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(FetchError, match="could not connect"):
        fetch(f"http://127.0.0.1:{port}/", use=PAGE)


# ---------------------------------------------------------------------- content types


def test_a_pdf_where_a_page_was_expected_is_refused(web):
    web.route("/doc.pdf", body=b"%PDF-1.7 ...", headers={"Content-Type": "application/pdf"})
    with pytest.raises(
        FetchError, match=r"expected a web page, but the server sent a PDF document"
    ):
        fetch(web.url("/doc.pdf"), use=PAGE)


def test_an_image_labelled_html_is_refused(web):
    web.route("/img", body=b"\x89PNG\r\n\x1a\n....", headers={"Content-Type": "text/html"})
    with pytest.raises(FetchError, match=r"an image \(image/png\) labelled text/html"):
        fetch(web.url("/img"), use=PAGE)


def test_each_use_has_its_types(web):
    web.route("/doc.pdf", body=b"%PDF-1.7 ...", headers={"Content-Type": "application/pdf"})
    assert fetch(web.url("/doc.pdf"), use=EVIDENCE).body.startswith(b"%PDF")
    web.route("/feed", body=b"<rss/>", headers={"Content-Type": "application/rss+xml"})
    assert fetch(web.url("/feed"), use=FEED).body == b"<rss/>"
    with pytest.raises(FetchError, match="expected a feed, but the server sent text/html"):
        fetch(web.route("/page", html=HTML), use=FEED)


def test_an_error_status_is_reported_with_its_code(web):
    web.route("/gone", status=410, body=b"gone", headers={"Content-Type": "text/html"})
    with pytest.raises(FetchError, match="the server answered 410 Gone") as error:
        fetch(web.url("/gone"), use=PAGE)
    assert error.value.status == 410


def test_conditional_get_passes_a_304_through(web):
    web.route("/feed", status=304, headers={"ETag": '"v1"'})
    response = fetch(web.url("/feed"), use=FEED, headers={"If-None-Match": '"v1"'})
    assert response.not_modified
    assert web.requests[0][1]["if-none-match"] == '"v1"'


@pytest.fixture
def tls_web(tmp_path):
    """A local HTTPS server with a certificate for 127.0.0.1 that no one trusts."""
    import shutil
    import ssl
    import subprocess

    openssl = shutil.which("openssl")
    assert openssl, "openssl (Debian's package) makes the test certificate"
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            key,
            "-out",
            cert,
        ],
        check=True,
        capture_output=True,
    )
    web = LocalWeb()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    web.server.socket = context.wrap_socket(web.server.socket, server_side=True)
    web.cert = cert
    yield web
    web.close()


def test_https_refuses_a_certificate_nobody_trusts(tls_web):
    tls_web.route("/a", html=HTML)
    with pytest.raises(FetchError, match="the secure connection failed") as error:
        fetch(f"https://127.0.0.1:{tls_web.port}/a", use=PAGE)
    assert "CERTIFICATE_VERIFY_FAILED" in str(error.value)


def test_https_reads_a_page_from_a_trusted_server(tls_web, monkeypatch):
    """The same server once its certificate is trusted (OpenSSL reads SSL_CERT_FILE): the
    TLS handshake names the host and the page is read from the address checked."""
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_web.cert))
    tls_web.route("/a", html=HTML)
    response = fetch(f"https://127.0.0.1:{tls_web.port}/a", use=PAGE)
    assert response.body == HTML.encode() and response.peer == "127.0.0.1"


def test_a_slow_https_server_times_out(tls_web, monkeypatch, settings):
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_web.cert))
    settings.FETCH_TOTAL_TIMEOUT = 1
    tls_web.routes["/slow"] = Route(
        200, lambda: (b"x" for _ in range(100)), {"Content-Type": "text/html"}, delay=0.3
    )
    with pytest.raises(FetchError, match="timed out"):
        fetch(f"https://127.0.0.1:{tls_web.port}/slow", use=PAGE)
