"""webfetch depends one way on articles and claims (docs/architecture.md, "Reading the
web"); every web read goes through its fetcher."""

import re

from tests.test_architecture import ROOT, _imports, _modules


def test_articles_and_claims_never_import_webfetch():
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _imports(path) if n.startswith("webfetch"))
        for folder in ("articles", "claims", "factcheck")
        for path in _modules(folder)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_only_the_fetcher_opens_connections():
    """No other module reads the network: no urllib.request, requests, http.client,
    sockets or trafilatura's own downloader anywhere else (webhooks send through it too)."""
    pattern = re.compile(
        r"urllib\.request|urlopen|\bimport requests\b|http\.client|\bimport socket\b|"
        r"fetch_url|fetch_response|urllib3"
    )
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("articles", "claims", "factcheck", "webfetch", "webhooks")
        for path in _modules(folder)
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == ["webfetch/fetcher.py"]
