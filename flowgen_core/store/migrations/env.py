"""Alembic environment: runs on the connection that `flowgen_core.store.migrate` passes in."""

from __future__ import annotations

from alembic import context

from flowgen_core.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=Base.metadata, transaction_per_migration=True
)
with context.begin_transaction():
    context.run_migrations()
