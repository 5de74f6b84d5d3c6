"""A webhook receiver the tests start: a real HTTP server on 127.0.0.1 in a thread, which
records every POST (path, headers, body) and answers with the statuses it is told."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests import factories
from webhooks.models import Endpoint, Event


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """``receiver.answers`` is a list of statuses, used in turn (the last one repeats);
    ``receiver.received`` every request; ``receiver.url(path)``."""

    answers: list[int] = field(default_factory=lambda: [200])
    received: list[Received] = field(default_factory=list)
    redirect_to: str = ""
    answer_body: bytes = b""  # instead of "answer <status>"
    delay: float = 0.0  # before answering

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.received.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                index = min(len(receiver.received), len(receiver.answers)) - 1
                status = receiver.answers[index]
                answer = receiver.answer_body or f"answer {status}".encode()
                time.sleep(receiver.delay)
                self.send_response(status)
                if receiver.redirect_to:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(answer)))
                self.send_header("Connection", "close")
                try:
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:  # the sender gave up first (its deadline)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def webhooks_to_localhost(settings):
    """The receiver is on 127.0.0.1; refusal tests set the setting back off."""
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    settings.FETCH_TOTAL_TIMEOUT = 5
    settings.FETCH_CONNECT_TIMEOUT = 2


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.close()


@pytest.fixture
def endpoint(db, receiver):
    return Endpoint.objects.create(url=receiver.url(), events=[e.value for e in Event])


def published_claim():
    """A claim with one highlight, ready for tests.claims.helpers.publish."""
    claim = factories.ClaimFactory()
    factories.AnnotationFactory(claim=claim)
    return claim
