"""The `train` flow: one fine-tuning run, deployed on the GPU work pool (h200).

The weekly flow starts it with `run_deployment` when a `train/train` deployment exists, so a
training run can be cancelled and retried on its own; on the embedded default (no server or no
deployment) the weekly flow calls it in-process as a subflow.
"""

from __future__ import annotations

from typing import Any

from prefect import flow
from pydantic import BaseModel, Field

from flowgen_core.training import Init, Recipe
from tasks.common import persisted
from tasks.train import train_model


class TrainOptions(BaseModel):
    """How a training run is launched (the weekly flow's `train` parameter)."""

    nproc: int = Field(default=2, ge=1, description="Processes per node torchrun starts.")
    max_steps: int = Field(
        default=0, ge=0, description="Schedule length in steps; 0 = the recipe's."
    )
    stop_at_step: int = Field(
        default=0,
        ge=0,
        description="Checkpoint and stop after this step, as preemption would; 0 = never.",
    )
    base_model: str | None = Field(
        default=None,
        description="Base model folder; unset for tiny: bootstrapped under the state dir.",
    )
    seq_len: int = Field(
        default=0,
        ge=0,
        description="Packed sequence length in tokens; 0 = the recipe's. Raise it when the "
        "over_length guard fails the run.",
    )
    init: Init = Field(
        default="base",
        description="Start from the base model, or warm start from the current champion's "
        "weights with the recipe's warm-start schedule (base when there is no champion).",
    )


class TrainParams(TrainOptions):
    """What to train on, with which recipe, launched how."""

    dataset_uri: str = Field(description="Dataset folder or s3:// URI (parquet + manifest.json).")
    run_name: str = Field(description="Names the run dir, the MLflow run and the artifact keys.")
    recipe: Recipe = Field(default="tiny", description="Named recipe.")
    init_model_uri: str | None = Field(
        default=None, description="init=champion: the champion's model folder or s3:// URI."
    )
    init_model_hash: str | None = Field(
        default=None, description="init=champion: the content hash that folder must have."
    )


@flow(name="train", flow_run_name="train-{params.run_name}")
def train(params: TrainParams) -> dict[str, Any]:
    """Fine-tune (FSDP under torchrun); the trainer's summary."""
    return persisted(train_model)(**params.model_dump())
