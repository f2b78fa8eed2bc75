"""Named runs as code: the embedded tiny model (and its one-off pretraining) and production
Qwen3-32B on 2 x 8 H200."""

from __future__ import annotations

from flowgen_core.training import RECIPES
from flowgen_core.training.config import (
    ModelConfig,
    OptimConfig,
    ParallelConfig,
    TrainConfig,
)
from flowgen_core.training.packing import PackingConfig


def tiny(model_path: str, dataset: str, run_dir: str, nproc: int = 2) -> TrainConfig:
    """The embedded default: a tiny Qwen3 on CPU, FSDP2 over `nproc` gloo processes."""
    return TrainConfig(
        # Document-masked attention (per-document sdpa on CPU): 2.2x faster steps than sdpa's
        # dense block-diagonal mask, and the same code (so the same model) as `sdpa_packed`,
        # its name before the varlen backend.
        model=ModelConfig(path=model_path, attn_implementation="packed"),
        dataset=dataset,
        run_dir=run_dir,
        packing=PackingConfig(seq_len=2048, seed=0),
        optim=OptimConfig(lr=3e-3, warmup_steps=15),
        parallel=ParallelConfig(world_size=nproc, backend="gloo"),
        rows_per_rank=1,
        # A fixed step budget, not epochs, bounds the demo's wall time whatever the dataset
        # size: 300 steps of 2 x 2048 tokens (1.2M tokens, ~1.8 epochs of the default demo week),
        # 2-4 min on 2 shared cores. Steps matter more than tokens per step here: 200 steps of
        # 2 x 3072 tokens (same tokens) left the model writing unparsable Python
        # (docs/benchmarks.md, "Tiny demo model").
        epochs=10,
        max_steps=300,
        checkpoint_every=100,
    )


def tiny_pretrain(
    model_path: str, dataset: str, run_dir: str, nproc: int = 2, steps: int = 1500
) -> TrainConfig:
    """The tiny base model's one-off pretraining on the generated corpus (data/corpus.py).

    Same model, trajectory format and chat template as `tiny`; more steps, and rows of 4096
    tokens (2-3 examples each: 0.95 of the tokens real instead of 0.75 at 2048), so the model
    sees many shops' request -> workflow pairs once. The weekly `tiny` runs then fine-tune it.
    It starts from a random init (training/base.py), so the packed-vs-alone guard keeps its
    default tolerance.
    """
    return TrainConfig(
        model=ModelConfig(path=model_path, attn_implementation="packed"),
        dataset=dataset,
        run_dir=run_dir,
        packing=PackingConfig(seq_len=4096, seed=0),
        optim=OptimConfig(lr=3e-3, warmup_steps=50),
        parallel=ParallelConfig(world_size=nproc, backend="gloo"),
        rows_per_rank=1,
        epochs=1,
        max_steps=steps,
        checkpoint_every=250,
    )


def qwen3_32b_2x8h200(
    model_path: str, dataset: str, run_dir: str, nproc: int = 8, hybrid: bool = True
) -> TrainConfig:
    """Production: Qwen3-32B, 2 nodes x `nproc` H200, bf16, activation checkpointing.

    `hybrid` shards within a node and replicates across the 2 nodes (HSDP): all-gathers stay on
    NVLink and only the gradient all-reduce crosses the network.
    """
    return TrainConfig(
        # Document-masked attention (flash-attn varlen on the GPUs): no 8,192^2 block-diagonal
        # mask per row, and attention FLOPs over each document's own length only.
        model=ModelConfig(
            path=model_path, attn_implementation="packed", activation_checkpointing=True, bf16=True
        ),
        dataset=dataset,
        run_dir=run_dir,
        packing=PackingConfig(seq_len=8192, seed=0),
        optim=OptimConfig(lr=1e-5, warmup_steps=20, weight_decay=0.0, min_lr_ratio=0.1),
        parallel=ParallelConfig(
            world_size=2 * nproc, backend="nccl", replicate_size=2 if hybrid else 1
        ),
        rows_per_rank=1,
        epochs=2,
        checkpoint_every=200,
    )


def by_name(name: str, model_path: str, dataset: str, run_dir: str, nproc: int) -> TrainConfig:
    """The recipe called `name` (one of RECIPES)."""
    builders = {
        "tiny": tiny,
        "tiny-pretrain": tiny_pretrain,
        "qwen3-32b-2x8h200": qwen3_32b_2x8h200,
    }
    if name not in builders:
        raise ValueError(f"unknown recipe {name!r}; choose one of {', '.join(RECIPES)}")
    return builders[name](model_path, dataset, run_dir, nproc)
