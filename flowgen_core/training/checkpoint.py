"""DCP checkpoints under `<run_dir>/checkpoints/step_NNNNNN`, copied to the artifact store.

A checkpoint is written to `step_NNNNNN.partial` and renamed when every rank has finished, so a
kill mid-write never leaves a folder that `latest()` would pick up. With an artifact store, each
checkpoint is copied to `runs/<run_name>/checkpoints/step_NNNNNN` and then the pointer
`runs/<run_name>/checkpoints/LATEST` names it, so a resume on a machine that lost the run dir
fetches the newest complete one.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
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


def _store(cfg: TrainConfig) -> ArtifactStore | None:
    return ArtifactStore(cfg.artifact_root, cfg.s3_endpoint_url) if cfg.artifact_root else None


def _key(cfg: TrainConfig, name: str) -> str:
    return f"runs/{cfg.run_name}/checkpoints/{name}"


def stored_latest(cfg: TrainConfig) -> str | None:
    """Name of the newest checkpoint in the artifact store (per its LATEST pointer), or None."""
    store = _store(cfg)
    if store is None or not store.exists(_key(cfg, "LATEST")):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        return store.get_file(_key(cfg, "LATEST"), Path(tmp) / "LATEST").read_text().strip()


def restore(cfg: TrainConfig, rank: int) -> Path | None:
    """The newest checkpoint of the run dir, fetched from the artifact store if it has none.

    Collective. Rank 0 fetches into the run dir, which every rank must see (a shared volume on
    multi-node jobs, as the h200 job template mounts).
    """
    run_dir = Path(cfg.run_dir)
    if rank == 0 and latest(run_dir) is None:
        name = stored_latest(cfg)
        store = _store(cfg)
        if name and store is not None:
            final = checkpoint_dir(run_dir) / name
            tmp = final.with_name(name + ".partial")
            shutil.rmtree(tmp, ignore_errors=True)
            store.get_dir(_key(cfg, name), tmp)
            tmp.rename(final)
            log.info("fetched checkpoint %s from %s", name, store.uri(_key(cfg, name)))
            if (final / "mlflow_run_id").is_file():
                shutil.copyfile(final / "mlflow_run_id", run_dir / "mlflow_run_id")
    dist.barrier()
    return latest(run_dir)


def save(
    step: int,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    cfg: TrainConfig,
    rank: int,
    losses: list[float],
) -> Path:
    """Save model, optimizer, scheduler, data position (the step), RNG and losses; collective."""
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
        # The loss history travels with the checkpoint so a resumed run reports loss_first.
        (tmp / "losses.json").write_text(json.dumps(losses))
        run_id = Path(cfg.run_dir) / "mlflow_run_id"
        if run_id.is_file():  # a resume elsewhere continues the same MLflow run
            shutil.copyfile(run_id, tmp / run_id.name)
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
        store = _store(cfg)
        if store is not None:
            store.put_dir(final, _key(cfg, final.name))
            with tempfile.TemporaryDirectory() as tmpdir:
                pointer = Path(tmpdir) / "LATEST"
                pointer.write_text(final.name)
                store.put_file(pointer, _key(cfg, "LATEST"))  # only after the whole copy
        log.info("checkpoint step %d -> %s", step, final)
    dist.barrier()
    return final


def load(
    path: Path,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: torch.optim.lr_scheduler.LRScheduler,
    rank: int,
) -> tuple[int, list[float]]:
    """Restore everything `save` wrote; returns the steps already done and their losses."""
    state = {
        "model": get_model_state_dict(model),
        "optim": get_optimizer_state_dict(model, optimizer),
    }
    dcp.load(state, checkpoint_id=str(path))
    set_model_state_dict(model, state["model"])  # type: ignore[arg-type]
    set_optimizer_state_dict(model, optimizer, state["optim"])  # type: ignore[arg-type]
    extra = torch.load(path / f"extra_rank{rank}.pt", weights_only=False)
    scheduler.load_state_dict(extra["scheduler"])
    torch.set_rng_state(extra["rng"])
    log.info("resumed from %s (step %d)", path, extra["step"])
    losses = json.loads((path / "losses.json").read_text())
    return int(extra["step"]), losses[: int(extra["step"])]
