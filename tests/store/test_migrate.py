"""Migrations against a real PostgreSQL: up to head, down to base, and models == migrations."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from flowgen_core.store.migrate import current_revision, downgrade, head_revision, upgrade
from flowgen_core.store.models import TABLES, Base

pytestmark = pytest.mark.integration


def test_up_down_up(db_url: str) -> None:
    assert current_revision(db_url) is None
    assert upgrade(db_url) == head_revision() == "0002_api_tokens"
    engine = create_engine(db_url)
    assert set(TABLES) <= set(inspect(engine).get_table_names())
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("conversations")}
    assert "ix_conversations_created_at" in indexes
    assert "ix_workflow_run_days_day" in {
        ix["name"] for ix in inspect(engine).get_indexes("workflow_run_days")
    }

    assert downgrade(db_url) is None
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}

    assert upgrade(db_url) == "0002_api_tokens"
    assert upgrade(db_url) == "0002_api_tokens"  # idempotent
    engine.dispose()


def test_models_match_migrations(migrated_url: str) -> None:
    engine = create_engine(migrated_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
