"""A tiny Qwen3 trained in seconds to reproduce one ideal trajectory (as tests/evaluation does),
registered in a sqlite MLflow store, served by the real app on a free loopback port; tokens
are issued in the server's own store, as `flowgen token create` does."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from flowgen_core.evaluation.agent import AgentConfig
from flowgen_core.registry import CHAMPION, Registry
from flowgen_core.serving.champion import Champion, ServeConfig
from flowgen_core.serving.server import build, running
from flowgen_core.serving.tokens import create
from flowgen_core.store.db import as_engine

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
    app: FastAPI
    _tokens: dict[tuple[str, bool, bool], str] = field(default_factory=dict)

    def token(self, shop: str = "s", *, simulation: bool = False, trusted: bool = True) -> str:
        """A token for `shop` (one per shop and flags, issued on first use)."""
        key = (shop, simulation, trusted)
        if key not in self._tokens:
            issued = create(as_engine(self.db_url), shop, simulation=simulation, trusted=trusted)
            self._tokens[key] = issued.token
        return self._tokens[key]

    def auth(self, shop: str = "s", *, simulation: bool = False, trusted: bool = True) -> dict:
        """The Authorization header of `token(...)`."""
        return {
            "Authorization": f"Bearer {self.token(shop, simulation=simulation, trusted=trusted)}"
        }


def start_server(
    tracking: str,
    db_url: str,
    model: Path,
    agent: AgentConfig = SMALL,
    poll_s: float = 0.0,
    engine: Engine | None = None,
    **options: Any,
) -> tuple[Served, Callable[[], None]]:
    """Register `model` as champion of a new registered model and serve it; (served, stop).
    `engine`: the server's pool (default: the shared one for `db_url`); `options`: more
    ServeConfig fields (limits)."""
    registry = Registry(tracking, name=f"serve-{next(_names)}")
    registry.set_alias(CHAMPION, registry.register(model, None, {}))
    config = ServeConfig(
        model_uri=f"models:/{registry.name}@champion", poll_s=poll_s, agent=agent, **options
    )
    app, champion = build(config, engine or as_engine(db_url), tracking)
    ctx = running(app)
    url = ctx.__enter__()

    def stop() -> None:
        ctx.__exit__(None, None, None)
        champion.stop()

    return Served(url, db_url, champion, registry, tracking, app), stop


@pytest.fixture
def serve(tracking: str, migrated_url: str, trained_model: Path) -> Iterator[Callable[..., Served]]:
    """Start servers over a fresh store with the trained model as champion (stopped after)."""
    stops: list[Callable[[], None]] = []

    def start(
        agent: AgentConfig = SMALL,
        poll_s: float = 0.0,
        db_url: str | None = None,
        engine: Engine | None = None,
        **options: Any,
    ) -> Served:
        """`db_url`: another store than the fresh one (e.g. a server a test stops); `engine`:
        a pool of the test's own for it."""
        served, stop = start_server(
            tracking, db_url or migrated_url, trained_model, agent, poll_s, engine, **options
        )
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
    # fuzzing sends bursts: a generous rate limit, so what is tested is the handling of the input
    served, stop = start_server(tracking, db_url, trained_model, rate_per_s=1000.0, burst=1000)
    yield served
    stop()
