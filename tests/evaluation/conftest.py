"""A tiny Qwen3 trained (in process, in seconds) to reproduce one ideal trajectory, and the
same model untrained: the working and the broken candidate of the end-to-end tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from flowgen_core.catalog.model import load_catalog
from flowgen_core.dsl.to_python import to_python
from flowgen_core.evaluation.suites import Case, load_benchmark
from flowgen_core.training.bootstrap import TinyModelConfig, bootstrap_base_model
from flowgen_core.training.render import IGNORE, tokenize_row


def _call(name: str, arguments: dict) -> dict:
    return {
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments, sort_keys=True)},
    }


def ideal_trajectory(case: Case) -> list[dict]:
    """Search, read the configuration, answer with the expected workflow's Python."""
    # Imported here so the judge, gate and benchmark tests do not need the agent interface.
    from flowgen_core.data.interface import first_messages, run_tool

    catalog = load_catalog()
    search = {"query": "tag orders", "limit": 3}
    config = {"names": ["add_order_tags"]}
    return [
        *first_messages(case.request, None),
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


@pytest.fixture(scope="session")
def trained_case() -> Case:
    case = load_benchmark()[0]
    assert case.id == "orders-001" and "$500" in case.request
    return case


@pytest.fixture(scope="session")
def untrained_model(tmp_path_factory: pytest.TempPathFactory, trained_case: Case) -> Path:
    """The bootstrapped base: a tokenizer fitted to the trajectory, random weights."""
    from flowgen_core.data.interface import TOOLS

    row = {"messages": json.dumps(ideal_trajectory(trained_case)), "tools": json.dumps(TOOLS)}
    out = tmp_path_factory.mktemp("untrained")
    return bootstrap_base_model(
        [row["messages"], row["tools"]],
        out,
        TinyModelConfig(  # the tests' small size, not the demo default
            vocab_size=1024, hidden_size=64, intermediate_size=192, num_hidden_layers=2, head_dim=16
        ),
    )


@pytest.fixture(scope="session")
def trained_model(
    tmp_path_factory: pytest.TempPathFactory, untrained_model: Path, trained_case: Case
) -> Path:
    """The base trained on the one trajectory until it reproduces it (loss on assistant turns)."""
    from flowgen_core.data.interface import TOOLS

    out = tmp_path_factory.mktemp("trained")
    shutil.copytree(untrained_model, out, dirs_exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(out)
    row = {
        "id": "ideal",
        "messages": json.dumps(ideal_trajectory(trained_case)),
        "tools": json.dumps(TOOLS),
    }
    example = tokenize_row(tokenizer, row)
    ids = torch.tensor([example.input_ids])
    labels = torch.tensor([example.targets()])
    torch.manual_seed(0)
    # One thread: the tiny model's steps are too small to split, and on shared cores two
    # OpenMP threads spin-wait for each other (see AgentConfig.threads).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    model = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-2)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    loss = None
    for _ in range(300):
        logits = model(input_ids=ids).logits
        loss = loss_fn(logits[0], labels[0])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if loss.item() < 0.01:
            break
    torch.set_num_threads(threads)
    assert loss is not None and loss.item() < 0.05, f"did not memorise: loss {loss}"
    model.save_pretrained(out)
    return out
