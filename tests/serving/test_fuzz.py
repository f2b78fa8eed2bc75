"""Schemathesis against the running server: valid and invalid bodies for every operation of
the published OpenAPI schema; never a server error, always a documented status and body.

The fuzzer speaks with one shop's simulation token; generated positive bodies are sent for
that shop (any other `shop_id` is a 403 by design, which would keep them from the model)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = {GenerationMode.POSITIVE: 60, GenerationMode.NEGATIVE: 60}


def test_openapi_schema_is_published(serve_once: Any) -> None:
    doc = httpx.get(f"{serve_once.url}/openapi.json").json()
    assert {"/v1/workflows", "/v1/feedback", "/v1/chat/completions", "/health", "/ready"} <= set(
        doc["paths"]
    )
    assert "ErrorResponse" in doc["components"]["schemas"]
    # the bearer scheme is published, and every /v1/ operation requires it
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for path in ("/v1/workflows", "/v1/feedback", "/v1/chat/completions"):
        assert doc["paths"][path]["post"]["security"] == [{"HTTPBearer": []}]


@pytest.mark.parametrize("mode", list(EXAMPLES), ids=lambda m: m.value)
def test_fuzzing_finds_no_server_error(serve_once: Any, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_url(f"{serve_once.url}/openapi.json")
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])
    auth = serve_once.auth("fuzz", simulation=True)

    @given(case=schema.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        derandomize=True,  # the same examples every run: a failure here is reproducible
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        if (
            mode is GenerationMode.POSITIVE
            and isinstance(case.body, dict)
            and "shop_id" in case.body
        ):
            case.body["shop_id"] = "fuzz"
        response = case.call_and_validate(
            base_url=serve_once.url, checks=checks, headers=auth, timeout=120
        )
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    statuses: dict[int, int] = {}
    run()
    # the fuzzing reached the model (200s) and the validation (4xx), not just one of them
    assert statuses.get(200, 0) > 0 if mode is GenerationMode.POSITIVE else True
    assert any(400 <= code < 500 for code in statuses), statuses
    print(mode.value, dict(sorted(statuses.items())))
