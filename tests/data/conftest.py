"""Shared data fixtures: a seeded demo week (real PostgreSQL), its sets, hand-made workflow
records for the selection rules, and a real chat-completions HTTP server for the teacher."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from chat_server import Answer, ChatServer

from flowgen_core.catalog.model import Catalog, load_catalog
from flowgen_core.data.build import DataConfig, SetResult, real_set, synthetic_set
from flowgen_core.data.teacher import OfflineTeacher
from flowgen_core.store.extract import Extraction, extract
from flowgen_core.store.seed import SeedConfig, seed
from flowgen_core.weeks import parse_week

from .helpers import WEEK, teacher_answer


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def demo_url(make_db: Callable[[], str]) -> str:
    """A database seeded with a small demo population (2 weeks ending with WEEK)."""
    url = make_db()
    seed(url, SeedConfig(shops=40, weeks=2, end_week=parse_week(WEEK)))
    return url


@pytest.fixture(scope="session")
def demo_week(demo_url: str) -> Extraction:
    return extract(demo_url, WEEK)


@pytest.fixture(scope="session")
def config() -> DataConfig:
    return DataConfig(heldout_share=0.2, validation_share=0.2, parity_samples=8)


@pytest.fixture(scope="session")
def demo_sets(
    demo_week: Extraction, catalog: Catalog, config: DataConfig
) -> tuple[SetResult, SetResult]:
    synthetic = synthetic_set(demo_week, catalog, OfflineTeacher(catalog), config)
    real = real_set(demo_week, catalog, config)
    return synthetic, real


@pytest.fixture
def teacher_server(chat_server: Callable[[Answer], ChatServer]) -> ChatServer:
    """A real chat-completions server answering like a teacher LLM."""
    return chat_server(teacher_answer)
