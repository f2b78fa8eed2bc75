"""`flowgen db`: the interaction store (migrate, seed the demo population, extract, stats)."""

from __future__ import annotations

import typer
from sqlalchemy.exc import OperationalError

from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.errors import UnreadableInput, UsageError
from flowgen_core.settings import load_settings
from flowgen_core.stack import database_url
from flowgen_core.store.extract import extract
from flowgen_core.store.migrate import upgrade
from flowgen_core.store.seed import SeedConfig
from flowgen_core.store.seed import seed as run_seed
from flowgen_core.store.stats import stats
from flowgen_core.weeks import parse_week

app = typer.Typer(
    help="Interaction store: migrate, seed, extract a week, stats.", no_args_is_help=True
)


def _url() -> str:
    settings = load_settings()
    if settings.database_url:
        return settings.database_url
    return database_url(settings, db="flowgen")


def _unreachable(exc: OperationalError) -> UnreadableInput:
    detail = " ".join(str(exc.orig).split())[:200]
    return UnreadableInput(f"database unreachable (FLOWGEN_DATABASE_URL): {detail}")


@app.command("migrate")
def migrate_cmd(as_json: bool = JSON_OPTION) -> None:
    """Upgrade the schema to the newest migration."""
    try:
        revision = upgrade(_url())
    except OperationalError as exc:
        raise _unreachable(exc) from exc
    report({"revision": revision}, as_json, [f"schema at revision {revision}"])


@app.command("seed")
def seed_cmd(
    shops: int = typer.Option(400, "--shops", help="Number of shops."),  # = SeedConfig.shops
    weeks: int = typer.Option(4, "--weeks", help="Weeks of activity, ending with --end-week."),
    end_week: str = typer.Option(
        None, "--end-week", help="Newest week, YYYY-Www; default: the last complete week."
    ),
    seed: int = typer.Option(7, "--seed", help="Everything derives from this number."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the deterministic demo population; weeks already present are kept as they are."""
    config = SeedConfig(
        shops=shops,
        weeks=weeks,
        end_week=parse_week(end_week) if end_week is not None else None,
        seed=seed,
    )
    try:
        result = run_seed(_url(), config)
    except OperationalError as exc:
        raise _unreachable(exc) from exc
    payload = result.as_dict()
    lines = [
        f"weeks written: {', '.join(result.weeks_written) or '(none)'}",
        f"weeks already present: {', '.join(result.weeks_skipped) or '(none)'}",
        *(f"  {table}: {n} rows" for table, n in result.rows.items()),
        f"took {result.seconds:.1f}s",
    ]
    report(payload, as_json, lines)


@app.command("extract")
def extract_cmd(
    week: str = typer.Option(..., "--week", help="ISO week to read, e.g. 2026-W45."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Read one week's interactions and workflows (anonymized); print counts and the hash."""
    parsed = parse_week(week)
    try:
        result = extract(_url(), parsed)
    except OperationalError as exc:
        raise _unreachable(exc) from exc
    summary = result.summary()
    scrubbed = ", ".join(f"{k} {v}" for k, v in summary["scrubbed"].items())
    lines = [
        f"week {summary['week']}: {summary['interactions']} interactions, "
        f"{summary['workflows']} workflows, {summary['quarantined']} quarantined",
        f"outcomes: {', '.join(f'{k} {v}' for k, v in summary['outcomes'].items()) or '(none)'}",
        f"scrubbed: {scrubbed}",
        f"hash {summary['hash']}",
    ]
    report(summary, as_json, lines)


@app.command("stats")
def stats_cmd(as_json: bool = JSON_OPTION) -> None:
    """Rows per table, and per week for the time-stamped tables."""
    try:
        result = stats(_url())
    except OperationalError as exc:
        raise _unreachable(exc) from exc
    if result["revision"] is None:
        raise UsageError("the database has no flowgen schema yet; run 'flowgen db migrate'")
    lines = [f"schema revision {result['revision']}"]
    lines += [f"  {t}: {n}" for t, n in result["tables"].items()]
    quiet = 0  # weeks that only hold old workflow revisions: counted, not listed
    for week, counts in result["weeks"].items():
        if counts["conversations"] or counts["workflow_run_days"]:
            lines.append(f"{week}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        else:
            quiet += 1
    if quiet:
        lines.append(f"(+{quiet} earlier weeks with workflow revisions only; --json lists them)")
    report(result, as_json, lines)
