"""`flowgen backfill`: the weekly retrain over a range of ISO weeks, oldest first.

Runs the `backfill` flow in this process on the configured stack, as `flowgen retrain` does;
finished weeks are skipped, so re-running a backfill after a failure continues where it broke.
To run it on a worker instead, start the `backfill/backfill` deployment from the Prefect UI.
"""

from __future__ import annotations

import time
from pathlib import Path

import typer

from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.cli.retrain_cmd import (
    failures_as,
    prepare_database,
    read_params,
    use_prefect,
    validated,
)
from flowgen_core.errors import UsageError
from flowgen_core.settings import load_settings
from flowgen_core.weeks import parse_week


def backfill(
    start: str = typer.Option(..., "--start", help="First ISO week, e.g. 2026-W40."),
    end: str = typer.Option(..., "--end", help="Last ISO week (included), e.g. 2026-W47."),
    params_file: Path = typer.Option(
        None,
        "--params",
        help="JSON or TOML file of the other backfill parameters (recipe, train, evaluation, "
        "gate), as in the Prefect UI form.",
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Retrain every week from --start to --end in order; finished weeks are skipped."""
    began = time.monotonic()
    first, last = parse_week(start), parse_week(end)
    if last < first:
        raise UsageError(f"--end {end} is before --start {start}")
    fields = read_params(params_file) if params_file else {}
    settings = load_settings()
    use_prefect(settings)
    # Prefect reads its settings once, on its first import: the flows load only after use_prefect
    from flows.backfill import BackfillParams
    from flows.backfill import backfill as backfill_flow

    fields.update(start=str(first), end=str(last))
    params = validated(BackfillParams, fields, params_file)
    weeks = len(params.weeks())
    seeded = prepare_database(settings, last, weeks=max(4, weeks))
    advice = "run the same backfill again: finished weeks are skipped"
    with failures_as(f"backfill {first}..{last}", advice):
        result = backfill_flow(params)
    payload = {**result, "seeded": seeded, "seconds": round(time.monotonic() - began, 2)}
    lines = [
        f"{week}: gate {r['gate']}, candidate v{r['candidate_version']}, "
        f"champion v{r['champion_version']}"
        + (" (already finished, skipped)" if week in result["skipped"] else "")
        for week, r in result["reports"].items()
    ]
    lines.append(f"ran {len(result['ran'])} weeks, skipped {len(result['skipped'])}")
    report(payload, as_json, lines)
