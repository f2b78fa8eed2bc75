"""Rendering and the assistant-only loss mask, with a golden decode of a fixed example."""

from __future__ import annotations

from support.sample_data import SYSTEM

from flowgen_core.agent.render import IGNORE, parse_row, render_prompt, tokenize_row
from flowgen_core.training.guards import trained_spans


def test_golden_decode_of_the_loss_mask(tokenizer, rows) -> None:
    ex = tokenize_row(tokenizer, rows[0])
    decoded = [tokenizer.decode(ex.input_ids[a:b]) for a, b in trained_spans(ex)]
    messages, _ = parse_row(rows[0])
    query = messages[2]["tool_calls"][0]["function"]["arguments"]["query"]
    name = messages[4]["tool_calls"][0]["function"]["arguments"]["names"][0]
    assert decoded == [
        '<tool_call>\n{"name": "task_search", "arguments": {"limit": 5, "query": "'
        + query
        + '"}}\n</tool_call><|im_end|>',
        '<tool_call>\n{"name": "task_configuration", "arguments": {"names": ["'
        + name
        + '"]}}\n</tool_call><|im_end|>',
        messages[-1]["content"] + "<|im_end|>",
    ]
    untrained = tokenizer.decode(
        [t for t, on in zip(ex.input_ids, ex.trained, strict=True) if not on]
    )
    assert (
        SYSTEM in untrained
        and messages[1]["content"] in untrained
        and "<tool_response>" in untrained
    )


def test_targets_shift_by_one_and_never_cross_the_end(tokenizer, rows) -> None:
    ex = tokenize_row(tokenizer, rows[1])
    targets = ex.targets()
    assert len(targets) == len(ex.input_ids) and targets[-1] == IGNORE
    for t in range(len(targets) - 1):
        assert targets[t] == (ex.input_ids[t + 1] if ex.trained[t + 1] else IGNORE)
    assert sum(x != IGNORE for x in targets) == ex.n_trained


def test_serving_prompt_is_a_token_prefix_for_every_assistant_turn(tokenizer, rows) -> None:
    ex = tokenize_row(tokenizer, rows[2])
    messages, tools = parse_row(rows[2])
    turns = [i for i, m in enumerate(messages) if m["role"] == "assistant"]
    for i, start in zip(turns, ex.assistant_starts, strict=True):
        prompt = render_prompt(tokenizer, messages[:i], tools)
        assert tuple(prompt) == ex.input_ids[: len(prompt)]
        assert len(prompt) == start
