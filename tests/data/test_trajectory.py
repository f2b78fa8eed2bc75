"""Trajectories of the demo week: layout, sorted keys, serving's answers, the target at the end."""

from __future__ import annotations

import json

from flowgen_core.agent.interface import TOOL_NAMES, first_messages, run_tool
from flowgen_core.catalog.model import Catalog
from flowgen_core.data.build import SetResult
from flowgen_core.dsl.from_python import from_python
from flowgen_core.dsl.sameness import canonical_hash
from flowgen_core.dsl.validate import validate


def test_every_trajectory_has_the_serving_layout_and_reaches_its_target(
    demo_sets: tuple[SetResult, SetResult], catalog: Catalog
) -> None:
    examples = [e for s in demo_sets for e in s.examples]
    assert len(examples) > 20
    for ex in examples:
        messages = json.loads(ex.messages)
        assert messages[:2] == first_messages(ex.request, ex.existing_python)
        roles = [m["role"] for m in messages]
        assert roles[-1] == "assistant" and roles[-2] == "tool"
        assert roles.count("assistant") in (2, 3)  # [searches,] configuration, answer
        calls = []
        for m in messages[2:]:
            if m["role"] == "assistant" and m.get("tool_calls"):
                assert m["content"] == ""
                for tc in m["tool_calls"]:
                    args = tc["function"]["arguments"]
                    assert args == json.dumps(json.loads(args), sort_keys=True)
                    assert tc["function"]["name"] in TOOL_NAMES
                    calls.append((tc["function"]["name"], json.loads(args)))
            elif m["role"] == "tool":
                name, args = calls.pop(0)
                assert m["name"] == name
                assert m["content"] == run_tool(name, args, catalog)
        assert calls == []
        # The last call reads the schemas of exactly the tasks the answer names.
        config = json.loads(messages[-2]["content"])
        assert 1 <= len(config) <= 4 and all("fields" in c for c in config)
        wf = from_python(messages[-1]["content"], catalog)
        assert validate(wf, catalog) == []
        assert canonical_hash(wf) == ex.workflow_hash


def test_searches_find_the_task_among_distractors(demo_sets: tuple[SetResult, SetResult]) -> None:
    searched = 0
    for ex in demo_sets[0].examples:
        messages = json.loads(ex.messages)
        needed = json.loads(messages[-3]["tool_calls"][0]["function"]["arguments"])["names"]
        results = [json.loads(m["content"]) for m in messages if m.get("name") == "task_search"]
        for hits in results:
            searched += 1
            assert len(hits) >= 2  # real searches return neighbours too
            assert {"description", "name", "task_id"} == set(hits[0])
            assert any(h["name"] in needed for h in hits)
    assert searched >= len(demo_sets[0].examples)


def test_an_edit_skips_searching_for_tasks_it_already_shows(
    demo_sets: tuple[SetResult, SetResult],
) -> None:
    edits = [e for e in demo_sets[1].examples if e.existing_python is not None]
    assert edits
    for ex in edits:
        messages = json.loads(ex.messages)
        assert ex.existing_python.strip() in messages[1]["content"]
        searched = [
            json.loads(tc["function"]["arguments"])["query"]
            for m in messages
            for tc in m.get("tool_calls") or []
            if tc["function"]["name"] == "task_search"
        ]
        # the existing program's trigger is on screen: no search for it
        assert len(searched) < len(json.loads(messages[-2]["content"]))
