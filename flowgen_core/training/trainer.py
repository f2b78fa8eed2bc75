"""The SFT trainer, a torchrun entry point: parse config, build, guard, train, export, close.

    python -m torch.distributed.run --standalone --nproc_per_node 2 \
        -m flowgen_core.training.trainer --config run.json [--resume]

Writes `<run_dir>/summary.json` (rank 0) with the losses, the exported model's hash and URI,
the final checkpoint's hash, the dataset hash, the guard results and the MLflow run id.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import time
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.distributed.tensor import DTensor
from transformers import AutoTokenizer

from flowgen_core.agent.render import IGNORE, dataset_hash
from flowgen_core.artifacts import ArtifactStore, folder_hash
from flowgen_core.training import checkpoint
from flowgen_core.training.batches import DataPlan, build_plan
from flowgen_core.training.config import OptimConfig, TrainConfig
from flowgen_core.training.fsdp import (
    device_mesh,
    export_model,
    load_sharded,
    local_device,
    reshard_all,
)
from flowgen_core.training.guards import (
    GuardFailed,
    Guards,
    check_eos_pad,
    check_fsdp_sharding,
    check_global_count,
    check_lengths,
    check_loss_mask,
    check_packed_vs_alone,
    check_template_drift,
    check_tool_json,
    check_trained_tokens,
)
from flowgen_core.training.tracking import Tracker

log = logging.getLogger("flowgen.training.trainer")


def scaled_loss(loss_sum: torch.Tensor, global_tokens: int, world_size: int) -> torch.Tensor:
    """This rank's share of (sum of token losses over all ranks) / (global trained tokens).

    FSDP averages gradients over ranks, so each rank scales by world_size; ranks holding more
    trained tokens then weigh more, exactly as one process over the whole batch would.
    """
    return loss_sum * world_size / max(global_tokens, 1)


def lr_lambda(optim: OptimConfig, total_steps: int):  # type: ignore[no-untyped-def]
    """Linear warmup to the peak, then cosine down to min_lr_ratio of it."""

    def f(step: int) -> float:
        if step < optim.warmup_steps:
            return (step + 1) / (optim.warmup_steps + 1)
        progress = (step - optim.warmup_steps) / max(1, total_steps - optim.warmup_steps)
        cosine = 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))
        return optim.min_lr_ratio + (1 - optim.min_lr_ratio) * cosine

    return f


def data_guards(guards: Guards, cfg: TrainConfig, tokenizer, plan: DataPlan) -> None:  # type: ignore[no-untyped-def]
    """The guards that need only the tokenizer and the data."""
    n = cfg.guards.sample_size
    sample_rows = [r for r, e in zip(plan.rows, plan.examples, strict=True) if e in plan.kept][:n]
    sample = plan.kept[:n]
    guards.run("over_length", lambda: check_lengths(plan.stats, cfg.guards.max_drop_fraction))
    guards.run("zero_trained_tokens", lambda: check_trained_tokens(plan.kept))
    guards.run("eos_not_pad", lambda: check_eos_pad(tokenizer))
    guards.run("loss_mask_decode", lambda: check_loss_mask(tokenizer, sample_rows, sample))
    guards.run("template_drift", lambda: check_template_drift(tokenizer, sample_rows, sample))
    guards.run("tool_json_roundtrip", lambda: check_tool_json(tokenizer, plan.rows))


def model_guards(
    guards: Guards, cfg: TrainConfig, model, plan: DataPlan, pad_id: int, world: int, device
) -> None:  # type: ignore[no-untyped-def]
    """The guards that need the sharded model (collective: every rank runs them)."""
    # The training implementation, and sdpa and eager as references (dict: ordered, unique).
    impls = tuple(dict.fromkeys((cfg.model.attn_implementation, "sdpa", "eager")))
    sample = plan.kept[: cfg.guards.sample_size]
    guards.run("fsdp_sharding", lambda: check_fsdp_sharding(model, cfg.parallel.world_size, world))
    guards.run(
        "packed_vs_alone",
        lambda: check_packed_vs_alone(model, sample, pad_id, cfg.guards.logits_atol, impls, device),
    )
    reshard_all(model)


def train_step(model, optimizer, scheduler, plan, cfg, step, rank, world, device):  # type: ignore[no-untyped-def]
    """One optimizer step; returns (global mean loss, grad norm, global trained tokens)."""
    batch = {k: v.to(device) for k, v in plan.batch(step, rank, cfg.rows_per_rank).items()}
    logits = model(
        input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False
    ).logits
    labels = batch["labels"]
    loss_sum = F.cross_entropy(
        logits.float().flatten(0, 1), labels.flatten(), ignore_index=IGNORE, reduction="sum"
    )
    counts = torch.stack([(labels != IGNORE).sum().float(), loss_sum.detach()])
    dist.all_reduce(counts)
    global_tokens = int(counts[0])
    check_global_count(global_tokens, plan.trained_tokens(step), step)
    scaled_loss(loss_sum, global_tokens, world).backward()
    norm = torch.nn.utils.clip_grad_norm_(
        model.parameters(), cfg.optim.max_grad_norm or float("inf")
    )
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad(set_to_none=True)
    grad_norm = float(norm.full_tensor() if isinstance(norm, DTensor) else norm)
    return float(counts[1]) / max(global_tokens, 1), grad_norm, global_tokens


def train_loop(model, optimizer, scheduler, plan, cfg, tracker, losses, start, stop, device):  # type: ignore[no-untyped-def]
    """Steps [start, stop): log, checkpoint; returns throughput over the steps run."""
    rank, world = dist.get_rank(), dist.get_world_size()
    seconds, real = 0.0, 0
    processed = plan.global_rows * cfg.packing.seq_len
    model.train()
    for step in range(start, stop):
        t0 = time.perf_counter()
        loss, grad_norm, n_trained = train_step(
            model, optimizer, scheduler, plan, cfg, step, rank, world, device
        )
        took = time.perf_counter() - t0
        seconds += took
        real += plan.real_tokens(step)
        losses.append(loss)
        metrics = {
            "loss": loss,
            "lr": scheduler.get_last_lr()[0],
            "grad_norm": grad_norm,
            "tokens_per_s": processed / took,
            "trained_token_fraction": n_trained / processed,
        }
        if (step + 1) % cfg.log_every == 0 or step + 1 == stop:
            tracker.metrics(metrics, step + 1)
            log.info(
                "step %d/%d loss %.4f lr %.2e grad %.3f %.0f tok/s",
                step + 1,
                plan.total_steps,
                loss,
                metrics["lr"],
                grad_norm,
                metrics["tokens_per_s"],
            )
        if (step + 1) % cfg.checkpoint_every == 0 or step + 1 == stop:
            checkpoint.save(step + 1, model, optimizer, scheduler, cfg, rank, losses)
    return {
        "train_seconds": seconds,
        "tokens_per_s": (stop - start) * processed / seconds if seconds else 0.0,
        "real_tokens_per_s": real / seconds if seconds else 0.0,
    }


def export(model, tokenizer, cfg: TrainConfig, tracker: Tracker, rank: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Export the HF directory, copy it to the artifact store, log it; its dir, URI and hash."""
    model_dir = Path(cfg.run_dir) / "model"
    model_hash = export_model(model, tokenizer, model_dir, rank)  # collective
    if rank != 0 or model_hash is None:
        return {}
    uri = str(model_dir)
    if cfg.artifact_root:
        store = ArtifactStore(cfg.artifact_root, cfg.s3_endpoint_url)
        uri = store.put_dir(model_dir, f"models/{cfg.run_name}/{model_hash[:16]}")
    tracker.model(model_dir, model_hash)
    return {"model_dir": str(model_dir), "model_hash": model_hash, "model_uri": uri}


def main(argv: list[str] | None = None) -> int:
    """Parse config, build, guard, train, checkpoint, export, close."""
    args = _args(argv)
    cfg = TrainConfig.load(Path(args.config))
    dist.init_process_group(cfg.parallel.backend)
    rank, world = dist.get_rank(), dist.get_world_size()
    logging.basicConfig(
        level=logging.INFO if rank == 0 else logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    run_dir, guards = Path(cfg.run_dir), Guards()
    run_dir.mkdir(parents=True, exist_ok=True)
    data_hash = dataset_hash(Path(cfg.dataset))
    # Before the tracker: a checkpoint fetched from the store brings the MLflow run id along.
    last = checkpoint.restore(cfg, rank) if args.resume else None
    tracker = Tracker(cfg, rank, data_hash)
    try:
        torch.manual_seed(cfg.seed)
        tokenizer = AutoTokenizer.from_pretrained(cfg.model.path)
        plan = build_plan(
            Path(cfg.dataset),
            tokenizer,
            cfg.packing,
            world,
            cfg.rows_per_rank,
            cfg.epochs,
            cfg.max_steps,
            rank,
        )
        data_guards(guards, cfg, tokenizer, plan)
        tracker.packing(plan.stats.as_dict())
        device = local_device(cfg.parallel)
        model = load_sharded(cfg.model, device_mesh(cfg.parallel, world), device, rank)
        model_guards(guards, cfg, model, plan, tokenizer.pad_token_id, world, device)
        o = cfg.optim
        optimizer = torch.optim.AdamW(
            model.parameters(), lr=o.lr, betas=o.betas, weight_decay=o.weight_decay
        )
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda(o, plan.total_steps))
        start, losses = (
            checkpoint.load(last, model, optimizer, scheduler, rank) if last else (0, [])
        )
        stop = min(cfg.stop_at_step or plan.total_steps, plan.total_steps)
        throughput = train_loop(
            model, optimizer, scheduler, plan, cfg, tracker, losses, start, stop, device
        )
        summary = {
            "run_name": cfg.run_name,
            "steps_done": stop,
            "total_steps": plan.total_steps,
            "loss_first": losses[0] if losses else None,
            "loss_last": losses[-1] if losses else None,
            "dataset_hash": data_hash,
            "packing": plan.stats.as_dict(),
            "guards": guards.results,
            "mlflow_run_id": tracker.run_id,
            "world_size": world,
            "finished": stop == plan.total_steps,
            **throughput,
        }
        if stop == plan.total_steps:
            summary.update(export(model, tokenizer, cfg, tracker, rank))
        if rank == 0:
            # the registry's lineage: the exact checkpoint (as stored) the model came from
            final = checkpoint.latest(run_dir)
            summary["checkpoint_hash"] = folder_hash(final) if final else None
        tracker.guards(guards.results)
        if rank == 0:
            tracker.summary(summary)
            (run_dir / "summary.json").write_text(json.dumps(summary, indent=1, sort_keys=True))
        tracker.close()
    except GuardFailed as exc:  # a clear one-line message; a traceback would only hide it
        return _fail(exc, run_dir, rank, guards, tracker)
    except Exception as exc:
        log.exception("rank %d", rank)
        return _fail(exc, run_dir, rank, guards, tracker)
    dist.destroy_process_group()
    return 0


def _fail(exc: Exception, run_dir: Path, rank: int, guards: Guards, tracker: Tracker) -> int:
    tracker.guards(guards.results)
    tracker.close(failed=True)
    if rank == 0:
        failure = {"error": str(exc), "guards": guards.results}
        (run_dir / "failure.json").write_text(json.dumps(failure, indent=1))
    log.error("training failed: %s", exc)
    dist.destroy_process_group()
    return 1


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="flowgen_core.training.trainer")
    p.add_argument("--config", required=True, help="resolved TrainConfig JSON")
    p.add_argument("--resume", action="store_true", help="continue from the last checkpoint")
    return p.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
