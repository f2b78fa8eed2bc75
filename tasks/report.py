"""Report tasks: the week's record in the artifact store and its figures in MLflow.

The record `weekly/<week>/<recipe>.json` marks a week as finished: a re-run of that week, or a
backfill over it, reads it and does no work.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from flowgen_core import stack
from flowgen_core.artifacts import artifact_store
from flowgen_core.errors import FlowgenError
from tasks.common import TRANSIENT, settings


def record_key(week: str, recipe: str) -> str:
    """Artifact-store key of a finished week's record."""
    return f"weekly/{week}/{recipe}.json"


@task(
    name="finished-week",
    task_run_name="finished-week-{week}",
    cache_policy=NO_CACHE,
    **TRANSIENT,
)
def finished_week(week: str, recipe: str) -> dict[str, Any] | None:
    """The record of a week that already finished, or None."""
    store = artifact_store(settings())
    key = record_key(week, recipe)
    if not store.exists(key):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = store.get_file(key, Path(tmp) / "record.json")
        except FlowgenError:
            return None
        return json.loads(path.read_text())


@task(
    name="log-to-mlflow",
    cache_policy=NO_CACHE,
    **TRANSIENT,
)
def log_to_mlflow(
    run_id: str, report: dict[str, Any], decision: Any, candidate: Any, champion: Any | None
) -> None:
    """Evaluation metrics (candidate and champion), the gate and the report on the training run.

    `candidate` and `champion` are the EvalReports: their Markdown report with plots (per-suite
    and per-category accuracy, the loss curve, the gate table) goes on the run as well.
    """
    from mlflow.tracking import MlflowClient

    from flowgen_core.evaluation.gate import log_decision
    from flowgen_core.evaluation.report import publish

    uri = stack.mlflow_tracking_uri(settings())
    log_decision(decision, run_id, uri)
    client = MlflowClient(uri)
    metrics = {}
    for role in ("candidate", "champion"):
        for suite, values in (report.get("metrics", {}).get(role) or {}).items():
            for name, value in values.items():
                if isinstance(value, int | float):
                    metrics[f"eval.{role}.{suite}.{name}"] = float(value)
    for name, value in sorted(metrics.items()):
        client.log_metric(run_id, name, value)
    client.set_tag(run_id, "flowgen.week", report["week"])
    client.set_tag(run_id, "flowgen.gate", report["gate"]["decision"])
    client.log_dict(run_id, report, "weekly_report.json")
    publish(candidate, run_id, uri, champion, decision.as_dict())


@task(
    name="write-record",
    cache_policy=NO_CACHE,
    **TRANSIENT,
)
def write_record(report: dict[str, Any]) -> str:
    """Write the week's record (the last step: after it the week counts as finished)."""
    store = artifact_store(settings())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "record.json"
        path.write_text(json.dumps(report, indent=1, sort_keys=True, default=str))
        return store.put_file(path, record_key(report["week"], report["recipe"]))
