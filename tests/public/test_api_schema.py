"""The public API against its own OpenAPI document (schemathesis): every operation, with
generated parameters, answers without a 5xx and as its schema says (status, content type,
body), on both databases."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.django_db


def test_every_operation_keeps_to_its_schema(open_data):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 4

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def keeps_to_its_schema(case):
            case.call_and_validate()

        keeps_to_its_schema()
