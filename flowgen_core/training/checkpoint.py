"""DCP checkpoints under `<run_dir>/checkpoints/step_NNNNNN`, copied to the artifact store.

A checkpoint is written to `step_NNNNNN.partial` and renamed when every rank has finished, so a
kill mid-write never leaves a folder that `latest()` would pick up.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import torch
import torch.distributed as dist
import torch.distributed.checkpoint as dcp
from torch.distributed.checkpoint.state_dict import (
    get_model_state_dict,
    get_optimizer_state_dict,
    set_model_state_dict,
    set_optimizer_state_dict,
)

from flowgen_core.artifacts import ArtifactStore
from flowgen_core.training.config import TrainConfig

log = logging.getLogger("flowgen.training.checkpoint")
_STEP = re.compile(r"^step_(\d{6})$")


def checkpoint_dir(run_dir: Path) -> Path:
    """Where a run's checkpoints live."""
    return run_dir / "checkpoints"


def latest(run_dir: Path) -> Path | None:
    """The newest complete checkpoint, or None."""
    found = sorted(
        p for p in checkpoint_dir(run_dir).glob("step_*") if _STEP.match(p.name) and p.is_dir()
    )
    return found[-1] if found else None


def save(
    step: int,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    cfg: TrainConfig,
    rank: int,
) -> Path:
    """Save model, optimizer, scheduler, data position (the step) and RNG; collective."""
    final = checkpoint_dir(Path(cfg.run_dir)) / f"step_{step:06d}"
    tmp = final.with_name(final.name + ".partial")
    if rank == 0 and tmp.exists():
        shutil.rmtree(tmp)
    dist.barrier()
    state = {
        "model": get_model_state_dict(model),
        "optim": get_optimizer_state_dict(model, optimizer),
    }
    dcp.save(state, checkpoint_id=str(tmp))
    extra = {"step": step, "scheduler": scheduler.state_dict(), "rng": torch.get_rng_state()}
    torch.save(extra, tmp / f"extra_rank{rank}.pt")
    dist.barrier()
    if rank == 0:
        cfg.save(tmp / "config.json")
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
        if cfg.artifact_root:
            store = ArtifactStore(cfg.artifact_root, cfg.s3_endpoint_url)
            store.put_dir(final, f"runs/{cfg.run_name}/checkpoints/{final.name}")
        log.info("checkpoint step %d -> %s", step, final)
    dist.barrier()
    return final


def load(
    path: Path,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    rank: int,
) -> int:
    """Restore everything `save` wrote; returns the number of steps already done."""
    state = {
        "model": get_model_state_dict(model),
        "optim": get_optimizer_state_dict(model, optimizer),
    }
    dcp.load(state, checkpoint_id=str(path))
    set_model_state_dict(model, state["model"])
    set_optimizer_state_dict(model, optimizer, state["optim"])
    extra = torch.load(path / f"extra_rank{rank}.pt", weights_only=False)
    scheduler.load_state_dict(extra["scheduler"])
    torch.set_rng_state(extra["rng"])
    log.info("resumed from %s (step %d)", path, extra["step"])
    return int(extra["step"])
