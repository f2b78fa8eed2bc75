"""Engines for the interaction store."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine, create_engine

EngineOrUrl = Engine | str


@cache
def _engine_for(url: str) -> Engine:
    # pool_pre_ping: a pooled connection killed by the server is replaced, not handed out.
    return create_engine(url, pool_pre_ping=True, future=True)


def as_engine(target: EngineOrUrl) -> Engine:
    """An engine for a URL (one per URL per process), or the engine given."""
    return target if isinstance(target, Engine) else _engine_for(target)
