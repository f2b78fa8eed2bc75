"""A tiny Qwen3 trained in seconds to reproduce one ideal trajectory (as tests/evaluation does),
registered in a sqlite MLflow store, served by the real app on a free loopback port."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from flowgen_core.evaluation.agent import AgentConfig
from flowgen_core.registry import CHAMPION, Registry
from flowgen_core.serving.champion import Champion, ServeConfig
from flowgen_core.serving.server import build, running

# Short turns keep every request to about a second on a busy CPU.
SMALL = AgentConfig(max_steps=3, max_new_tokens=200, token_budget=480, batch_size=8)


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
