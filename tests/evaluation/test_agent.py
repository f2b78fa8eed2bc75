"""The agent loop: tool-call parsing, hallucination counts, and the loop end to end on tiny
models (one trained to reproduce an ideal trajectory, one untrained)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowgen_core.agent.suites import Case
from flowgen_core.catalog.model import load_catalog
from flowgen_core.evaluation.agent import (
    Agent,
    AgentConfig,
    check_answer,
    extract_python,
    hallucinations,
    parse_tool_calls,
)
from flowgen_core.evaluation.judge import structural_judge

CATALOG = load_catalog()


def test_parse_tool_calls_in_the_qwen3_layout() -> None:
    text = (
        '<tool_call>\n{"name": "task_search", "arguments": {"query": "tag", "limit": 3}}\n</tool_call>'
        '\n<tool_call>\n{"name": "task_configuration", "arguments": {"names": ["add_order_tags"]}}\n</tool_call>'
    )
    calls, bad = parse_tool_calls(text)
    assert bad == 0
    assert [c["function"]["name"] for c in calls] == ["task_search", "task_configuration"]
    assert json.loads(calls[0]["function"]["arguments"]) == {"limit": 3, "query": "tag"}


@pytest.mark.parametrize(
    "text",
    [
        "<tool_call>\n{not json}\n</tool_call>",
        '<tool_call>\n{"name": "delete_shop", "arguments": {}}\n</tool_call>',
        '<tool_call>\n{"name": "task_search", "arguments": "tag"}\n</tool_call>',
        '<tool_call>\n{"name": "task_search", "arguments": {"query": "x"}',  # cut off
    ],
)
def test_malformed_tool_calls_are_counted(text: str) -> None:
    calls, bad = parse_tool_calls(text)
    assert calls == [] and bad == 1


def test_extract_python_from_fence_or_bare() -> None:
    assert extract_python("Here:\n```python\nx = 1\n```\nbye") == "x = 1\n"
    assert extract_python("@order_created\ndef f(order, shop):\n    pass").startswith(
        "@order_created"
    )


def test_hallucinated_tasks_and_fields() -> None:
    source = (
        "@order_created\ndef f(order, shop):\n"
        "    add_order_tags(order_id=order.id, tags=['a'], colour='red')\n"
        "    tag_the_order(order_id=order.id)\n"
        "    if any(x.sku == 'a' for x in order.lineItems) and order.totalWeight > Money('1'):\n"
        "        archive_order(order_id=order.id, _note='ok')\n"
    )
    tasks, fields = hallucinations(source, CATALOG)
    assert tasks == ["tag_the_order"]
    assert fields == ["add_order_tags.colour"]
    assert hallucinations("def (:", CATALOG) == ([], [])
    assert hallucinations("@made_up_trigger\ndef f():\n    pass\n", CATALOG)[0] == [
        "made_up_trigger"
    ]


def test_an_answer_with_a_task_outside_the_catalog_is_not_valid() -> None:
    # The generic form converts any task, but the model only knows the catalog's (task_search):
    # an unknown task in its answer is a syntactic failure, not a third-party app.
    good = (
        "@order_created\ndef f(order, shop):\n    'Tag'\n"
        "    add_order_tags(order_id=order.id, tags=['a'])\n"
    )
    wf, bucket, message = check_answer(good, CATALOG)
    assert wf is not None and bucket is None and message == ""
    action = good + "    task('acme::teleport_parcel', '0.1', 'ACTION', {'where': 'moon'})\n"
    wf, bucket, message = check_answer(action, CATALOG)
    assert wf is not None and bucket == "validation"
    assert message == "taskErrors: unknown task acme::teleport_parcel (not in the catalog)"
    trigger = (
        "@task('0b3f6a42-9c1d-4e7a-8f25-6d4c3b2a1e90', 'draft', 'TRIGGER', {})\n"
        "def f():\n    'App'\n    log_output(message='x')\n"
    )
    assert check_answer(trigger, CATALOG)[1:] == (
        "validation",
        "taskErrors: unknown task 0b3f6a42-9c1d-4e7a-8f25-6d4c3b2a1e90 (not in the catalog)",
    )
    assert check_answer("  \n", CATALOG) == (None, "no_python", "the final answer is empty")
    assert check_answer("def (:", CATALOG)[1] == "parse"


@pytest.mark.slow
def test_trained_model_runs_the_loop_end_to_end(
    trained_model: Path, trained_case: Case, ideal: list[dict]
) -> None:
    agent = Agent(trained_model, AgentConfig(max_new_tokens=400, token_budget=900))
    result = agent.run(trained_case.request)
    assert result.error_bucket is None, (result.error, result.messages[-1])
    assert result.valid and result.workflow is not None
    assert result.tool_calls == 2 and result.malformed_tool_calls == 0
    # The loop answered the calls itself, exactly as the trajectory it learned.
    assert result.messages == ideal
    assert structural_judge(trained_case.expected, result.workflow, CATALOG).equivalent
    assert result.tokens > 0 and result.latency_ms > 0
    assert result.hallucinated_tasks == [] and result.hallucinated_fields == []
    # Prompt tokens: every turn's prompt (the conversation before each assistant message).
    from flowgen_core.serving.turn import prompt_ids, template_messages

    turns = [k for k, m in enumerate(ideal) if m["role"] == "assistant"]
    read = [len(prompt_ids(agent, template_messages(ideal[:k]))) for k in turns]
    assert len(read) == 3 and read[0] < read[1] < read[2]
    assert result.prompt_tokens == sum(read)


@pytest.mark.slow
def test_untrained_model_fails_cleanly_within_the_budget(untrained_model: Path) -> None:
    config = AgentConfig(max_new_tokens=24, token_budget=40, max_steps=2, batch_size=3)
    agent = Agent(untrained_model, config)
    requests = [("tag big orders", None), ("hide sold out products", None)] * 2
    results = agent.run_batch(requests)  # two generate groups (batch_size 3)
    assert len(results) == 4
    for r in results:
        assert not r.valid and r.workflow is None
        assert r.error_bucket in {"token_budget", "malformed_tool_call", "parse", "no_python"}
        assert 0 < r.tokens <= config.token_budget
    assert results[0].tokens == results[2].tokens  # greedy: the same request, the same run


@pytest.mark.slow
def test_step_limit_ends_a_case_that_keeps_calling_tools(
    trained_model: Path, trained_case: Case
) -> None:
    agent = Agent(trained_model, AgentConfig(max_new_tokens=400, token_budget=900, max_steps=1))
    result = agent.run(trained_case.request)
    assert result.error_bucket == "step_limit" and result.tool_calls == 1


@pytest.mark.slow
def test_a_tool_call_run_tool_refuses_is_a_failure_not_a_crash(untrained_model: Path) -> None:
    from flowgen_core.evaluation.agent import AgentResult, _Conversation

    agent = Agent(untrained_model, AgentConfig())
    conv = _Conversation(AgentResult(messages=[]))
    text = '<tool_call>\n{"name": "task_search", "arguments": {"query": "tag", "limit": 9999}}\n</tool_call>'
    agent._turn(conv, text, True, 0.0)  # a well-formed call whose arguments run_tool refuses
    assert conv.done and conv.result.error_bucket == "malformed_tool_call"
    assert conv.result.malformed_tool_calls == 1 and conv.result.tool_calls == 0
    assert "limit" in conv.result.error

    # Asking for a task that does not exist is answered (as serving would) and counted.
    conv = _Conversation(AgentResult(messages=[]))
    names = {"names": ["add_order_tags", "tag_the_order", "shopify::admin::nope"]}
    call = json.dumps({"name": "task_configuration", "arguments": names})
    agent._turn(conv, f"<tool_call>\n{call}\n</tool_call>", True, 0.0)
    assert not conv.done and conv.result.tool_calls == 1
    assert conv.result.hallucinated_tasks == ["shopify::admin::nope", "tag_the_order"]
    assert "unknown task: tag_the_order" in conv.result.messages[-1]["content"]
