"""FSDP2 wiring: shard per decoder layer then the root; gather the full model for export."""

from __future__ import annotations

import hashlib
from pathlib import Path

import torch
from torch.distributed.algorithms._checkpoint.checkpoint_wrapper import checkpoint_wrapper
from torch.distributed.checkpoint.state_dict import StateDictOptions, get_model_state_dict
from torch.distributed.device_mesh import DeviceMesh, init_device_mesh
from torch.distributed.fsdp import FSDPModule, MixedPrecisionPolicy, fully_shard
from transformers import AutoModelForCausalLM, PreTrainedModel, PreTrainedTokenizerBase

from flowgen_core.training.config import ModelConfig, ParallelConfig


def device_mesh(parallel: ParallelConfig, world_size: int) -> DeviceMesh:
    """1-D mesh (FSDP) or 2-D (replicate, shard) mesh (HSDP: shard within a node)."""
    device = "cuda" if parallel.backend == "nccl" else "cpu"
    if parallel.replicate_size == 1:
        return init_device_mesh(device, (world_size,), mesh_dim_names=("shard",))
    return init_device_mesh(
        device,
        (parallel.replicate_size, world_size // parallel.replicate_size),
        mesh_dim_names=("replicate", "shard"),
    )


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
    return content_hash(out_dir)


def content_hash(folder: Path) -> str:
    """sha256 over the sorted relative file names and their bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()
