"""The `backfill` flow: the weekly retrain over a range of ISO weeks, oldest first.

Weeks run one after another (each compares against the champion the week before left), so at
most one training run is on the GPU pool at a time; the h200 pool's own concurrency limit of 1
(set by `flowgen deploy`) also holds when several backfills are started. A week that already
finished is skipped without work, so a backfill can be re-run after a failure as it is.
"""

from __future__ import annotations

from typing import Any

from prefect import flow
from pydantic import BaseModel, Field, field_validator, model_validator

from flowgen_core.training import Recipe
from flowgen_core.weeks import parse_week
from flows.weekly_retrain import (
    DataOptions,
    EvalOptions,
    GateOverrides,
    TrainOptions,
    WeeklyRetrainParams,
    iso_week,
    weekly_retrain,
)

MAX_WEEKS = 104  # two years; a longer range is more likely a typo than a plan


class BackfillParams(BaseModel):
    """A range of weeks to (re)train, both ends included."""

    start: str = Field(description="First ISO week, YYYY-Www (e.g. 2026-W40).")
    end: str = Field(description="Last ISO week, YYYY-Www, not before start.")
    recipe: Recipe = Field(default="tiny", description="Training recipe.")
    data: DataOptions = Field(default_factory=DataOptions, description="Training data.")
    train: TrainOptions = Field(default_factory=TrainOptions, description="Training launch.")
    evaluation: EvalOptions = Field(default_factory=EvalOptions, description="Evaluation size.")
    gate: GateOverrides = Field(
        default_factory=GateOverrides, description="Gate thresholds to override for every week."
    )

    @field_validator("start", "end")
    @classmethod
    def _iso_week(cls, value: str) -> str:
        return iso_week(value)

    @model_validator(mode="after")
    def _ordered(self) -> BackfillParams:
        if len(self.weeks()) == 0:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if len(self.weeks()) > MAX_WEEKS:
            raise ValueError(f"{self.start}..{self.end} spans more than {MAX_WEEKS} weeks")
        return self

    def weeks(self) -> list[str]:
        """The weeks of the range, oldest first."""
        first, last = parse_week(self.start), parse_week(self.end)
        out: list[str] = []
        while first <= last and len(out) <= MAX_WEEKS:
            out.append(str(first))
            first = first.shift(1)
        return out


@flow(name="backfill", flow_run_name="backfill-{params.start}-{params.end}")
def backfill(params: BackfillParams) -> dict[str, Any]:
    """Run the weekly retrain for each week in order; {"ran", "skipped", "reports"}."""
    ran: list[str] = []
    skipped: list[str] = []
    reports: dict[str, Any] = {}
    for week in params.weeks():
        report = weekly_retrain(
            WeeklyRetrainParams(
                week=week,
                recipe=params.recipe,
                data=params.data,
                train=params.train,
                evaluation=params.evaluation,
                gate=params.gate,
            )
        )
        (skipped if report.skipped else ran).append(week)
        reports[week] = {
            "gate": report.decision,
            "candidate_version": report.candidate_version,
            "champion_version": report.champion_version,
            "previous_champion_version": report.previous_champion_version,
            "champion_metrics": report.metrics.champion,
        }
    return {"ran": ran, "skipped": skipped, "reports": reports}
