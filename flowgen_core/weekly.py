"""The weekly run's report: built once by the `weekly-retrain` flow, read by everything after.

`flowgen retrain` and the backfill print it, the registry tags the candidate with its lineage,
MLflow keeps it with the training run, and it is the finished week's record in the artifact
store (`weekly/<week>/<recipe>.json`): a re-run of the week reads it back and does no work.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flowgen_core.training import Init, Recipe

UNKNOWN = "unknown"  # a lineage value the run could not tell (e.g. no git checkout)


class DataWeek(BaseModel):
    """One week a cumulative training set merged: the week and its extraction's hash."""

    model_config = ConfigDict(frozen=True)

    week: str = Field(description="ISO week, YYYY-Www.")
    extraction_hash: str = Field(description="Content hash of that week's extraction.")


class Lineage(BaseModel):
    """What the candidate was built from and by what: the registered version's tags."""

    model_config = ConfigDict(frozen=True)

    week: str = Field(description="ISO week of the interactions, YYYY-Www.")
    recipe: Recipe = Field(description="Training recipe.")
    dataset_hash: str = Field(description="Content hash of the written dataset.")
    checkpoint_hash: str = Field(description="Content hash of the final checkpoint as stored.")
    model_hash: str = Field(description="Content hash of the exported model folder.")
    interface_version: str = Field(description="Agent interface the model was trained on.")
    code_version: str = Field(description="Git commit of the code that ran, or 'unknown'.")
    flow_run_id: str = Field(description="Prefect flow run of the week.")
    train_init: Init = Field(
        default="base", description="Where training started: the base model or the champion."
    )
    init_model_version: str | None = Field(
        default=None, description="train_init=champion: the champion version it started from."
    )
    init_model_hash: str | None = Field(
        default=None, description="train_init=champion: that version's model hash."
    )
    data_weeks: tuple[DataWeek, ...] = Field(
        default=(),
        description="The weeks the cumulative dataset merged and their extraction hashes, "
        "oldest first (the dataset hash covers them).",
    )

    @model_validator(mode="after")
    def _champion_named(self) -> Lineage:
        if self.train_init == "champion" and not (self.init_model_version and self.init_model_hash):
            raise ValueError("train_init=champion needs init_model_version and init_model_hash")
        return self

    def tags(self) -> dict[str, str]:
        """The registry's lineage tags (`flowgen_core.registry.LINEAGE_TAGS` and the week),
        where training started, and the span of weeks the dataset merged."""
        tags = {
            "week": self.week,
            "recipe": self.recipe,
            "dataset_hash": self.dataset_hash,
            "checkpoint_hash": self.checkpoint_hash,
            "model_hash": self.model_hash,
            "interface_version": self.interface_version,
            "git_commit": self.code_version,
            "prefect_flow_run_id": self.flow_run_id,
            "train_init": self.train_init,
        }
        if self.train_init == "champion":
            tags["init_model_version"] = str(self.init_model_version)
            tags["init_model_hash"] = str(self.init_model_hash)
        if self.data_weeks:
            # a span, not the list: a tag value is short; the manifest lists every week's hash
            first, last = self.data_weeks[0].week, self.data_weeks[-1].week
            tags["data_weeks"] = f"{first}..{last} ({len(self.data_weeks)} weeks)"
        return tags


class Training(BaseModel):
    """The training run's figures (from the trainer's summary)."""

    steps_done: int
    loss_first: float | None
    loss_last: float | None
    train_seconds: float | None = None
    tokens_per_s: float | None = None
    model_hash: str
    model_uri: str
    model_dir: str | None = None


class BuiltWeek(DataWeek):
    """One week of the cumulative set as the build found it."""

    examples: int = Field(description="Curated examples of that week, before the merge.")
    cached: bool = Field(description="True: read back from the store, not built again.")
    seconds: float = Field(description="Time to build (or read back) that week's examples.")


class DataSources(BaseModel):
    """How the training set was accumulated: the data build report's `window_weeks`, `weeks`
    and `merge`."""

    window_weeks: int = Field(ge=0, description="Weeks of the window; 0 = every week.")
    weeks: list[BuiltWeek] = Field(description="The weeks merged, oldest first.")
    merge: dict[str, int] = Field(description="The merge's counts, step by step.")

    @classmethod
    def from_report(cls, report: dict[str, Any]) -> DataSources:
        """The typed part of a cumulative build's report."""
        return cls.model_validate({k: report[k] for k in ("window_weeks", "weeks", "merge")})

    def lineage(self) -> tuple[DataWeek, ...]:
        """The weeks and extraction hashes, as the lineage records them."""
        return tuple(DataWeek(week=w.week, extraction_hash=w.extraction_hash) for w in self.weeks)


class Metrics(BaseModel):
    """Evaluation metrics, suite -> metric -> value, of the candidate and the champion."""

    candidate: dict[str, dict[str, Any]]
    champion: dict[str, dict[str, Any]] | None = None  # None: there was no champion yet


class WeeklyReport(BaseModel):
    """One week of the flywheel: lineage, data, training, metrics, gate, registry, timings."""

    lineage: Lineage
    dry_run: bool = Field(description="True: ran up to the gate; nothing registered.")
    extraction: dict[str, Any] = Field(description="The extraction's counts and hash.")
    dataset_uri: str
    dataset_rows: dict[str, int] = Field(description="Rows per split.")
    dataset_report: dict[str, Any] = Field(description="The data build's report.")
    data: DataSources | None = Field(
        default=None,
        description="The weeks the set merged and the merge's counts; None in a record "
        "written before sets were cumulative.",
    )
    training: Training
    mlflow_run_id: str | None = Field(description="The training run in MLflow.")
    metrics: Metrics
    gate: dict[str, Any] = Field(description="The gate's decision, reasons, checks and table.")
    previous_champion_version: str | None = Field(description="Champion when the week began.")
    candidate_version: str | None = Field(description="Registered version; None on a dry run.")
    champion_version: str | None = Field(description="Champion after the promotion step.")
    stages: dict[str, float] = Field(description="Stage -> seconds, in the order they ran.")
    seconds: float = Field(default=0.0, description="First stage to last, in seconds.")
    skipped: bool = Field(default=False, description="True: read back from the week's record.")
    rerun_flow_run_id: str | None = Field(
        default=None, description="The flow run that found the week finished (skipped only)."
    )

    @property
    def week(self) -> str:
        """The report's ISO week."""
        return self.lineage.week

    @property
    def recipe(self) -> str:
        """The report's recipe."""
        return self.lineage.recipe

    @property
    def decision(self) -> str:
        """The gate's decision: promote or reject."""
        return str(self.gate["decision"])


def record_key(week: str, recipe: str) -> str:
    """Artifact-store key of a finished week's record."""
    return f"weekly/{week}/{recipe}.json"
