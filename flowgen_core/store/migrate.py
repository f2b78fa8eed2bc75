"""Apply the store's Alembic migrations from the installed package (no alembic.ini needed)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from flowgen_core.store.db import EngineOrUrl, as_engine

SCRIPT_LOCATION = "flowgen_core.store:migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def _run(engine: Engine, action: str, revision: str) -> None:
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        getattr(command, action)(config, revision)


def upgrade(target: EngineOrUrl, revision: str = "head") -> str | None:
    """Migrate the database up to `revision` (default: the newest); returns the new revision."""
    engine = as_engine(target)
    _run(engine, "upgrade", revision)
    return current_revision(engine)


def downgrade(target: EngineOrUrl, revision: str = "base") -> str | None:
    """Migrate the database down to `revision` (default: drop everything)."""
    engine = as_engine(target)
    _run(engine, "downgrade", revision)
    return current_revision(engine)


def current_revision(target: EngineOrUrl) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    with as_engine(target).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped in the package."""
    return ScriptDirectory.from_config(_config()).get_current_head()
