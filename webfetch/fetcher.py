"""The one way this project reads the open web (docs/architecture.md, "Reading the web").

Every fetch — an article's page, a feed, a piece of evidence, a check that a link still
works — goes through ``fetch``:

- only ``http://`` and ``https://`` addresses, without a user name or password;
- the host is resolved here and refused when any of its addresses is loopback, private,
  link-local, multicast, reserved or unspecified (``FETCH_ALLOW_PRIVATE_NETWORKS`` lets a
  developer's machine and the test suite reach them); the connection is made to an address
  that passed, and the address actually connected to is checked again, so a name that
  resolves differently a moment later (DNS rebinding) cannot slip through;
- redirects are followed by hand, each new address checked as the first, at most
  ``FETCH_MAX_REDIRECTS``, a loop refused;
- a connect timeout, and a total deadline enforced by a watchdog that shuts the socket, so a
  server that trickles bytes cannot hold a worker;
- the body is streamed and refused as soon as it passes the use's byte limit (never read
  whole first: a declared Content-Length over it is refused before reading anything);
- the content types each use accepts, and the bytes checked against them (a PDF sent as
  text/html is still a PDF);
- an honest User-Agent naming the site; ``Accept-Encoding: identity``, so the byte limit is
  the size of what we keep (no decompression bombs).

``post`` sends a body (a webhook) under the same address checks, deadline and byte limit,
with its own private-network setting (``WEBHOOK_ALLOW_PRIVATE_NETWORKS``); a redirect is
never followed for a POST, and an answer of any status is returned with the start of its
body (the caller decides what a failure is).

Failures raise ``FetchError`` with a message a person understands.
"""

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import timezone

REDIRECTS = {301, 302, 303, 307, 308}
READ_SIZE = 64 * 1024


class FetchError(Exception):
    """A fetch refused or failed; ``str(error)`` is the reason for people. ``status`` is the
    HTTP status when the server answered with an error, ``gone`` when the name no longer
    resolves (both read by the dead-link check)."""

    def __init__(
        self, message: str, *, status: int | None = None, gone: bool = False, read: int = 0
    ):
        super().__init__(message)
        self.status = status
        self.gone = gone
        self.read = read  # body bytes read before a too-large body was refused


@dataclass(frozen=True)
class Use:
    """What a fetch is for: the content types it accepts and how many bytes it may read."""

    name: str  # "a web page", for messages
    content_types: frozenset[str]
    max_bytes_setting: str = "FETCH_MAX_BYTES"
    # Which setting lets private addresses through for this use.
    private_setting: str = "FETCH_ALLOW_PRIVATE_NETWORKS"
    # Past max_bytes: cut the body there (True) instead of refusing the fetch.
    truncate: bool = False

    @property
    def max_bytes(self) -> int:
        return getattr(settings, self.max_bytes_setting)

    def accepts(self, content_type: str) -> bool:
        return any(
            content_type == accepted
            or (accepted.endswith("/") and content_type.startswith(accepted))
            for accepted in self.content_types
        )


HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PAGE = Use("a web page", HTML_TYPES)
FEED = Use(
    "a feed",
    frozenset(
        {
            "application/rss+xml",
            "application/atom+xml",
            "application/rdf+xml",
            "application/xml",
            "text/xml",
            "application/feed+json",
            "application/json",
        }
    ),
)
EVIDENCE = Use(
    "evidence",
    HTML_TYPES | {"application/pdf", "text/plain", "application/json", "image/"},
)
# A webhook's answer: any type, only its start kept (for the delivery log).
WEBHOOK = Use(
    "a webhook's answer",
    frozenset(),
    max_bytes_setting="WEBHOOK_MAX_RESPONSE_BYTES",
    private_setting="WEBHOOK_ALLOW_PRIVATE_NETWORKS",
    truncate=True,
)

# What people call the content types we refuse most often.
TYPE_NAMES = {
    "application/pdf": "a PDF document",
    "application/octet-stream": "a file of unknown type",
    "application/zip": "a zip archive",
    "text/plain": "plain text",
}
# The first bytes of files that servers sometimes label text/html.
MAGIC = {
    b"%PDF-": "application/pdf",
    b"\x89PNG": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF8": "image/gif",
    b"PK\x03\x04": "application/zip",
}


@dataclass
class Response:
    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    content_type: str  # "text/html", without parameters
    charset: str  # from the Content-Type header, "" when none
    body: bytes
    fetched_at: datetime
    peer: str  # the address connected to
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def type_name(content_type: str) -> str:
    if content_type in TYPE_NAMES:
        return f"{TYPE_NAMES[content_type]} ({content_type})"
    if content_type.startswith("image/"):
        return f"an image ({content_type})"
    return content_type or "something without a content type"


# ------------------------------------------------------------------------------ addresses


def allowed_networks(
    setting: str = "FETCH_ALLOW_PRIVATE_NETWORKS",
) -> list[ipaddress._BaseNetwork] | bool:
    """FETCH_ALLOW_PRIVATE_NETWORKS (or another use's ``setting``): False (the default), True
    (every private address: a developer's machine), or a list of networks ("127.0.0.2/32")
    allowed and no others."""
    value = getattr(settings, setting)
    if isinstance(value, bool):
        return value
    return [ipaddress.ip_network(net, strict=False) for net in value]


def address_refusal(address: str, setting: str = "FETCH_ALLOW_PRIVATE_NETWORKS") -> str:
    """Why ``address`` may not be fetched from, or "" when it may (``setting``: which one
    lets private addresses through)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_multicast or ip.is_unspecified:
        return f"{ip} is a {'multicast' if ip.is_multicast else 'unspecified'} address"
    kind = _private_kind(ip)
    if not kind:
        return ""
    allowed = allowed_networks(setting)
    if allowed is True or (allowed and any(ip in net for net in allowed)):
        return ""
    return f"{ip} is a {kind} address"


def _private_kind(ip) -> str:
    for kind, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-public", not ip.is_global),
    ):
        if flag:
            return kind
    return ""


def _addresses(host: str, port: int, setting: str) -> list[tuple]:
    """The host's addresses, every one of them allowed (a name with any private address is
    refused whole: mixing one in is how rebinding attacks start)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"the name {host} could not be resolved ({exc})", gone=True) from None
    for *_, sockaddr in infos:
        refusal = address_refusal(sockaddr[0], setting)
        if refusal:
            raise FetchError(f"{host} is not on the public internet: {refusal}")
    return infos


def _checked_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an address we may fetch."""
    if not isinstance(url, str) or not url.strip():
        raise FetchError("no address given")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"not a valid address: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "no scheme"
        raise FetchError(f"only http:// and https:// addresses can be fetched, not {shown}")
    if parts.username is not None or parts.password is not None:
        raise FetchError("addresses with a user name or password are not fetched")
    if not parts.hostname:
        raise FetchError("the address has no host name")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


# --------------------------------------------------------------------------- connections


def _connect(infos: list[tuple], timeout: float, setting: str) -> socket.socket:
    last = None
    for family, socktype, proto, _, sockaddr in infos:
        sock = socket.socket(family, socktype, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            last = exc
            continue
        # The address actually connected to, checked again (not the one we meant to reach).
        refusal = address_refusal(sock.getpeername()[0], setting)
        if refusal:
            sock.close()
            raise FetchError(f"refused to read from {refusal}")
        return sock
    if isinstance(last, TimeoutError):
        raise FetchError(f"the server did not accept a connection within {timeout:g} s")
    raise FetchError(f"could not connect to the server ({last})")


class _HTTPConnection(http.client.HTTPConnection):
    """http.client's connection, made to an address we checked (the Host header still
    names the host)."""

    def __init__(self, host, port, *, sock_factory, **kwargs):
        super().__init__(host, port, **kwargs)
        self._sock_factory = sock_factory

    def connect(self):
        self.sock = self._sock_factory(None)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, sock_factory, **kwargs):
        super().__init__(host, port, **kwargs)
        self._sock_factory = sock_factory

    def connect(self):
        # The certificate is checked against the host name, not the address connected to.
        self.sock = self._sock_factory(self.host)


class _Deadline:
    """The total time a fetch may take; at the end a watchdog shuts the socket, which wakes
    any read blocked on it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._timer = None

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            self.expired = True
            raise self.error()
        return left

    def error(self) -> FetchError:
        return FetchError(f"timed out: the fetch took longer than {self.seconds:g} s")

    def watch(self, sock: socket.socket) -> None:
        self.cancel()

        def expire():
            self.expired = True
            with _suppress_os_error():
                sock.shutdown(socket.SHUT_RDWR)

        self._timer = threading.Timer(max(self.remaining(), 0.001), expire)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


class _suppress_os_error:
    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        return kind is not None and issubclass(kind, OSError)


def user_agent() -> str:
    return settings.FETCH_USER_AGENT or (
        f"{settings.SITE_NAME.replace(' ', '')}/1.0 (fact-checking desk"
        + (f"; +{settings.SITE_URL}" if settings.SITE_URL else "")
        + ")"
    )


# ---------------------------------------------------------------------------------- fetch


def fetch(url: str, *, use: Use, headers: dict[str, str] | None = None) -> Response:
    """GET ``url`` for ``use`` under every limit above; the final response (a 2xx, or a 304
    when ``headers`` asked conditionally). FetchError otherwise."""
    deadline = _Deadline(settings.FETCH_TOTAL_TIMEOUT)
    seen = [url]
    current = url
    try:
        while True:
            answer = _request(current, use=use, headers=headers or {}, deadline=deadline)
            if answer.status not in REDIRECTS:
                answer.url = url
                return answer
            current = _next_hop(current, answer, seen)
    finally:
        deadline.cancel()


def _next_hop(current: str, answer: Response, seen: list[str]) -> str:
    location = answer.headers.get("location", "").strip()
    if not location:
        raise FetchError(f"the server answered {answer.status} (a redirect) without saying where")
    target = urljoin(current, location)
    if target in seen:
        raise FetchError(f"redirect loop: {target} redirects back to itself")
    if len(seen) > settings.FETCH_MAX_REDIRECTS:
        raise FetchError(f"too many redirects (more than {settings.FETCH_MAX_REDIRECTS})")
    seen.append(target)
    return target


def address_problem(url: str, *, use: Use) -> str:
    """Why ``url`` could not be fetched for ``use`` by its address alone (scheme, host, its
    addresses), or "": what a form checks before storing an address."""
    try:
        _, host, port = _checked_url(url)
        _addresses(host, port, use.private_setting)
    except FetchError as error:
        return str(error)
    return ""


def post(url: str, *, body: bytes, headers: dict[str, str], use: Use = WEBHOOK) -> Response:
    """POST ``body`` to ``url`` under the same limits as ``fetch``: the server's answer
    whatever its status (its body cut at the use's limit), FetchError when it could not be
    sent or answered with a redirect (never followed for a POST)."""
    deadline = _Deadline(settings.FETCH_TOTAL_TIMEOUT)
    try:
        answer = _request(
            url, use=use, headers=headers, deadline=deadline, method="POST", body=body
        )
    finally:
        deadline.cancel()
    if answer.status in REDIRECTS:
        where = answer.headers.get("location", "").strip() or "nowhere"
        raise FetchError(
            f"the server answered {answer.status}, a redirect to {where}, which is not "
            "followed for a POST",
            status=answer.status,
        )
    return answer


def _request(
    url: str,
    *,
    use: Use,
    headers: dict,
    deadline: _Deadline,
    method: str = "GET",
    body: bytes | None = None,
) -> Response:
    scheme, host, port = _checked_url(url)
    infos = _addresses(host, port, use.private_setting)
    connect_timeout = min(settings.FETCH_CONNECT_TIMEOUT, deadline.remaining())
    sock_holder = []

    def sock_factory(tls_host: str | None):
        sock = _connect(infos, connect_timeout, use.private_setting)
        sock_holder.append(sock.getpeername()[0])
        if tls_host:
            sock = ssl.create_default_context().wrap_socket(
                sock, server_hostname=tls_host, do_handshake_on_connect=False
            )
        deadline.watch(sock)  # the socket that is read, so that the watchdog can stop it
        sock.settimeout(deadline.remaining())
        if tls_host:
            sock.do_handshake()
        return sock

    cls = _HTTPSConnection if scheme == "https" else _HTTPConnection
    conn = cls(host, port, sock_factory=sock_factory, timeout=connect_timeout)
    try:
        if method == "POST":
            return _exchange_post(
                conn,
                url,
                use=use,
                body=body or b"",
                headers=headers,
                deadline=deadline,
                peer=sock_holder,
            )
        return _exchange(conn, url, use=use, headers=headers, deadline=deadline, peer=sock_holder)
    except FetchError:
        raise
    except (OSError, http.client.HTTPException) as exc:
        if deadline.expired or isinstance(exc, TimeoutError):
            raise deadline.error() from None
        if isinstance(exc, ssl.SSLError):
            raise FetchError(f"the secure connection failed ({exc.reason or exc})") from None
        raise FetchError(f"the connection failed ({exc or type(exc).__name__})") from None
    finally:
        conn.close()


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _answer(raw, url: str, peer: list) -> Response:
    response_headers = {name.lower(): value for name, value in raw.getheaders()}
    content_type, charset = _content_type(response_headers.get("content-type", ""))
    return Response(
        url=url,
        final_url=url,
        status=raw.status,
        content_type=content_type,
        charset=charset,
        body=b"",
        fetched_at=timezone.now(),
        peer=peer[0] if peer else "",
        headers=response_headers,
    )


def _exchange_post(conn, url, *, use: Use, body: bytes, headers, deadline, peer) -> Response:
    conn.request(
        "POST",
        _target(url),
        body=body,
        headers={"User-Agent": user_agent(), "Accept-Encoding": "identity", **headers},
    )
    raw = conn.getresponse()
    answer = _answer(raw, url, peer)
    if raw.status not in REDIRECTS:
        answer.body = _read_body(raw, use=use, deadline=deadline, headers=answer.headers)
    return answer


def _exchange(conn, url, *, use: Use, headers, deadline: _Deadline, peer: list) -> Response:
    target = _target(url)
    conn.request(
        "GET",
        target,
        headers={
            "User-Agent": user_agent(),
            "Accept": ", ".join(
                sorted(t + ("*" if t.endswith("/") else "") for t in use.content_types)
            )
            + ", */*;q=0.1",
            "Accept-Encoding": "identity",
            **headers,
        },
    )
    raw = conn.getresponse()
    answer = _answer(raw, url, peer)
    response_headers = answer.headers
    if raw.status in REDIRECTS or raw.status == 304:
        return answer
    if not 200 <= raw.status < 300:
        reason = f" {raw.reason}" if raw.reason else ""
        raise FetchError(f"the server answered {raw.status}{reason}", status=raw.status)
    _check_type(answer, use)
    answer.body = _read_body(raw, use=use, deadline=deadline, headers=response_headers)
    _check_magic(answer, use)
    return answer


def _content_type(header: str) -> tuple[str, str]:
    main, _, params = header.partition(";")
    charset = ""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower()
    return main.strip().lower(), charset


def _check_type(answer: Response, use: Use) -> None:
    if not use.accepts(answer.content_type):
        raise FetchError(
            f"expected {use.name}, but the server sent {type_name(answer.content_type)}"
        )


def _check_magic(answer: Response, use: Use) -> None:
    for magic, content_type in MAGIC.items():
        if answer.body.startswith(magic) and not use.accepts(content_type):
            raise FetchError(
                f"expected {use.name}, but the server sent {type_name(content_type)} "
                f"labelled {answer.content_type}"
            )


def _read_body(raw, *, use: Use, deadline: _Deadline, headers: dict) -> bytes:
    """The body, streamed: refused as soon as it passes the limit, which is all it reads."""
    limit = use.max_bytes
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit and not use.truncate:
        raise FetchError(
            f"too large: the server says {_size(int(declared))}, the limit is {_size(limit)}"
        )
    chunks, total = [], 0
    while True:
        deadline.remaining()
        chunk = raw.read1(min(READ_SIZE, limit + 1 - total))
        if deadline.expired:
            raise deadline.error()
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit and use.truncate:
            return b"".join(chunks) + chunk[: limit - total + len(chunk)]
        if total > limit:
            raise FetchError(
                f"too large: more than the {_size(limit)} limit (stopped reading there)",
                read=total,
            )
        chunks.append(chunk)
