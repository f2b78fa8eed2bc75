"""The interface: tool names and order, response shapes, sorted keys, errors, the first turn."""

from __future__ import annotations

import json

import pytest

from flowgen_core.agent.interface import (
    INTERFACE_VERSION,
    SYSTEM_PROMPT,
    TOOLS,
    first_messages,
    run_tool,
)
from flowgen_core.agent.suites import load_benchmark
from flowgen_core.catalog.model import Catalog
from flowgen_core.dsl.to_python import to_python
from flowgen_core.errors import InvalidInput


def test_tools_have_plain_names_in_a_fixed_order() -> None:
    assert [t["function"]["name"] for t in TOOLS] == ["task_search", "task_configuration"]
    assert INTERFACE_VERSION and SYSTEM_PROMPT
    for tool in TOOLS:
        assert tool["type"] == "function"
        assert tool["function"]["parameters"]["type"] == "object"


def test_search_answers_names_and_one_line_descriptions_with_sorted_keys(
    catalog: Catalog,
) -> None:
    text = run_tool("task_search", {"query": "tag orders", "limit": 5}, catalog)
    found = json.loads(text)
    assert 1 < len(found) <= 5
    assert "add_order_tags" in [f["name"] for f in found]
    for hit in found:
        assert list(hit) == ["description", "name", "task_id"]  # no schema, keys sorted
        assert "\n" not in hit["description"]
    assert text == json.dumps(found, sort_keys=True, ensure_ascii=False)


def test_configuration_answers_full_schemas_in_request_order(catalog: Catalog) -> None:
    found = json.loads(
        run_tool("task_configuration", {"names": ["send_internal_email", "order_created"]}, catalog)
    )
    assert [f["name"] for f in found] == ["send_internal_email", "order_created"]
    assert {f["id"] for f in found[0]["fields"]} >= {"address", "subject", "message"}
    assert list(found[0]) == sorted(found[0])


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        ("flow_app_agent_task_search", {"query": "x"}, "unknown tool"),
        ("task_search", {"query": ""}, "'query'"),
        ("task_search", {"query": "tag", "limit": 0}, "'limit'"),
        ("task_search", {"query": "tag", "filter": "x"}, "unknown argument"),
        ("task_configuration", {"names": "add_order_tags"}, "'names'"),
    ],
)
def test_bad_calls_raise_invalid_input(
    catalog: Catalog, name: str, arguments: dict, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        run_tool(name, arguments, catalog)


def test_an_edit_shows_the_existing_program_whether_given_as_workflow_or_python(
    catalog: Catalog,
) -> None:
    wf = load_benchmark()[0].expected
    python = to_python(wf, catalog)[0]
    as_workflow = first_messages("raise the limit to 800", wf, catalog)
    assert as_workflow == first_messages("raise the limit to 800", python)
    assert [m["role"] for m in as_workflow] == ["system", "user"]
    assert python.strip() in as_workflow[1]["content"]
    assert first_messages("tag orders", None)[1]["content"] == "tag orders"
