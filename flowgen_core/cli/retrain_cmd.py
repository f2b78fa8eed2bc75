"""`flowgen retrain`: the main job, one full weekly cycle on the configured stack.

On the embedded default it starts what it needs (the embedded Postgres; Prefect's temporary
local API, or the `flowgen stack up` server when it runs), seeds the demo population when the
database is empty, runs the `weekly-retrain` flow in this process and prints a summary.
Prefect is imported only here, inside the command, after its environment is set (it reads its
settings once, on import); the library itself never imports it.
"""

from __future__ import annotations

import json
import logging
import os
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import text

from flowgen_core import stack
from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.errors import FlowgenError, InvalidInput, UnreadableInput
from flowgen_core.redact import mask_text
from flowgen_core.settings import Settings, load_settings
from flowgen_core.stack.local import status
from flowgen_core.store.db import as_engine
from flowgen_core.store.migrate import upgrade
from flowgen_core.store.seed import SeedConfig, seed
from flowgen_core.weekly import WeeklyReport
from flowgen_core.weeks import IsoWeek, parse_week

log = logging.getLogger("flowgen.retrain")


class RetrainFailed(FlowgenError):
    """The weekly run failed at a stage: exit code 1."""

    exit_code = 1


def retrain(
    week: str = typer.Option(None, "--week", help="ISO week YYYY-Www; default: last complete."),
    params_file: Path = typer.Option(
        None,
        "--params",
        help="JSON or TOML file of weekly-retrain parameters, the fields of the Prefect UI "
        "form (recipe, train, evaluation, gate, dry_run); --week wins over its week.",
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Run one full weekly retrain on the configured stack (the main job)."""
    began = time.monotonic()
    settings = load_settings()
    explicit = parse_week(week) if week else None
    fields = read_params(params_file) if params_file else {}
    if explicit:
        fields["week"] = str(explicit)

    # Prefect reads its settings once, when first imported: point it first (starts nothing)
    prefect_api = use_prefect(settings)
    imported = time.monotonic()
    # Prefect (through the flows) is imported only now, after use_prefect set its environment
    from flows.weekly_retrain import WeeklyRetrainParams, weekly_retrain
    from tasks.report import finished_week

    import_s = time.monotonic() - imported  # Prefect and the flows: counted as orchestration

    params = validated(WeeklyRetrainParams, fields, params_file)
    target = parse_week(params.resolved_week())
    # A finished week is answered from its record without starting Prefect (the flow itself
    # makes the same check, for runs started from the UI or a schedule).
    done = None if params.dry_run else finished_week.fn(str(target), params.recipe)
    if done is not None:
        log.info("week %s already finished: nothing to run, nothing to register", target)
        result, seeded = done.model_copy(update={"skipped": True}), None
        setup_s = time.monotonic() - began - import_s
    else:
        seeded = prepare_database(settings, target)
        setup_s = time.monotonic() - began - import_s
        advice = f"re-run 'flowgen retrain --week {target}': finished stages are reused"
        with failures_as(f"weekly run {target}", advice):
            result = weekly_retrain(params)
    payload = summary_payload(result, settings, prefect_api, seeded)
    total = time.monotonic() - began
    flow_s = 0.0 if result.skipped else result.seconds
    payload["seconds"] = {
        "total": round(total, 2),
        "setup": round(setup_s, 2),  # settings, embedded Postgres, migrations, demo seed
        "flow": flow_s,  # first stage to last, inside the flow
        # importing Prefect, its temporary API start, run bookkeeping: pure orchestration
        "orchestration": round(total - setup_s - flow_s, 2),
        "stages": result.stages,
    }
    report(payload, as_json, summary_lines(payload))


@contextmanager
def failures_as(what: str, advice: str) -> Iterator[None]:
    """An unexpected exception from a flow as one RetrainFailed line: what failed, the error,
    and what to do; flowgen's own errors pass through as they are."""
    try:
        yield
    except FlowgenError:
        raise
    except Exception as exc:
        detail = " ".join(str(exc).split())[:300]
        raise RetrainFailed(
            f"{what} failed: {type(exc).__name__}: {detail}; fix the cause and {advice}"
        ) from exc


def read_params(path: Path) -> dict[str, Any]:
    """The parameter fields of a JSON or TOML file (exit 2 when it cannot be read)."""
    try:
        text = path.read_text()
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        raise UnreadableInput(
            f"--params {path}: not a readable JSON or TOML file ({exc})"
        ) from None
    if not isinstance(data, dict):
        raise UnreadableInput(f"--params {path}: expected an object of parameter fields")
    return data


def validated(model: Any, fields: dict[str, Any], source: Path | None) -> Any:
    """`model(**fields)`, or InvalidInput naming the file and the first bad field."""
    from pydantic import ValidationError

    try:
        return model(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "parameters"
        origin = f"--params {source}: " if source else ""
        message = str(first["msg"]).removeprefix("Value error, ")
        raise InvalidInput(f"{origin}field {where}: {message}") from None


def use_prefect(settings: Settings) -> str | None:
    """Point Prefect at the configured or running server; else its temporary local API.

    The temporary API keeps its database under <state_dir>/prefect, the folder the
    `flowgen stack up` server uses, so runs made without the stack show up in its UI later.
    """
    api = stack.prefect_api_url(settings)
    if api:
        os.environ["PREFECT_API_URL"] = api
    else:
        os.environ.pop("PREFECT_API_URL", None)
        home = settings.state_path / "prefect"
        home.mkdir(parents=True, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(home)
        os.environ["PREFECT_API_DATABASE_CONNECTION_URL"] = (
            f"sqlite+aiosqlite:///{home / 'prefect.db'}"
        )
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # the temporary API migrates a fresh SQLite database first; on 2 busy cores that takes
    # longer than Prefect's default 20 s
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    return api


def prepare_database(settings: Settings, week: IsoWeek, weeks: int = 4) -> dict[str, Any] | None:
    """Migrate; on an empty database (or a demo one that ends before `week`) seed the demo
    population: `weeks` weeks ending with `week`.

    Returns what was seeded, or None when the database already had the week's data.
    """
    url = stack.database_url(settings, db="flowgen")
    engine = as_engine(url)
    upgrade(engine)
    with engine.connect() as conn:
        has_shops = conn.execute(text("SELECT EXISTS (SELECT 1 FROM shops)")).scalar_one()
        seeded_weeks = {r[0] for r in conn.execute(text("SELECT week FROM seed_weeks"))}
    newest = max((parse_week(w) for w in seeded_weeks), default=None)
    if has_shops and (newest is None or week <= newest):
        return None
    result = seed(engine, SeedConfig(end_week=week, weeks=weeks))
    what = "the database was empty" if not has_shops else f"the demo data ended at {newest}"
    log.info(
        "%s: seeded the demo population, weeks %s (%s rows)",
        what,
        ", ".join(result.weeks_written),
        sum(result.rows.values()),
    )
    return {"reason": what, "weeks": list(result.weeks_written), "rows": result.rows}


def _addresses(settings: Settings, prefect_api: str | None) -> dict[str, Any]:
    parts = status(settings.state_path)
    mlflow_ui = parts["mlflow-server"].url if parts["mlflow-server"].up else None
    return {
        "prefect_api_url": prefect_api,
        "prefect_ui": prefect_api.removesuffix("/api") if prefect_api else None,
        "mlflow_tracking_uri": mask_text(stack.mlflow_tracking_uri(settings)),
        "mlflow_ui": mlflow_ui,
    }


def summary_payload(
    result: WeeklyReport, settings: Settings, prefect_api: str | None, seeded: Any
) -> dict[str, Any]:
    """The JSON summary of a weekly run."""
    return {
        "week": result.week,
        "skipped": result.skipped,
        "seeded": seeded,
        "lineage": result.lineage.model_dump(),
        "dataset_hash": result.lineage.dataset_hash,
        "dataset_uri": result.dataset_uri,
        "dataset_rows": result.dataset_rows,
        "data": result.data.model_dump() if result.data else None,
        "extraction": result.extraction,
        "training": result.training.model_dump(),
        "metrics": result.metrics.model_dump(),
        "gate": result.gate,
        "candidate_version": result.candidate_version,
        "champion_version": result.champion_version,
        "previous_champion_version": result.previous_champion_version,
        "mlflow_run_id": result.mlflow_run_id,
        "prefect_flow_run_id": result.lineage.flow_run_id,
        **_addresses(settings, prefect_api),
    }


# The metrics the summary prints per suite (everything is in --json and in MLflow).
HEADLINE = ("cases", "syntactic_accuracy", "semantic_accuracy", "latency_p95_ms")
STAGE_ORDER = ("extract", "datasets", "train", "register", "evaluate", "promote", "report")


def _metric_lines(metrics: dict[str, Any] | None) -> list[str]:
    if not metrics or not metrics.get("candidate"):
        return []
    champion = metrics.get("champion") or {}
    lines = [f"  {'suite':10} {'metric':20} {'candidate':>10} {'champion':>10}"]
    for suite, values in sorted(metrics["candidate"].items()):
        if suite == "all":
            continue
        for name in HEADLINE:
            other = (champion.get(suite) or {}).get(name)
            lines.append(f"  {suite:10} {name:20} {_fmt(values.get(name)):>10} {_fmt(other):>10}")
    return lines


def _version(value: Any) -> str:
    return "none" if value is None else f"v{value}"


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def summary_lines(p: dict[str, Any]) -> list[str]:
    """The human summary of a weekly run."""
    lines = []
    if p["skipped"]:
        lines.append(f"week {p['week']} had already finished: nothing was run, nothing registered")
    if p["seeded"]:
        lines.append(
            f"{p['seeded']['reason']}: seeded demo weeks {', '.join(p['seeded']['weeks'])}"
        )
    ex = p.get("extraction") or {}
    lines.append(
        f"week {p['week']}: {ex.get('interactions', '?')} interactions, "
        f"{ex.get('workflows', '?')} workflows, {ex.get('quarantined', '?')} quarantined"
    )
    lines.append(f"dataset {p['dataset_hash'][:16]}: rows {p['dataset_rows']}")
    if weeks := (p.get("data") or {}).get("weeks"):
        cached = sum(1 for w in weeks if w["cached"])
        lines.append(
            f"  from {len(weeks)} weeks {weeks[0]['week']}..{weeks[-1]['week']} ({cached} cached)"
        )
    tr = p.get("training") or {}
    if tr.get("loss_first") is not None:
        lineage = p.get("lineage") or {}
        start = (
            f", from champion v{lineage['init_model_version']}"
            if lineage.get("train_init") == "champion"
            else ""
        )
        lines.append(
            f"training: {tr.get('steps_done')} steps, loss {tr['loss_first']:.4f} -> "
            f"{tr['loss_last']:.4f}, model {str(tr.get('model_hash'))[:16]}{start}"
        )
    lines += _metric_lines(p.get("metrics"))
    lines.append(f"gate: {p['gate']['decision']}")
    lines += [f"  {row}" for row in str(p["gate"].get("table") or "").splitlines()]
    lines.append(
        f"registry: candidate {_version(p['candidate_version'])}, "
        f"champion {_version(p['champion_version'])}"
        f" (before this week: {_version(p['previous_champion_version'])})"
    )
    seconds = p.get("seconds") or {}
    if seconds:
        timed = seconds.get("stages", {})
        stages = ", ".join(f"{k} {timed[k]:.0f}s" for k in STAGE_ORDER if k in timed)
        if p["skipped"]:
            lines.append(f"took {seconds['total']:.0f}s; the week's own run took: {stages}")
        else:
            lines.append(
                f"took {seconds['total']:.0f}s: setup {seconds['setup']:.0f}s, "
                f"Prefect start-up and bookkeeping {seconds['orchestration']:.0f}s, {stages}"
            )
    lines.append(f"MLflow: run {p['mlflow_run_id']} in {p['mlflow_tracking_uri']}")
    if p["mlflow_ui"]:
        lines.append(f"  UI {p['mlflow_ui']}/#/experiments (run {p['mlflow_run_id']})")
    else:
        lines.append("  browse it: 'flowgen stack up', then open http://127.0.0.1:5000")
    if p["prefect_ui"]:
        lines.append(f"Prefect: flow run {p['prefect_flow_run_id']} at {p['prefect_ui']}")
    else:
        lines.append(
            f"Prefect: flow run {p['prefect_flow_run_id']} (temporary local API; "
            "'flowgen stack up' serves it at http://127.0.0.1:4200)"
        )
    return lines
