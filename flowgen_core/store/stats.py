"""Counts per table and per ISO week, for `flowgen db stats`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, text

from flowgen_core.store.db import EngineOrUrl, as_engine
from flowgen_core.store.migrate import current_revision
from flowgen_core.store.models import TABLES

# The time column that places a row of each table in a week.
WEEK_COLUMNS = {
    "conversations": "created_at",
    "feedback": "created_at",
    "workflow_revisions": "saved_at",
    "workflow_run_days": "day",
}


def stats(target: EngineOrUrl) -> dict[str, Any]:
    """{"revision", "tables": {table: rows}, "weeks": {"2026-W45": {table: rows}}}."""
    engine = as_engine(target)
    revision = current_revision(engine)
    out: dict[str, Any] = {"revision": revision, "tables": {}, "weeks": {}}
    present = set(inspect(engine).get_table_names())
    if revision is None or not set(TABLES) <= present:
        return out
    weeks: dict[str, dict[str, int]] = {}
    with engine.connect() as conn:
        for table in TABLES:
            out["tables"][table] = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        for table, column in WEEK_COLUMNS.items():
            # IYYY-"W"IW is Postgres's ISO week; timestamps are read in UTC.
            rows = conn.execute(
                text(
                    f"SELECT to_char({column} AT TIME ZONE 'UTC', 'IYYY-\"W\"IW') AS week, "
                    f"count(*) FROM {table} GROUP BY 1"
                    if column != "day"
                    else f"SELECT to_char({column}, 'IYYY-\"W\"IW') AS week, count(*) "
                    f"FROM {table} GROUP BY 1"
                )
            )
            for week, n in rows:
                weeks.setdefault(week, dict.fromkeys(WEEK_COLUMNS, 0))[table] = n
    out["weeks"] = dict(sorted(weeks.items()))
    return out
