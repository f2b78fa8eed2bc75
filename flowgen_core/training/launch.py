"""Launching a training run: its configuration, assembled once, and torchrun over the trainer.

Both `flowgen train` and the `train-model` task go through here:

    run = prepare_run(settings, dataset_dir, recipe, run_name, nproc=2)
    run.write()
    summary = launch(run, resume=False)
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from flowgen_core import stack
from flowgen_core.agent.render import dataset_hash, load_split
from flowgen_core.catalog.model import load_catalog
from flowgen_core.errors import InvalidInput, UnreadableInput
from flowgen_core.settings import Settings
from flowgen_core.training import recipes
from flowgen_core.training.base import fresh_init, tiny_base
from flowgen_core.training.config import TrainConfig
from flowgen_core.training.warm_start import warm_start

log = logging.getLogger("flowgen.training.launch")


@dataclass(frozen=True)
class TrainRun:
    """A resolved training run: its config (saved as `<run_dir>/config.json`) and launch size."""

    config: TrainConfig
    nproc: int  # processes per node torchrun starts

    @property
    def run_dir(self) -> Path:
        """The run's folder: config, checkpoints, summary, failure."""
        return Path(self.config.run_dir)

    @property
    def config_path(self) -> Path:
        """Where the trainer reads its config from."""
        return self.run_dir / "config.json"

    def write(self) -> None:
        """Create the run dir, clear an earlier failure and save the config the trainer reads."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        (self.run_dir / "failure.json").unlink(missing_ok=True)
        self.config.save(self.config_path)

    def command(self, resume: bool) -> list[str]:
        """The torchrun command of this run."""
        return torchrun_command(self.config_path, self.nproc, resume)


def run_dir_of(settings: Settings, run_name: str) -> Path:
    """The local folder of a training run."""
    return settings.state_path / "runs" / "train" / run_name


def prepare_run(
    settings: Settings,
    dataset_dir: Path,
    recipe: str,
    run_name: str,
    *,
    nproc: int = 2,
    max_steps: int = 0,
    stop_at_step: int = 0,
    seq_len: int = 0,
    base_model: str | None = None,
    warm_from: tuple[Path, str] | None = None,
) -> TrainRun:
    """The run's TrainConfig, assembled once: the recipe, the launch options (0 = the recipe's),
    the base model (for tiny, the shipped base or one bootstrapped on first use) and where
    results go.

    `warm_from` (the champion's local model folder and its registered model hash) starts from
    the champion's weights with the recipe's warm-start schedule instead of the base model.
    """
    if warm_from is None:
        model_path = base_model_dir(settings, recipe, base_model, dataset_dir)
    else:
        model_path = warm_from[0]
    run_dir = run_dir_of(settings, run_name)
    cfg = recipes.by_name(recipe, str(model_path), str(dataset_dir), str(run_dir), nproc)
    if warm_from is not None:
        cfg = warm_start(cfg, recipe, *warm_from)  # checks the folder against the hash
        log.info("warm start from the champion %s (%s)", warm_from[1][:16], warm_from[0])
    cfg = replace(
        cfg,
        packing=replace(cfg.packing, seq_len=seq_len or cfg.packing.seq_len),
        max_steps=max_steps or cfg.max_steps,
        stop_at_step=stop_at_step,
        artifact_root=settings.artifact_root,
        s3_endpoint_url=settings.s3_endpoint_url,
        run_name=run_name,
        mlflow_tracking_uri=stack.mlflow_tracking_uri(settings),
        mlflow_artifact_location=stack.mlflow_artifact_root(settings),
    )
    return TrainRun(cfg, nproc)


def base_model_dir(
    settings: Settings, recipe: str, base_model: str | None, dataset_dir: Path
) -> Path:
    """The base model folder: the one given; else for tiny the shipped pretrained base or the
    init bootstrapped on first use (`base.tiny_base`), for tiny-pretrain a fresh init whose
    tokenizer is fitted to the corpus it pretrains on."""
    if base_model:
        path = Path(base_model)
    elif recipe == "tiny":
        path = tiny_base(settings.state_path, lambda: domain_corpus(dataset_dir))
    elif recipe == "tiny-pretrain":
        name = f"tiny-init-{dataset_hash(dataset_dir)[:12]}"
        path = fresh_init(settings.state_path / "models" / name, lambda: domain_corpus(dataset_dir))
    else:
        raise InvalidInput(f"recipe {recipe} needs a base model (a local Qwen3-32B folder)")
    if not (path / "config.json").is_file():
        raise UnreadableInput(f"base model {path}: no config.json (not a HF model folder)")
    return path


def domain_corpus(dataset_dir: Path) -> list[str]:
    """Tokenizer training text: the dataset's messages and tools plus the catalog's tasks."""
    texts: list[str] = []
    for row in load_split(dataset_dir, "train"):
        texts.append(row["tools"])
        for m in json.loads(row["messages"]):
            texts.append(m.get("content") or "")
            texts.extend(tc["function"]["arguments"] for tc in m.get("tool_calls") or [])
    for task in load_catalog().tasks:
        texts.append(f"{task.label}: {task.description} ({task.python_name}, {task.id})")
    return texts


def launch(run: TrainRun, resume: bool) -> dict:
    """Run the trainer under torchrun (the run must be written); the run summary."""
    return run_trainer(run.command(resume), run.run_dir)


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
