"""A local HTTP server that tests start: the pages, feeds and misbehaving servers the
fetcher meets, served for real over a socket (no mocks of the network layer)."""

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    status: int = 200
    body: bytes | Callable[[], Iterable[bytes]] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before every chunk of a streamed body


class LocalWeb:
    """``web.route("/a", body=..., headers=...)``; ``web.url("/a")``; ``web.requests`` lists
    (path, headers) of every request; ``web.sent`` counts the body bytes written per path."""

    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, Route | Callable] = {}
        self.requests: list[tuple[str, dict]] = []
        self.sent: dict[str, int] = {}
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                web.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = web.routes.get(self.path)
                if callable(route):
                    route = route(self)
                if route is None:
                    route = Route(404, b"not here", {"Content-Type": "text/plain"})
                self._answer(route)

            def _answer(self, route: Route):
                self.send_response(route.status)
                streamed = callable(route.body)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if not streamed:
                    self.send_header("Content-Length", str(len(route.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                chunks = route.body() if streamed else [route.body]
                try:
                    for chunk in chunks:
                        if route.delay:
                            time.sleep(route.delay)
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        web.sent[self.path] = web.sent.get(self.path, 0) + len(chunk)
                except OSError:  # the client went away (TLS too)
                    pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.host = host
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, *, status=200, body=b"", headers=None, delay=0.0, html=None):
        if html is not None:
            body = html.encode("utf-8") if isinstance(html, str) else html
            headers = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
        self.routes[path] = Route(status, body, headers or {}, delay)
        return self.url(path)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
