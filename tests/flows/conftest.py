"""Fixtures for the flow tests: a temporary Prefect API, a fresh database and MLflow store per
test, a small dataset and a bootstrapped tiny base model shared by the session."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


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
