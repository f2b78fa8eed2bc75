"""`flowgen train`: fine-tune the agent model on a dataset with FSDP under torchrun."""

from __future__ import annotations

import shutil

import typer

from flowgen_core.artifacts import local_dataset
from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.errors import UsageError
from flowgen_core.settings import load_settings
from flowgen_core.training import RECIPES, TINY_RECIPES


def train(
    dataset: str = typer.Option(..., "--dataset", help="Dataset folder or s3:// URI."),
    recipe: str = typer.Option("tiny", "--recipe", help=" | ".join(RECIPES)),
    nproc: int = typer.Option(2, "--nproc", help="Processes per node torchrun starts."),
    max_steps: int = typer.Option(0, "--max-steps", help="Cap on the steps; 0 = the recipe's."),
    resume: bool = typer.Option(False, "--resume", help="Continue from the last checkpoint."),
    base_model: str = typer.Option(
        None,
        "--base-model",
        help="Base model folder; default for tiny: the shipped pretrained base, else bootstrapped.",
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Fine-tune on a dataset (FSDP2 under torchrun) and export the model with its hash."""
    if recipe not in RECIPES:
        raise UsageError(f"--recipe {recipe}: choose one of {', '.join(RECIPES)}")
    if nproc < 1 or max_steps < 0:
        raise UsageError("--nproc must be >= 1 and --max-steps >= 0")
    if recipe not in TINY_RECIPES and not base_model:
        raise UsageError(f"--recipe {recipe} needs --base-model (a local Qwen3-32B folder)")
    settings = load_settings()
    dataset_dir = local_dataset(dataset, settings)
    # heavy: torch and transformers load only now, so bad input fails fast and other
    # commands start fast.
    from flowgen_core.agent.render import dataset_hash
    from flowgen_core.training import checkpoint
    from flowgen_core.training.launch import launch, prepare_run

    run_name = f"{recipe}-{dataset_hash(dataset_dir)[:12]}"
    run = prepare_run(
        settings,
        dataset_dir,
        recipe,
        run_name,
        nproc=nproc,
        max_steps=max_steps,
        base_model=base_model,
    )
    if resume:
        if checkpoint.latest(run.run_dir) is None and checkpoint.stored_latest(run.config) is None:
            raise UsageError(
                f"--resume: no checkpoint under {run.run_dir} or in the artifact store"
            )
    else:
        shutil.rmtree(run.run_dir, ignore_errors=True)  # a fresh run ignores older checkpoints
    run.write()
    summary = launch(run, resume)
    lines = [
        f"trained {summary['steps_done']} steps on {nproc} processes: "
        f"loss {summary['loss_first']:.4f} -> {summary['loss_last']:.4f}",
        f"model: {summary['model_uri']} (sha256 {summary['model_hash']})",
        f"mlflow run: {summary['mlflow_run_id']}",
    ]
    report(summary, as_json, lines)
