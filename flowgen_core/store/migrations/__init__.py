"""Alembic migrations of the interaction store (applied by flowgen_core.store.migrate)."""
