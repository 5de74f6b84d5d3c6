from pathlib import Path

import pytest

from tests.webfetch.server import LocalWeb


@pytest.fixture(autouse=True)
def fetch_from_localhost(settings):
    """The suite reads pages from a server on 127.0.0.1; refusal tests set it back off."""
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = True
    settings.EVIDENCE_ARCHIVE = True
    settings.FETCH_TOTAL_TIMEOUT = 5
    settings.FETCH_CONNECT_TIMEOUT = 2


@pytest.fixture
def web():
    server = LocalWeb()
    yield server
    server.close()


PAGES = Path(__file__).resolve().parents[2] / "bench" / "web_pages"


def bench_page(name: str) -> str:
    """One of the labelled news pages of bench/web_pages."""
    return (PAGES / f"{name}.html").read_text(encoding="utf-8")


def bench_label(name: str) -> str:
    return (PAGES / f"{name}.txt").read_text(encoding="utf-8")
