"""The flywheel, several weeks in a row: retrain, serve the champion, simulate merchants, repeat.

For each of `weeks` consecutive weeks W (ending with the last complete week by default):
1. `flowgen retrain --week W` (the weekly flow, as a separate process, exactly as cron or the
   Prefect deployment would run it): the data of W, including what was served in W, trains a
   candidate; the gate decides whether it becomes the champion;
2. the champion is served (the real app on a loopback port) and simulated merchants send the
   requests of week W+1 and react to the answers; those interactions are W+1's data.

The report gives, per week, the champion's metrics on the benchmark and on the week's held-out
traffic (from the weekly run) and on served traffic (the simulated merchants' verdicts), logs
them with a plot to an MLflow run (experiment `flowgen-demo`), and says whether the loop
improved the model from the first week to the last.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flowgen_core.errors import FlowgenError, UsageError
from flowgen_core.serving.champion import ServeConfig
from flowgen_core.serving.server import build, running
from flowgen_core.serving.simulate import SimulateConfig, simulate
from flowgen_core.store.db import as_engine
from flowgen_core.store.extract import extract
from flowgen_core.weeks import IsoWeek, last_complete_week, week_range

log = logging.getLogger("flowgen.serving.demo")

EXPERIMENT = "flowgen-demo"
MODEL = "flowgen-agent"


class DemoFailed(FlowgenError):
    """A weekly run of the demo failed: exit code 1."""


@dataclass(frozen=True)
class DemoConfig:
    """How long the demo runs and how busy the simulated merchants are."""

    weeks: int = 3  # weekly runs (each followed by a simulated week of traffic)
    requests: int = 40  # simulated requests per week
    end_week: IsoWeek | None = None  # the last week retrained; None: the last complete week
    seed: int = 7  # the demo population's seed

    def __post_init__(self) -> None:
        if not 1 <= self.weeks <= 12:
            raise UsageError(f"--weeks {self.weeks}: must be between 1 and 12")
        if self.requests < 1:
            raise UsageError(f"--requests {self.requests}: must be at least 1")


@dataclass
class WeekRow:
    """One week of the demo: the champion after its run, then how it did when served."""

    week: str
    role: str  # champion | candidate (served when no version was ever promoted)
    version: str  # the registered version served after this week's run
    promoted: bool  # this week's candidate became the champion
    benchmark: dict[str, float]  # the champion's metrics on the benchmark suite
    traffic: dict[str, float]  # ... on the week's held-out traffic
    served_week: str
    served: dict[str, Any]  # the simulated week: acceptance rate, syntactic rate, latency
    retrain_seconds: float
    served_in_data: int  # interactions of this week's extraction that a served model answered
    dataset_rows: dict[str, int]  # the week's dataset: train / validation / heldout rows


@dataclass
class DemoReport:
    """Every week's row, the verdict and where it was logged."""

    rows: list[WeekRow] = field(default_factory=list)
    improved: bool = False
    verdict: str = ""
    mlflow_run_id: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def retrain(week: IsoWeek) -> dict[str, Any]:
    """`flowgen retrain --week W --json` in its own process; its JSON summary."""
    t0 = time.perf_counter()
    cmd = [sys.executable, "-c", "import sys; from flowgen_core.cli import main; sys.exit(main())"]
    out = subprocess.run(
        [*cmd, "retrain", "--week", str(week), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["no output"])[-1]
        raise DemoFailed(f"flowgen retrain --week {week} failed (exit {out.returncode}): {last}")
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    summary["demo_seconds"] = round(time.perf_counter() - t0, 1)
    return summary


def week_model(summary: dict[str, Any]) -> tuple[str, str, bool, dict[str, Any]]:
    """(role, version, promoted, metrics per suite) of the model to serve after a weekly run.

    The champion when there is one; before the gate has ever promoted a candidate (a tiny model
    on 2 CPU cores rarely passes the floors), the week's candidate, so the loop can still turn;
    the report says which it was.
    """
    metrics = summary.get("metrics") or {}
    champion, candidate = summary.get("champion_version"), summary.get("candidate_version")
    promoted = champion is not None and champion == candidate
    if champion is None:
        return "candidate", str(candidate), False, metrics.get("candidate") or {}
    return (
        "champion",
        str(champion),
        promoted,
        (metrics.get("candidate") if promoted else metrics.get("champion")) or {},
    )


def serve_and_simulate(
    model_uri: str, week: IsoWeek, requests: int, seed: int, db_url: str, tracking_uri: str
) -> dict[str, Any]:
    """Serve the model on a loopback port and run a simulated week against it."""
    app, champion = build(
        ServeConfig(model_uri=model_uri, poll_s=0), as_engine(db_url), tracking_uri
    )
    try:
        with running(app) as url:
            config = SimulateConfig(requests=requests, seed=seed)
            report = simulate(url, week, config, db=db_url)
    finally:
        champion.stop()
    return report.as_dict()


HEADLINE = ("syntactic_accuracy", "semantic_accuracy", "latency_p95_ms")


def run_demo(config: DemoConfig, db_url: str, tracking_uri: str, artifact_root: str) -> DemoReport:
    """Retrain, serve, simulate, week after week; the report, logged to MLflow."""
    t0 = time.perf_counter()
    report = DemoReport()
    for week in week_range(config.end_week or last_complete_week(), config.weeks):
        log.info("demo week %s: retraining", week)
        summary = retrain(week)
        served_in_data = sum(
            i.model_version.startswith(f"{MODEL}/") for i in extract(db_url, week).interactions
        )
        role, version, promoted, metrics = week_model(summary)
        log.info("demo week %s: serving %s v%s for %s", week, role, version, week.shift(1))
        uri = f"models:/{MODEL}@champion" if role == "champion" else f"models:/{MODEL}/{version}"
        served = serve_and_simulate(
            uri, week.shift(1), config.requests, config.seed, db_url, tracking_uri
        )
        report.rows.append(
            WeekRow(
                week=str(week),
                role=role,
                version=version,
                promoted=promoted,
                benchmark={
                    k: v for k, v in (metrics.get("benchmark") or {}).items() if k in HEADLINE
                },
                traffic={k: v for k, v in (metrics.get("traffic") or {}).items() if k in HEADLINE},
                served_week=str(week.shift(1)),
                served={
                    k: served[k]
                    for k in (
                        "answered",
                        "syntactic_rate",
                        "acceptance_rate",
                        "latency_p95_ms",
                        "outcomes",
                        "errors",
                    )
                },
                retrain_seconds=summary["demo_seconds"],
                served_in_data=served_in_data,
                dataset_rows=summary.get("dataset_rows") or {},
            )
        )
    report.improved, report.verdict = verdict(report.rows)
    report.seconds = round(time.perf_counter() - t0, 1)
    report.mlflow_run_id = log_to_mlflow(report, config, tracking_uri, artifact_root)
    return report


def verdict(rows: list[WeekRow]) -> tuple[bool, str]:
    """Did the champion get better from the first week to the last (benchmark or served)?"""
    if len(rows) < 2:
        return False, "one week only: nothing to compare"
    first, last = rows[0], rows[-1]
    bench = last.benchmark.get("semantic_accuracy", 0) - first.benchmark.get("semantic_accuracy", 0)
    served = last.served["acceptance_rate"] - first.served["acceptance_rate"]
    syntactic = last.served["syntactic_rate"] - first.served["syntactic_rate"]
    improved = max(bench, served, syntactic) > 0 and min(bench, served) >= 0
    changed = sum(r.promoted for r in rows[1:])
    text = (
        f"{'improved' if improved else 'did not improve'}: benchmark semantic accuracy "
        f"{bench:+.3f}, served acceptance {served:+.3f}, served valid workflows {syntactic:+.3f} "
        f"from {first.week} to {last.week}; the champion changed {changed} time(s) after the first week"
    )
    return improved, text


def plot(rows: list[WeekRow], path: Path) -> Path:
    """Per week: the champion on the benchmark, held-out traffic and served traffic."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    weeks = [r.week for r in rows]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for label, values in (
        ("benchmark semantic", [r.benchmark.get("semantic_accuracy", 0) for r in rows]),
        ("benchmark syntactic", [r.benchmark.get("syntactic_accuracy", 0) for r in rows]),
        ("held-out traffic semantic", [r.traffic.get("semantic_accuracy", 0) for r in rows]),
    ):
        ax1.plot(weeks, values, marker="o", label=label)
    ax1.set_title("served model after each weekly run (its eval)")
    for label, values in (
        ("accepted", [r.served["acceptance_rate"] for r in rows]),
        ("valid workflow", [r.served["syntactic_rate"] for r in rows]),
    ):
        ax2.plot([r.served_week for r in rows], values, marker="o", label=label)
    ax2.set_title("served the following week (simulated merchants)")
    for ax in (ax1, ax2):
        ax.set_ylim(-0.02, 1.02)
        ax.legend(fontsize=8)
        ax.tick_params(axis="x", labelrotation=30)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def log_to_mlflow(
    report: DemoReport, config: DemoConfig, tracking_uri: str, artifact_root: str
) -> str:
    """One run in the `flowgen-demo` experiment: per-week metrics (step = week index), the plot
    and the report."""
    import tempfile

    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=tracking_uri)
    found = client.get_experiment_by_name(EXPERIMENT)
    experiment_id = (
        found.experiment_id
        if found
        else client.create_experiment(EXPERIMENT, artifact_location=f"{artifact_root}/{EXPERIMENT}")
    )
    run = client.create_run(
        experiment_id, run_name=f"demo-{report.rows[0].week}-{report.rows[-1].week}"
    )
    run_id = run.info.run_id
    for key, value in {
        "weeks": config.weeks,
        "requests": config.requests,
        "seed": config.seed,
    }.items():
        client.log_param(run_id, key, value)
    for step, row in enumerate(report.rows):
        values: dict[str, float] = {f"benchmark_{k}": v for k, v in row.benchmark.items()}
        values |= {f"traffic_{k}": v for k, v in row.traffic.items()}
        values |= {
            "served_in_data": row.served_in_data,
            "served_acceptance_rate": row.served["acceptance_rate"],
            "served_syntactic_rate": row.served["syntactic_rate"],
            "served_latency_p95_ms": row.served["latency_p95_ms"],
        }
        for key, number in values.items():
            client.log_metric(run_id, key, float(number), step=step)
    client.set_tag(run_id, "improved", str(report.improved).lower())
    client.set_tag(run_id, "verdict", report.verdict[:5000])
    with tempfile.TemporaryDirectory() as tmp:
        client.log_artifact(run_id, str(plot(report.rows, Path(tmp) / "demo_weeks.png")))
        report_path = Path(tmp) / "demo_report.json"
        report_path.write_text(json.dumps(report.as_dict(), indent=1, default=str))
        client.log_artifact(run_id, str(report_path))
    client.set_terminated(run_id)
    return run_id
