"""Report tasks: the week's record in the artifact store and its figures in MLflow.

The record `weekly/<week>/<recipe>.json` (the WeeklyReport as JSON) marks a week as finished:
a re-run of that week, or a backfill over it, reads it and does no work.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from pydantic import ValidationError

from flowgen_core import stack
from flowgen_core.artifacts import artifact_store
from flowgen_core.errors import FlowgenError
from flowgen_core.evaluation.gate import log_decision
from flowgen_core.evaluation.report import publish
from flowgen_core.weekly import WeeklyReport, record_key
from tasks.common import TRANSIENT, settings

log = logging.getLogger("flowgen.tasks.report")


@task(
    name="finished-week",
    task_run_name="finished-week-{week}",
    cache_policy=NO_CACHE,
    **TRANSIENT,
)
def finished_week(week: str, recipe: str) -> WeeklyReport | None:
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
        try:
            return WeeklyReport.model_validate_json(path.read_text())
        except ValidationError:
            # written before the report was typed: the week re-runs from its cached stages
            # (registering nothing new) and writes the record again
            log.warning("%s: not a weekly report this version reads; running the week", key)
            return None


@task(
    name="log-to-mlflow",
    cache_policy=NO_CACHE,
    **TRANSIENT,
)
def log_to_mlflow(
    report: WeeklyReport, decision: Any, candidate: Any, champion: Any | None
) -> None:
    """Evaluation metrics (candidate and champion), the gate and the report on the training run.

    `candidate` and `champion` are the EvalReports: their Markdown report with plots (per-suite
    and per-category accuracy, the loss curve, the gate table) goes on the run as well.
    """
    # heavy: mlflow loads only when a week is logged
    from mlflow.tracking import MlflowClient

    run_id = report.mlflow_run_id
    if run_id is None:  # the trainer ran without MLflow
        return
    uri = stack.mlflow_tracking_uri(settings())
    log_decision(decision, run_id, uri)
    client = MlflowClient(uri)
    metrics = {}
    for role, by_suite in (
        ("candidate", report.metrics.candidate),
        ("champion", report.metrics.champion),
    ):
        for suite, values in (by_suite or {}).items():
            for name, value in values.items():
                if isinstance(value, int | float):
                    metrics[f"eval.{role}.{suite}.{name}"] = float(value)
    for name, value in sorted(metrics.items()):
        client.log_metric(run_id, name, value)
    client.set_tag(run_id, "flowgen.week", report.week)
    client.set_tag(run_id, "flowgen.gate", report.decision)
    client.set_tag(run_id, "flowgen.train_init", report.lineage.train_init)
    client.log_dict(run_id, report.model_dump(mode="json"), "weekly_report.json")
    publish(candidate, run_id, uri, champion, decision.as_dict())


@task(
    name="write-record",
    cache_policy=NO_CACHE,
    **TRANSIENT,
)
def write_record(report: WeeklyReport) -> str:
    """Write the week's record (the last step: after it the week counts as finished)."""
    store = artifact_store(settings())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "record.json"
        path.write_text(report.model_dump_json(indent=1))
        return store.put_file(path, record_key(report.week, report.recipe))
