"""`flowgen train`: fine-tune the agent model on a dataset with FSDP under torchrun."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import typer

from flowgen_core import stack
from flowgen_core.artifacts import ArtifactStore
from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.errors import InvalidInput, UnreadableInput, UsageError
from flowgen_core.settings import Settings, load_settings

log = logging.getLogger("flowgen.train")
RECIPES = ("tiny", "tiny-pretrain", "qwen3-32b-2x8h200")  # flowgen_core.training.recipes.RECIPES


def train(
    dataset: str = typer.Option(..., "--dataset", help="Dataset folder or s3:// URI."),
    recipe: str = typer.Option("tiny", "--recipe", help="tiny | tiny-pretrain | qwen3-32b-2x8h200"),
    nproc: int = typer.Option(2, "--nproc", help="Processes per node torchrun starts."),
    max_steps: int = typer.Option(0, "--max-steps", help="Cap on the steps; 0 = the recipe's."),
    resume: bool = typer.Option(False, "--resume", help="Continue from the last checkpoint."),
    base_model: str = typer.Option(
        None, "--base-model", help="Base model folder; default for tiny: bootstrapped."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Fine-tune on a dataset (FSDP2 under torchrun) and export the model with its hash."""
    if recipe not in RECIPES:
        raise UsageError(f"--recipe {recipe}: choose one of {', '.join(RECIPES)}")
    if nproc < 1 or max_steps < 0:
        raise UsageError("--nproc must be >= 1 and --max-steps >= 0")
    settings = load_settings()
    dataset_dir = local_dataset(dataset, settings)
    # torch and transformers load only now, so bad input fails fast and other commands start fast.
    from flowgen_core.training import checkpoint, recipes
    from flowgen_core.training.render import dataset_hash

    data_hash = dataset_hash(dataset_dir)
    model_path = Path(base_model) if base_model else _default_base(recipe, settings, dataset_dir)
    if not (model_path / "config.json").is_file():
        raise UnreadableInput(f"--base-model {model_path}: no config.json (not a HF model folder)")
    run_name = f"{recipe}-{data_hash[:12]}"
    run_dir = settings.state_path / "runs" / "train" / run_name
    cfg = recipes.by_name(recipe, str(model_path), str(dataset_dir), str(run_dir), nproc)
    cfg = replace(
        cfg,
        max_steps=max_steps or cfg.max_steps,
        artifact_root=settings.artifact_root,
        s3_endpoint_url=settings.s3_endpoint_url,
        run_name=run_name,
        mlflow_tracking_uri=stack.mlflow_tracking_uri(settings),
        mlflow_artifact_location=stack.mlflow_artifact_root(settings),
    )
    if resume and checkpoint.latest(run_dir) is None and checkpoint.stored_latest(cfg) is None:
        raise UsageError(f"--resume: no checkpoint under {run_dir} or in the artifact store")
    if not resume and run_dir.exists():
        shutil.rmtree(run_dir)  # a fresh run must not pick up an older run's checkpoints
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "failure.json").unlink(missing_ok=True)
    config_path = run_dir / "config.json"
    cfg.save(config_path)
    summary = launch(config_path, nproc, resume, run_dir)
    lines = [
        f"trained {summary['steps_done']} steps on {nproc} processes: "
        f"loss {summary['loss_first']:.4f} -> {summary['loss_last']:.4f}",
        f"model: {summary['model_uri']} (sha256 {summary['model_hash']})",
        f"mlflow run: {summary['mlflow_run_id']}",
    ]
    report(summary, as_json, lines)


def launch(config_path: Path, nproc: int, resume: bool, run_dir: Path) -> dict:
    """Run the trainer under torchrun, streaming its output to stderr; the run summary."""
    return run_trainer(torchrun_command(config_path, nproc, resume), run_dir)


def nnodes() -> int:
    """Nodes of this training job: torchrun's PET_NNODES ("N" or "MIN:MAX"), 1 when unset."""
    return int(os.environ.get("PET_NNODES", "1").split(":")[-1])


def torchrun_command(config_path: Path, nproc: int, resume: bool) -> list[str]:
    """torchrun for one node (standalone) or, with PET_NNODES > 1, for a multi-node job.

    On the h200 pool the job template sets torchrun's own PET_NNODES, PET_NODE_RANK,
    PET_RDZV_BACKEND and PET_RDZV_ENDPOINT; every node runs this same command.
    """
    cmd = [sys.executable, "-m", "torch.distributed.run"]
    cmd += [] if nnodes() > 1 else ["--standalone"]
    cmd += ["--nproc_per_node", str(nproc), "-m", "flowgen_core.training.trainer"]
    return [*cmd, "--config", str(config_path), *(["--resume"] if resume else [])]


def run_trainer(cmd: list[str], run_dir: Path) -> dict:
    """Run the torchrun command, streaming its output to stderr; the run summary, or
    InvalidInput naming why training failed or stopped early."""
    log.info("launching: %s", " ".join(cmd))
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stderr.write(line)
        rc = proc.wait()
    failure = run_dir / "failure.json"
    if rc != 0 or not (run_dir / "summary.json").is_file():
        reason = json.loads(failure.read_text())["error"] if failure.is_file() else f"exit {rc}"
        raise InvalidInput(f"training failed: {reason} (run dir {run_dir})")
    summary = json.loads((run_dir / "summary.json").read_text())
    if not summary.get("finished"):
        raise InvalidInput(f"training stopped at step {summary['steps_done']} (run dir {run_dir})")
    return summary


def local_dataset(uri: str, settings: Settings) -> Path:
    """A local folder holding the dataset: the path itself, or an s3:// URI downloaded."""
    if uri.startswith("s3://"):
        parent, _, name = uri.rstrip("/").rpartition("/")
        dest = settings.state_path / "datasets" / name
        if not (dest / "manifest.json").is_file():
            ArtifactStore(parent, settings.s3_endpoint_url).get_dir(name, dest)
        return dest
    path = Path(uri.removeprefix("file://")).expanduser().resolve()
    if not (path / "manifest.json").is_file():
        raise UnreadableInput(f"--dataset {uri}: no manifest.json (not a dataset folder)")
    return path


def _default_base(recipe: str, settings: Settings, dataset_dir: Path) -> Path:
    if recipe not in ("tiny", "tiny-pretrain"):
        raise UsageError(f"--recipe {recipe} needs --base-model (a local Qwen3-32B folder)")
    if recipe == "tiny":  # the shipped pretrained base, else a fresh init (training/base.py)
        from flowgen_core.training.base import tiny_base

        return tiny_base(settings.state_path, lambda: domain_corpus(dataset_dir))
    # tiny-pretrain: a fresh init whose tokenizer is fitted to the corpus
    from flowgen_core.training.render import dataset_hash

    path = settings.state_path / "models" / f"tiny-init-{dataset_hash(dataset_dir)[:12]}"
    if not (path / "config.json").is_file():
        from flowgen_core.training.bootstrap import TinyModelConfig, bootstrap_base_model

        log.info("bootstrapping the tiny base model into %s", path)
        bootstrap_base_model(domain_corpus(dataset_dir), path, TinyModelConfig())
    return path


def domain_corpus(dataset_dir: Path) -> list[str]:
    """Tokenizer training text: the dataset's messages and tools plus the catalog's tasks."""
    from flowgen_core.catalog.model import load_catalog
    from flowgen_core.training.render import load_split

    texts: list[str] = []
    for row in load_split(dataset_dir, "train"):
        texts.append(row["tools"])
        for m in json.loads(row["messages"]):
            texts.append(m.get("content") or "")
            texts.extend(tc["function"]["arguments"] for tc in m.get("tool_calls") or [])
    for task in load_catalog().tasks:
        texts.append(f"{task.label}: {task.description} ({task.python_name}, {task.id})")
    return texts
