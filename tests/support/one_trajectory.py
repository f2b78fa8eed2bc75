"""A tiny agent model that reproduces one ideal trajectory.

For the tests and benches that need the whole agent loop to run for real (two tool calls, then
a workflow that parses, transpiles and validates) without training a model on a week's data:
the trajectory of one benchmark case, and a base model fitted to it until it repeats it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flowgen_core.agent.interface import TOOLS, first_messages, run_tool
from flowgen_core.agent.suites import Case
from flowgen_core.catalog.model import Catalog, load_catalog
from flowgen_core.dsl.to_python import to_python
from flowgen_core.training.bootstrap import TinyModelConfig

# Small enough to fit one trajectory in seconds (not the demo default, which learns a week).
SIZE = TinyModelConfig(
    vocab_size=1024, hidden_size=64, intermediate_size=192, num_hidden_layers=2, head_dim=16
)


def _call(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments, sort_keys=True)},
    }


def ideal_trajectory(
    case: Case, catalog: Catalog | None = None, request: str | None = None
) -> list[dict[str, Any]]:
    """Search, read the configuration, answer with the expected workflow's Python.

    The tool calls suit an order-tagging case (the benchmark's first, `orders-001`). `request`
    replaces the case's request text (the rest of the trajectory stays the same).
    """
    catalog = catalog or load_catalog()
    search = {"query": "tag orders", "limit": 3}
    config = {"names": ["add_order_tags"]}
    return [
        *first_messages(case.request if request is None else request, None),
        {"role": "assistant", "content": "", "tool_calls": [_call("task_search", search)]},
        {
            "role": "tool",
            "name": "task_search",
            "content": run_tool("task_search", search, catalog),
        },
        {"role": "assistant", "content": "", "tool_calls": [_call("task_configuration", config)]},
        {
            "role": "tool",
            "name": "task_configuration",
            "content": run_tool("task_configuration", config, catalog),
        },
        {"role": "assistant", "content": to_python(case.expected, catalog)[0]},
    ]


def trajectory_row(case: Case, request: str | None = None) -> dict[str, str]:
    """The ideal trajectory as a dataset row (messages and tools as JSON text)."""
    return {
        "id": "ideal",
        "messages": json.dumps(ideal_trajectory(case, request=request)),
        "tools": json.dumps(TOOLS),
    }


def memorise(
    model_dir: Path, rows: list[dict[str, str]], max_steps: int = 300, lr: float = 1e-2
) -> float:
    """Fit the model in `model_dir` to the rows, one per step in turn (loss on assistant
    turns), and save it in place; the worst row's last loss. Stops early once every row's loss
    is below 0.01."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from flowgen_core.agent.render import IGNORE, tokenize_row

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    batches = []
    for row in rows:
        example = tokenize_row(tokenizer, row)
        batches.append((torch.tensor([example.input_ids]), torch.tensor([example.targets()])))
    torch.manual_seed(0)
    # One thread: the steps are too small to split, and on shared cores two OpenMP threads
    # spin-wait for each other (see AgentConfig.threads).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
        model.train()
        # At 3e-2 (the old rate) fitting depended on the rows' exact text: the orders-001 row
        # with `order_id=order.id` stalled near loss 1.0 in 300 steps, and two rows fitted
        # below 0.01 still generated broken programs; at 1e-2 both fit in ~100 steps.
        opt = torch.optim.AdamW(model.parameters(), lr=lr)
        loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
        losses = [float("inf")] * len(batches)  # each row's loss at its last step
        for step in range(max_steps):
            ids, labels = batches[step % len(batches)]
            loss = loss_fn(model(input_ids=ids).logits[0], labels[0])
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses[step % len(batches)] = loss.item()
            if max(losses) < 0.01:
                break
        model.save_pretrained(model_dir)
    finally:
        torch.set_num_threads(threads)
    return max(losses)
