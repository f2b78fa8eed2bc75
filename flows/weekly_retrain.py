"""The `weekly-retrain` flow: one ISO week of the flywheel, from Postgres to the registry.

extract -> the cumulative set (the synthetic and real sets of every week of the window, each
built once and cached by its extraction hash, merged and checked) -> train (its own
deployment on the GPU pool, or an in-process subflow on the embedded default) -> register the
candidate (alias `challenger`) -> evaluate candidate, then champion -> gate -> promote or
reject -> report (MLflow, and the week's record in the artifact store).

Every expensive task is cached on its inputs with results persisted under the artifact root,
so a re-run after a failure resumes at the failed stage; a finished week leaves a record in the
artifact store, and a re-run of it returns that record without doing any work.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from prefect import flow, runtime
from pydantic import BaseModel, Field, field_validator

from flowgen_core.agent.interface import INTERFACE_VERSION
from flowgen_core.artifacts import artifact_store
from flowgen_core.data.examples import DataConfig
from flowgen_core.errors import UsageError
from flowgen_core.evaluation.gate import GateConfig
from flowgen_core.training import Recipe, start_weights
from flowgen_core.weekly import UNKNOWN, DataSources, Lineage, Metrics, Training, WeeklyReport
from flowgen_core.weeks import last_complete_week, parse_week
from flows.train import TrainOptions, TrainParams
from flows.train import train as train_flow
from tasks.common import persisted, settings
from tasks.data import DataOptions, cumulative_dataset
from tasks.evaluation import evaluate_model, gate
from tasks.registry import apply_decision, champion_of_week, register_candidate
from tasks.report import finished_week, log_to_mlflow, write_record
from tasks.store import extract_week

log = logging.getLogger("flowgen.flows.weekly_retrain")

TRAIN_DEPLOYMENT = "train/train"  # <flow name>/<deployment name> in deployments/prefect.yaml
_WEEK = re.compile(r"^\d{4}-W\d{2}$")


def iso_week(value: str) -> str:
    """A week parameter, checked: the YYYY-Www form, and a week that exists (not 2025-W53)."""
    if not _WEEK.match(value):
        raise ValueError(f"{value!r}: expected an ISO week like 2026-W45")
    try:
        parse_week(value)
    except UsageError as exc:
        raise ValueError(str(exc)) from exc
    return value


class EvalOptions(BaseModel):
    """How much of each suite to run."""

    max_cases: int = Field(
        default=0, ge=0, description="Cases per suite, first N in order; 0 = all."
    )
    latency_cases: int = Field(
        default=16,
        ge=0,
        description="Cases per suite timed one at a time for the latency figures; 0 = none.",
    )


class GateOverrides(BaseModel):
    """Gate thresholds for one run (flowgen_core/evaluation/gate.json holds the defaults)."""

    floors: dict[str, dict[str, float]] | None = Field(
        default=None,
        description="suite -> metric -> minimum, e.g. {traffic: {semantic_accuracy: 0.4}}.",
    )
    non_inferiority: dict[str, float] | None = Field(
        default=None,
        description="metric -> largest allowed drop against the champion (0.02 = 2 pts).",
    )
    latency_p95_margin: float | None = Field(
        default=None,
        ge=0,
        description="Allowed p95 latency increase over the champion (0.25 = 25%).",
    )

    def applied(self, recipe: str) -> GateConfig:
        """The shipped GateConfig for the recipe with these fields replaced."""
        return replace(GateConfig.load(recipe=recipe), **self.model_dump(exclude_none=True))


class WeeklyRetrainParams(BaseModel):
    """The parameters of one weekly run (the Prefect UI shows them as a validated form)."""

    week: str | None = Field(
        default=None, description="ISO week YYYY-Www to train on; unset = the last complete week."
    )
    recipe: Recipe = Field(default="tiny", description="Training recipe.")
    data: DataOptions = Field(default_factory=DataOptions, description="Training data.")
    train: TrainOptions = Field(default_factory=TrainOptions, description="Training launch.")
    evaluation: EvalOptions = Field(default_factory=EvalOptions, description="Evaluation size.")
    gate: GateOverrides = Field(
        default_factory=GateOverrides,
        description="Gate thresholds to override for this run; unset fields keep gate.json.",
    )
    dry_run: bool = Field(
        default=False, description="Run up to the gate; register, promote and record nothing."
    )

    @field_validator("week")
    @classmethod
    def _iso_week(cls, value: str | None) -> str | None:
        return None if value is None else iso_week(value)

    def resolved_week(self) -> str:
        """The week to run: the one given, else the last complete ISO week (UTC)."""
        return self.week or str(last_complete_week())


def _run_name() -> str:
    params = runtime.flow_run.parameters.get("params") or {}
    week = params.get("week") if isinstance(params, dict) else params.week
    return f"weekly-retrain-{week or last_complete_week()}"


@contextmanager
def _stage(name: str, timings: dict[str, float]) -> Iterator[None]:
    began = time.monotonic()
    log.info("stage %s: started", name)
    yield
    timings[name] = round(time.monotonic() - began, 2)
    log.info("stage %s: done in %.1fs", name, timings[name])


def run_train(params: TrainParams) -> dict[str, Any]:
    """Train on the GPU pool's deployment when there is one, else as an in-process subflow."""
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.exceptions import ObjectNotFound

    try:
        with get_client(sync_client=True) as client:
            client.read_deployment_by_name(TRAIN_DEPLOYMENT)
    except ObjectNotFound:
        return train_flow(params)
    log.info("starting deployment %s for %s", TRAIN_DEPLOYMENT, params.run_name)
    run: Any = run_deployment(
        TRAIN_DEPLOYMENT,
        parameters={"params": params.model_dump()},
        flow_run_name=f"train-{params.run_name}",
        as_subflow=True,
    )
    if run.state is None or not run.state.is_completed():
        state = run.state.name if run.state else "unknown"
        raise RuntimeError(f"training run {run.name} ended {state}; see it in the Prefect UI")
    return _summary_from_store(params.run_name)


def _summary_from_store(run_name: str) -> dict[str, Any]:
    # a deployment's run may live on another machine: its summary comes back through the store
    with tempfile.TemporaryDirectory() as tmp:
        path = artifact_store(settings()).get_file(
            f"training/{run_name}/summary.json", Path(tmp) / "summary.json"
        )
        return json.loads(path.read_text())


@flow(name="weekly-retrain", flow_run_name=_run_name)
def weekly_retrain(params: WeeklyRetrainParams = WeeklyRetrainParams()) -> WeeklyReport:
    """Retrain on one week; its report (what `flowgen retrain` prints and the week's record)."""
    # heavy: evaluation.run loads torch and transformers; importing the flow must stay cheap
    from flowgen_core.evaluation.run import EvalConfig

    week = params.resolved_week()
    if not params.dry_run and (done := finished_week(week, params.recipe)) is not None:
        log.info(
            "week %s already finished (candidate v%s); nothing to do", week, done.candidate_version
        )
        return done.model_copy(
            update={"skipped": True, "rerun_flow_run_id": str(runtime.flow_run.id)}
        )
    began, timings = time.monotonic(), dict[str, float]()

    with _stage("extract", timings):
        extraction = persisted(extract_week)(week)

    with _stage("datasets", timings):
        # the parity check tokenizes with the base model's own tokenizer when there is one
        data_config = DataConfig(tokenizer_dir=params.train.base_model or "")
        # every week of the window, each built once (cached by its extraction hash), merged
        built: Any = cumulative_dataset(week, params.data.window_weeks, extraction, data_config)
        data = DataSources.from_report(built.report)

    with _stage("train", timings):
        champion = persisted(champion_of_week)(week, params.recipe)
        start = start_weights(params.train.init, champion)  # base when there is no champion
        run_name = f"{week}-{params.recipe}-{built.hash[:12]}"
        if start["init"] == "champion":  # its own run dir: never resume a base run's steps
            run_name += f"-warm-{start['init_model_hash'][:8]}"
        summary = run_train(
            TrainParams(
                dataset_uri=built.uri,
                run_name=run_name,
                recipe=params.recipe,
                **{**params.train.model_dump(), **start},
            )
        )
    lineage = Lineage(
        week=week,
        recipe=params.recipe,
        dataset_hash=built.hash,
        # a summary cached by an older trainer has no checkpoint hash
        checkpoint_hash=summary.get("checkpoint_hash") or UNKNOWN,
        model_hash=summary["model_hash"],
        interface_version=INTERFACE_VERSION,
        code_version=git_commit(),
        flow_run_id=str(runtime.flow_run.id),
        train_init=start["init"],  # where training started: base or champion
        init_model_version=champion["version"] if start["init"] == "champion" else None,
        init_model_hash=start.get("init_model_hash"),
        data_weeks=data.lineage(),  # the weeks and extraction hashes the set merged
    )

    # registered before it is evaluated: the `challenger` alias marks it while under evaluation
    with _stage("register", timings):
        version = None
        if not params.dry_run:
            version = persisted(register_candidate)(
                week,
                summary["model_uri"],
                summary["model_hash"],
                summary["mlflow_run_id"],
                lineage.tags(),
            )

    with _stage("evaluate", timings):
        # one after the other: run side by side on shared cores, latencies would not compare
        eval_config = EvalConfig(
            max_cases=params.evaluation.max_cases,
            latency_cases=params.evaluation.latency_cases,
        )
        candidate_report = persisted(evaluate_model)(
            "candidate", summary["model_uri"], summary["model_hash"], built.uri, eval_config
        )
        champion_report = (
            persisted(evaluate_model)(
                "champion", champion["model_uri"], champion["model_hash"], built.uri, eval_config
            )
            if champion
            else None
        )
        decision: Any = gate(candidate_report, champion_report, params.gate.applied(params.recipe))

    previous = champion["version"] if champion else None
    champion_after = previous
    if version is not None:  # a dry run registers, promotes and records nothing
        with _stage("promote", timings):
            champion_after = persisted(apply_decision)(week, version, decision.as_dict())

    report = WeeklyReport(
        lineage=lineage,
        dry_run=params.dry_run,
        extraction=extraction.summary(),
        dataset_uri=built.uri,
        dataset_rows=built.rows,
        dataset_report=built.report,
        data=data,
        training=Training.model_validate(summary),
        mlflow_run_id=summary.get("mlflow_run_id"),
        metrics=Metrics(
            candidate=candidate_report.metrics,
            champion=champion_report.metrics if champion_report else None,
        ),
        gate=decision.as_dict(),
        previous_champion_version=previous,
        candidate_version=version,
        champion_version=champion_after,
        stages=timings,
        seconds=round(time.monotonic() - began, 2),
    )
    if version is not None:
        # the record is written last: after it the week counts as finished
        with _stage("report", report.stages):
            log_to_mlflow(report, decision, candidate_report, champion_report)
            write_record(report)
    return report


def git_commit() -> str:
    """The commit of the code this flow runs from, for the model's lineage; or "unknown"."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 else "unknown"
