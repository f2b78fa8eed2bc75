"""`flowgen demo`: several weeks of the flywheel (retrain, serve, simulate) and whether it helped."""

from __future__ import annotations

import typer

from flowgen_core import stack
from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.settings import load_settings
from flowgen_core.weeks import parse_week


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def demo(
    weeks: int = typer.Option(3, "--weeks", help="Weekly runs, each followed by a served week."),
    requests: int = typer.Option(40, "--requests", help="Simulated requests per served week."),
    end_week: str = typer.Option(
        None, "--end-week", help="Last week retrained (YYYY-Www); default: last complete."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Retrain, serve the champion, simulate a week of merchants, repeat; report per week."""
    # heavy: serving loads torch, transformers and fastapi only when the demo runs
    from flowgen_core.serving.demo import DemoConfig, run_demo

    config = DemoConfig(
        weeks=weeks, requests=requests, end_week=parse_week(end_week) if end_week else None
    )
    settings = load_settings()
    result = run_demo(
        config,
        stack.database_url(settings, db="flowgen"),
        stack.mlflow_tracking_uri(settings),
        stack.mlflow_artifact_root(settings),
    )
    lines = [
        f"{'week':9} {'served in data':>14} {'model':>15} {'bench syn':>9} {'bench sem':>9} {'traffic sem':>11}  "
        f"{'served week':11} {'valid':>6} {'accepted':>8} {'p95 ms':>7}"
    ]
    for r in result.rows:
        lines.append(
            f"{r.week:9} {r.served_in_data:>14} {r.role + ' v' + r.version + ('*' if r.promoted else ''):>15} "
            f"{_pct(r.benchmark.get('syntactic_accuracy')):>9} "
            f"{_pct(r.benchmark.get('semantic_accuracy')):>9} "
            f"{_pct(r.traffic.get('semantic_accuracy')):>11}  {r.served_week:11} "
            f"{_pct(r.served['syntactic_rate']):>6} {_pct(r.served['acceptance_rate']):>8} "
            f"{r.served['latency_p95_ms']:>7.0f}"
        )
    lines += [
        "(* promoted that week; 'candidate': no version has passed the gate yet, so the "
        "week's candidate was served)",
        result.verdict,
        f"MLflow: run {result.mlflow_run_id} (experiment flowgen-demo, plot demo_weeks.png)",
    ]
    report(result.as_dict(), as_json, lines)
