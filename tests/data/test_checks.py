"""The write-time checks: parity passes on good data and catches drift; overlap is caught."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from flowgen_core.agent.interface import TOOLS
from flowgen_core.agent.suites import load_benchmark
from flowgen_core.catalog.model import Catalog
from flowgen_core.data.build import DataConfig, Example, SetResult, split_of
from flowgen_core.data.checks import (
    check_contamination,
    check_duplicates,
    check_parity,
    check_rows,
    check_shops,
)
from flowgen_core.dsl.sameness import canonical_hash
from flowgen_core.dsl.to_python import to_python
from flowgen_core.errors import InvalidInput


@pytest.fixture(scope="module")
def splits(demo_sets: tuple[SetResult, SetResult], config: DataConfig) -> dict[str, list[Example]]:
    out: dict[str, list[Example]] = {"train": [], "validation": []}
    for ex in sorted((e for s in demo_sets for e in s.examples), key=lambda e: e.id):
        out[split_of(ex.shop_id, config)].append(ex)
    return out


def _one(ex: Example) -> dict[str, list[Example]]:
    return {"train": [ex], "validation": []}


def _edit_messages(ex: Example, change) -> Example:  # type: ignore[no-untyped-def]
    messages = json.loads(ex.messages)
    change(messages)
    return replace(ex, messages=json.dumps(messages))


def test_good_data_passes_every_check(
    splits: dict[str, list[Example]], config: DataConfig, catalog: Catalog
) -> None:
    check_shops(splits, [])
    check_duplicates(splits)
    check_contamination(splits)
    check_rows(splits, catalog)
    assert check_parity(splits, config, catalog) >= 2 * config.parity_samples


def test_parity_fails_on_a_changed_tool_order(
    splits: dict[str, list[Example]], config: DataConfig, catalog: Catalog
) -> None:
    ex = replace(splits["train"][0], tools=json.dumps(TOOLS[::-1]))
    with pytest.raises(InvalidInput, match=f"'parity' failed.*{ex.id}"):
        check_parity(_one(ex), config, catalog)


def test_parity_fails_on_a_prefixed_tool_name(
    splits: dict[str, list[Example]], config: DataConfig, catalog: Catalog
) -> None:
    def prefix(messages: list[dict]) -> None:
        for m in messages:
            for tc in m.get("tool_calls") or []:
                tc["function"]["name"] = "flow_app_agent_" + tc["function"]["name"]
            if m["role"] == "tool":
                m["name"] = "flow_app_agent_" + m["name"]

    ex = _edit_messages(splits["train"][0], prefix)
    with pytest.raises(InvalidInput, match="'parity' failed"):
        check_parity(_one(ex), config, catalog)
    with pytest.raises(InvalidInput, match="unknown tool name"):
        check_rows(_one(ex), catalog)


def test_parity_fails_on_an_extra_response_field(
    splits: dict[str, list[Example]], config: DataConfig, catalog: Catalog
) -> None:
    def extra(messages: list[dict]) -> None:
        tool = next(m for m in messages if m["role"] == "tool")
        hits = json.loads(tool["content"])
        hits[0]["score"] = 0.93
        tool["content"] = json.dumps(hits, sort_keys=True)

    ex = _edit_messages(splits["train"][0], extra)
    with pytest.raises(InvalidInput, match=f"'parity' failed.*{ex.id}"):
        check_parity(_one(ex), config, catalog)
    with pytest.raises(InvalidInput, match="tool response is not run_tool's"):
        check_rows(_one(ex), catalog)


def test_rows_fail_on_a_final_answer_with_a_task_outside_the_catalog(
    splits: dict[str, list[Example]], catalog: Catalog
) -> None:
    def unknown_task(messages: list[dict]) -> None:
        line = "    task('acme::teleport_parcel', '0.1', 'ACTION', {'where': 'moon'})\n"
        messages[-1]["content"] = messages[-1]["content"].rstrip("\n") + "\n" + line

    ex = _edit_messages(splits["train"][0], unknown_task)
    with pytest.raises(InvalidInput, match=f"final answer does not validate: {ex.id}"):
        check_rows(_one(ex), catalog)


def test_contamination_names_the_example_and_the_case(
    splits: dict[str, list[Example]], catalog: Catalog
) -> None:
    case = load_benchmark()[3]
    ex = replace(
        splits["train"][0],
        id="leak-1",
        python=to_python(case.expected, catalog)[0],
        workflow_hash=canonical_hash(case.expected),
    )
    with pytest.raises(InvalidInput, match=f"contamination.*leak-1~{case.id}"):
        check_contamination({"train": [*splits["train"], ex], "validation": []})
    same_request = replace(splits["train"][1], id="leak-2", request=case.request.upper())
    with pytest.raises(InvalidInput, match=f"leak-2~{case.id}"):
        check_contamination({"train": [same_request], "validation": []})


def test_duplicates_and_shared_shops_across_splits_fail(
    splits: dict[str, list[Example]],
) -> None:
    ex = splits["train"][0]
    twin = replace(ex, id="twin", shop_id=splits["validation"][0].shop_id)
    with pytest.raises(InvalidInput, match="same request and workflow"):
        check_duplicates({"train": [ex], "validation": [twin]})
    moved = replace(splits["validation"][0], id="moved", shop_id=ex.shop_id)
    with pytest.raises(InvalidInput, match=f"'shops' failed.*{ex.shop_id}"):
        check_shops({"train": [ex], "validation": [moved]}, [])


def test_contamination_covers_heldout_traffic_requests(
    splits: dict[str, list[Example]], demo_sets: tuple[SetResult, SetResult]
) -> None:
    case = demo_sets[1].heldout[0]
    leak = replace(splits["train"][0], id="leak-3", request=f"  {case.request.lower()}  ")
    with pytest.raises(InvalidInput, match=f"leak-3~{case.id}"):
        check_contamination({"train": [leak], "validation": []}, list(demo_sets[1].heldout))
