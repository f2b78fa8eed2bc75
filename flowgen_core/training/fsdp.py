"""FSDP2 wiring: load sharded, shard per decoder layer then the root, gather for export."""

from __future__ import annotations

import os
from pathlib import Path

import torch
from torch.distributed.algorithms._checkpoint.checkpoint_wrapper import checkpoint_wrapper
from torch.distributed.checkpoint.state_dict import (
    StateDictOptions,
    get_model_state_dict,
    set_model_state_dict,
)
from torch.distributed.device_mesh import DeviceMesh, init_device_mesh
from torch.distributed.fsdp import FSDPModule, MixedPrecisionPolicy, fully_shard
from transformers import (
    AutoConfig,
    AutoModelForCausalLM,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)

from flowgen_core.artifacts import folder_hash
from flowgen_core.training import attention  # noqa: F401  (registers packed)
from flowgen_core.training.config import ModelConfig, ParallelConfig


def local_device(parallel: ParallelConfig) -> torch.device:
    """This process's device: its own GPU (torchrun's LOCAL_RANK) under nccl, else the CPU."""
    if parallel.backend != "nccl":
        return torch.device("cpu")
    device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    # fully_shard and NCCL use the *current* device; without this every rank lands on cuda:0.
    torch.cuda.set_device(device)
    return device


def mesh_shape(
    parallel: ParallelConfig, world_size: int
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Mesh sizes and names: (world,) for FSDP; (replicas, world / replicas) for HSDP."""
    if parallel.replicate_size == 1:
        return (world_size,), ("shard",)
    return (parallel.replicate_size, world_size // parallel.replicate_size), ("replicate", "shard")


def device_mesh(parallel: ParallelConfig, world_size: int) -> DeviceMesh:
    """1-D mesh (FSDP) or 2-D (replicate, shard) mesh (HSDP: shard within a node)."""
    shape, names = mesh_shape(parallel, world_size)
    device_type = "cuda" if parallel.backend == "nccl" else "cpu"
    return init_device_mesh(device_type, shape, mesh_dim_names=names)


def shard_model(model: PreTrainedModel, model_cfg: ModelConfig, mesh: DeviceMesh) -> None:
    """Activation checkpointing (optional), then fully_shard each decoder layer, then the root."""
    mp = (
        MixedPrecisionPolicy(param_dtype=torch.bfloat16, reduce_dtype=torch.float32)
        if model_cfg.bf16
        else MixedPrecisionPolicy()
    )
    layers = model.model.layers
    for i, layer in enumerate(layers):
        if model_cfg.activation_checkpointing:
            layer = checkpoint_wrapper(layer)
            layers[i] = layer
        # The last layer's params are needed right away in backward: no reshard after forward.
        fully_shard(layer, mesh=mesh, mp_policy=mp, reshard_after_forward=i < len(layers) - 1)
    fully_shard(model, mesh=mesh, mp_policy=mp)


def load_sharded(
    model_cfg: ModelConfig, mesh: DeviceMesh, device: torch.device, rank: int
) -> PreTrainedModel:
    """The base model, sharded: built on the meta device everywhere, weights sent from rank 0.

    Only rank 0 reads the checkpoint (Qwen3-32B: 128 GB in fp32); every other rank receives just
    its shards, so host memory holds one full copy in all, not one per GPU.
    """
    config = AutoConfig.from_pretrained(model_cfg.path)
    config.use_cache = False  # packed rows are isolated only without a KV cache
    full: dict[str, torch.Tensor] = {}
    if rank == 0:
        base = AutoModelForCausalLM.from_pretrained(model_cfg.path, dtype=torch.float32)
        full = base.state_dict()
        del base
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(
            config, attn_implementation=model_cfg.attn_implementation, dtype=torch.float32
        )
    shard_model(model, model_cfg, mesh)
    model.to_empty(device=device)
    set_model_state_dict(
        model,
        full,  # type: ignore[arg-type]  # dict is invariant; a dict of tensors is what it takes
        options=StateDictOptions(full_state_dict=True, broadcast_from_rank0=True),
    )
    # Non-persistent buffers (the RoPE frequencies) are in no state dict: compute them afresh.
    rotary = model.model.rotary_emb
    model.model.rotary_emb = type(rotary)(config).to(device)
    return model


def reshard_all(model: torch.nn.Module) -> None:
    """Free unsharded parameters left by a no-grad forward (layers not resharded after forward).

    Until resharded, such a layer registers its unsharded tensors as parameters, and an optimizer
    or state dict built then would hold the wrong objects.
    """
    for module in model.modules():
        if isinstance(module, FSDPModule):
            module.reshard()


def export_model(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, out_dir: Path, rank: int
) -> str | None:
    """Gather the full state dict (collective) and, on rank 0, save_pretrained it; its hash."""
    full = get_model_state_dict(
        model, options=StateDictOptions(full_state_dict=True, cpu_offload=True)
    )
    if rank != 0:
        return None
    full = {k.replace("._checkpoint_wrapped_module", ""): v for k, v in full.items()}
    with torch.device("meta"):
        shell = AutoModelForCausalLM.from_config(model.config)
    out_dir.mkdir(parents=True, exist_ok=True)
    shell.save_pretrained(out_dir, state_dict=full)
    tokenizer.save_pretrained(out_dir)
    return folder_hash(out_dir)
