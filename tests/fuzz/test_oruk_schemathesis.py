"""schemathesis against the ORUK API, in-process over WSGI: whatever it sends, the API never
answers with a server error, and every answer matches the published OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cairn.bootstrap.runtime import Runtime
from tests.support.oruk import app_with_two_services

EXAMPLES_PER_OPERATION = 50


@pytest.fixture
def oruk_schema(runtime: Runtime) -> Iterator[schemathesis.BaseSchema]:
    """The live OpenAPI document of an app with a couple of listed providers to return."""
    app = app_with_two_services(runtime)
    yield schemathesis.openapi.from_wsgi("/api/oruk/openapi.json", app)


# schemathesis' own pytest plugin (`from_fixture`) does not load under pytest 9, so the cases
# come from its Hypothesis strategies, one operation at a time: the same generation and checks.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_oruk_api_never_fails_and_always_matches_its_schema(
    oruk_schema: schemathesis.BaseSchema, mode: GenerationMode
) -> None:
    operations = [result.ok() for result in oruk_schema.get_all_operations()]
    assert len(operations) >= 5
    ran = 0
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not list(operation.iter_parameters()):
            continue  # nothing to send wrong to an operation without parameters

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case: schemathesis.Case) -> None:
            nonlocal ran
            ran += 1
            response = case.call()
            assert response.status_code < 500, (case.formatted_path, response.text[:500])
            if mode == GenerationMode.POSITIVE:
                case.validate_response(response, checks=CHECKS)
            else:  # invalid input: refused in a documented shape, never a crash
                case.validate_response(
                    response, checks=[not_a_server_error, content_type_conformance]
                )

        call()
    print(f"\nschemathesis cases ({mode.value}) run against the ORUK API: {ran}")
