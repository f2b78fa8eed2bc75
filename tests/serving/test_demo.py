"""The demo's bookkeeping: which model a week serves, the verdict, the MLflow run and its plot.

The whole demo (three weekly runs) takes minutes; it is measured in docs/benchmarks.md. Here
the parts that decide what it reports run on real weekly-run summaries' shapes and a real
(sqlite) MLflow store."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowgen_core.errors import UsageError
from flowgen_core.serving.demo import (
    DemoConfig,
    DemoReport,
    WeekRow,
    log_to_mlflow,
    verdict,
    week_model,
)


def _summary(champion: str | None, candidate: str) -> dict:
    return {
        "champion_version": champion,
        "candidate_version": candidate,
        "metrics": {
            "candidate": {"benchmark": {"semantic_accuracy": 0.6}},
            "champion": {"benchmark": {"semantic_accuracy": 0.5}} if champion else None,
        },
    }


def _row(week: str, bench: float, accepted: float, promoted: bool = False) -> WeekRow:
    return WeekRow(
        week=week,
        role="champion",
        version="1",
        promoted=promoted,
        benchmark={"semantic_accuracy": bench, "syntactic_accuracy": 0.9},
        traffic={"semantic_accuracy": bench},
        served_week=week,
        served={"acceptance_rate": accepted, "syntactic_rate": 0.9, "latency_p95_ms": 900.0},
        retrain_seconds=60.0,
        served_in_data=40,
        dataset_rows={"train": 100},
    )


def test_the_week_serves_the_champion_or_before_any_promotion_the_candidate() -> None:
    assert week_model(_summary("2", "3")) == (
        "champion",
        "2",
        False,
        {"benchmark": {"semantic_accuracy": 0.5}},
    )
    assert week_model(_summary("3", "3"))[:3] == ("champion", "3", True)
    assert week_model(_summary("3", "3"))[3]["benchmark"]["semantic_accuracy"] == 0.6
    assert week_model(_summary(None, "1"))[:3] == ("candidate", "1", False)


def test_verdict_compares_first_and_last_week() -> None:
    better = [_row("2026-W45", 0.5, 0.2), _row("2026-W46", 0.6, 0.3, promoted=True)]
    assert verdict(better)[0] is True
    assert "champion changed 1 time(s)" in verdict(better)[1]
    worse = [_row("2026-W45", 0.5, 0.3), _row("2026-W46", 0.6, 0.2)]
    assert verdict(worse)[0] is False  # better on the benchmark, worse with merchants
    assert verdict(better[:1]) == (False, "one week only: nothing to compare")
    with pytest.raises(UsageError, match="--weeks 0"):
        DemoConfig(weeks=0)


@pytest.mark.integration
def test_the_demo_run_is_logged_with_per_week_metrics_and_the_plot(tmp_path: Path) -> None:
    from mlflow import MlflowClient

    tracking = f"sqlite:///{tmp_path / 'mlflow.db'}"
    rows = [_row("2026-W45", 0.5, 0.2), _row("2026-W46", 0.6, 0.3, promoted=True)]
    report = DemoReport(rows=rows, improved=True, verdict=verdict(rows)[1])
    run_id = log_to_mlflow(report, DemoConfig(weeks=2), tracking, (tmp_path / "art").as_uri())
    client = MlflowClient(tracking_uri=tracking)
    history = client.get_metric_history(run_id, "served_acceptance_rate")
    assert [(m.step, m.value) for m in history] == [(0, 0.2), (1, 0.3)]
    assert client.get_run(run_id).data.tags["improved"] == "true"
    artifacts = {a.path for a in client.list_artifacts(run_id)}
    assert artifacts == {"demo_weeks.png", "demo_report.json"}
    png = tmp_path / "art"
    assert any(p.name == "demo_weeks.png" and p.stat().st_size > 10_000 for p in png.rglob("*.png"))
