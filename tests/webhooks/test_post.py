"""The fetcher's POST path (webfetch.fetcher.post), which webhooks use: the same address
checks as a GET, the answer of any status with the start of its body, the byte limit, the
deadline, redirects never followed."""

import pytest

from webfetch import fetcher


def test_any_status_is_returned_with_its_body(receiver):
    receiver.answers = [500]
    answer = fetcher.post(receiver.url("/x?a=1"), body=b'{"a":1}', headers={"X-Test": "1"})
    assert (answer.status, answer.body) == (500, b"answer 500")
    [request] = receiver.received
    assert (request.path, request.body, request.headers["x-test"]) == ("/x?a=1", b'{"a":1}', "1")
    assert request.headers["user-agent"].endswith("(fact-checking desk; +http://127.0.0.1:8000)")


def test_a_long_answer_is_cut_at_the_limit(receiver, settings):
    settings.WEBHOOK_MAX_RESPONSE_BYTES = 100
    receiver.answer_body = b"x" * 5000
    answer = fetcher.post(receiver.url(), body=b"{}", headers={})
    assert answer.status == 200 and answer.body == b"x" * 100


def test_a_slow_receiver_meets_the_deadline(receiver, settings):
    settings.FETCH_TOTAL_TIMEOUT = 1
    receiver.delay = 3
    with pytest.raises(fetcher.FetchError, match="timed out"):
        fetcher.post(receiver.url(), body=b"{}", headers={})


def test_a_redirect_is_refused(receiver):
    receiver.answers = [302]
    receiver.redirect_to = "https://example.org/"
    with pytest.raises(fetcher.FetchError, match="a redirect to https://example.org/") as error:
        fetcher.post(receiver.url(), body=b"{}", headers={})
    assert error.value.status == 302


def test_private_addresses_follow_the_webhook_setting_not_the_fetch_one(receiver, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = True
    with pytest.raises(fetcher.FetchError, match="is a loopback address"):
        fetcher.post(receiver.url(), body=b"{}", headers={})
    assert receiver.received == []
    assert "loopback" in fetcher.address_problem(receiver.url(), use=fetcher.WEBHOOK)
    assert fetcher.address_problem(receiver.url(), use=fetcher.PAGE) == ""


def test_nothing_listening_is_a_clear_error(settings):
    with pytest.raises(fetcher.FetchError, match="could not connect to the server"):
        fetcher.post("http://127.0.0.1:1/hook", body=b"{}", headers={})
