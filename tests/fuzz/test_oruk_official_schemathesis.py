"""schemathesis with the official Open Referral UK openapi.json (../shared/oruk/, read from
the folder, its faults mended as tests/support/official_oruk.py says), not Cairn's own
document: whatever a client following the profile sends, Cairn never answers with a server
error, a 200 always matches the profile's schema, and anything else is a JSON refusal."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from cairn.bootstrap.runtime import Runtime
from tests.support.official_oruk import bundled_openapi
from tests.support.oruk import app_with_two_services

EXAMPLES_PER_OPERATION = 40

# The profile documents only 200s, so status_code_conformance would fail every 404 for an
# unknown id and every 400 for a parameter Cairn refuses by name; those are checked here instead.
REFUSALS = {400, 404}


@pytest.fixture
def official(runtime: Runtime) -> Iterator[schemathesis.BaseSchema]:
    schema = schemathesis.openapi.from_dict(bundled_openapi())
    schema.app = app_with_two_services(runtime)
    yield schema


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_official_profile_finds_no_failure(
    official: schemathesis.BaseSchema, mode: GenerationMode
) -> None:
    operations = [result.ok() for result in official.get_all_operations()]
    # The profile's nine operations: /, services, taxonomies, taxonomy_terms, service_at_locations.
    assert len(operations) == 9
    ran: dict[str, int] = {}
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not list(operation.iter_parameters()):
            continue

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case: schemathesis.Case) -> None:
            ran[case.operation.label] = ran.get(case.operation.label, 0) + 1
            response = case.call()
            assert response.status_code == 200 or response.status_code in REFUSALS, (
                case.formatted_path,
                response.status_code,
                response.text[:300],
            )
            case.validate_response(
                response,
                checks=[not_a_server_error, content_type_conformance, response_schema_conformance],
            )
            if response.status_code != 200:
                assert "message" in response.json(), response.text[:300]

        try:
            call()
        except Unsatisfiable:
            # Nothing can be sent wrong: every string is a valid path id, say.
            assert mode == GenerationMode.NEGATIVE, operation.label
            ran.setdefault(operation.label, 0)
    print(f"\nschemathesis cases ({mode.value}) from the official openapi.json:")
    for label, count in sorted(ran.items()):
        print(f"  {label}: {count}")
    print(f"  total: {sum(ran.values())}, failures: 0")
