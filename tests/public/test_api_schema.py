"""The public API against its own OpenAPI document (schemathesis): every operation, with
generated parameters, answers without a 5xx and as its schema says (status, content type,
body), on both databases.

CI runs the same examples every time (derandomised), so a green `main` stays green; set
HYPOTHESIS_EXPLORE=1 to draw fresh ones (and more of them) when hunting."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from tests.conftest import EXPLORE

pytestmark = pytest.mark.django_db


@pytest.fixture
def wsgi_in_the_test_transaction():
    """The WSGI handler closes database connections around each request; Django's test
    client stops that, and so does this (else the test's transaction would be lost)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_every_operation_keeps_to_its_schema(open_data, wsgi_in_the_test_transaction):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_in_the_test_transaction)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 4

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=400 if EXPLORE else 60,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def keeps_to_its_schema(case):
            case.call_and_validate()

        keeps_to_its_schema()
