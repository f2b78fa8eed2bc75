"""A tiny Qwen3 trained in seconds to reproduce one ideal trajectory (as tests/evaluation does),
registered in a sqlite MLflow store, served by the real app on a free loopback port."""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from flowgen_core.catalog.model import load_catalog
from flowgen_core.data.interface import TOOLS, first_messages, run_tool
from flowgen_core.dsl.to_python import to_python
from flowgen_core.evaluation.agent import AgentConfig
from flowgen_core.evaluation.suites import Case, load_benchmark
from flowgen_core.registry import CHAMPION, Registry
from flowgen_core.serving.champion import Champion, ServeConfig
from flowgen_core.serving.server import build, running
from flowgen_core.training.bootstrap import TinyModelConfig, bootstrap_base_model
from flowgen_core.training.render import IGNORE, tokenize_row

# Short turns keep every request to about a second on a busy CPU.
SMALL = AgentConfig(max_steps=3, max_new_tokens=200, token_budget=480, batch_size=8)


def _call(name: str, arguments: dict) -> dict:
    return {
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments, sort_keys=True)},
    }


def ideal_trajectory(case: Case) -> list[dict]:
    """Search, read the configuration, answer with the expected workflow's Python."""
    catalog = load_catalog()
    search = {"query": "tag orders", "limit": 3}
    config = {"names": ["add_order_tags"]}
    return [
        *first_messages(case.request, None),
        {"role": "assistant", "content": "", "tool_calls": [_call("task_search", search)]},
        {"role": "tool", "name": "task_search", "content": run_tool("task_search", search)},
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
    assert case.id == "orders-001"
    return case


@pytest.fixture(scope="session")
def ideal(trained_case: Case) -> list[dict]:
    """The trajectory the trained model reproduces."""
    return ideal_trajectory(trained_case)


@pytest.fixture(scope="session")
def untrained_model(tmp_path_factory: pytest.TempPathFactory, trained_case: Case) -> Path:
    """The bootstrapped base: a tokenizer fitted to the trajectory, random weights."""
    rows = [json.dumps(ideal_trajectory(trained_case)), json.dumps(TOOLS)]
    out = tmp_path_factory.mktemp("untrained")
    return bootstrap_base_model(
        rows,
        out,
        TinyModelConfig(  # the tests' small size, not the demo default
            vocab_size=1024, hidden_size=64, intermediate_size=192, num_hidden_layers=2, head_dim=16
        ),
    )


@pytest.fixture(scope="session")
def trained_model(
    tmp_path_factory: pytest.TempPathFactory, untrained_model: Path, trained_case: Case
) -> Path:
    """The base trained on the one trajectory until it reproduces it."""
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
    # one thread: the steps are too small to split, and two OpenMP threads spin-wait for each
    # other on shared cores (see AgentConfig.threads)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    model = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-2)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    loss = None
    for _ in range(300):
        loss = loss_fn(model(input_ids=ids).logits[0], labels[0])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if loss.item() < 0.01:
            break
    torch.set_num_threads(threads)
    assert loss is not None and loss.item() < 0.05, f"did not memorise: loss {loss}"
    model.save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tracking(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One sqlite MLflow store for the session; tests register under their own model names."""
    return f"sqlite:///{tmp_path_factory.mktemp('mlflow') / 'mlflow.db'}"


_names = itertools.count()


@dataclass
class Served:
    """A running server and what is behind it."""

    url: str
    db_url: str
    champion: Champion
    registry: Registry
    tracking: str


def start_server(
    tracking: str,
    db_url: str,
    model: Path,
    agent: AgentConfig = SMALL,
    poll_s: float = 0.0,
) -> tuple[Served, Callable[[], None]]:
    """Register `model` as champion of a new registered model and serve it; (served, stop)."""
    from flowgen_core.store.db import as_engine

    registry = Registry(tracking, name=f"serve-{next(_names)}")
    registry.set_alias(CHAMPION, registry.register(model, None, {}))
    config = ServeConfig(model_uri=f"models:/{registry.name}@champion", poll_s=poll_s, agent=agent)
    app, champion = build(config, as_engine(db_url), tracking)
    ctx = running(app)
    url = ctx.__enter__()

    def stop() -> None:
        ctx.__exit__(None, None, None)
        champion.stop()

    return Served(url, db_url, champion, registry, tracking), stop


@pytest.fixture
def serve(tracking: str, migrated_url: str, trained_model: Path) -> Iterator[Callable[..., Served]]:
    """Start servers over a fresh store with the trained model as champion (stopped after)."""
    stops: list[Callable[[], None]] = []

    def start(agent: AgentConfig = SMALL, poll_s: float = 0.0) -> Served:
        served, stop = start_server(tracking, migrated_url, trained_model, agent, poll_s)
        stops.append(stop)
        return served

    yield start
    for stop in reversed(stops):
        stop()


@pytest.fixture(scope="module")
def serve_once(tracking: str, make_db: Callable[[], str], trained_model: Path) -> Iterator[Served]:
    """One server for a module's tests that only send bad input (nothing reaches the model)."""
    from flowgen_core.store.migrate import upgrade

    db_url = make_db()
    upgrade(db_url)
    served, stop = start_server(tracking, db_url, trained_model)
    yield served
    stop()
