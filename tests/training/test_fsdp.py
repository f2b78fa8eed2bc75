"""FSDP2 wiring in one process: sharded loading, the production recipe's settings, export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import torch
import torch.distributed as dist
from safetensors.torch import load_file
from torch.distributed.algorithms._checkpoint.checkpoint_wrapper import CheckpointWrapper
from torch.distributed.tensor import DTensor
from transformers import AutoModelForCausalLM

from flowgen_core.training.config import ParallelConfig
from flowgen_core.training.fsdp import device_mesh, export_model, load_sharded, mesh_shape
from flowgen_core.training.recipes import qwen3_32b_2x8h200, tiny


@pytest.fixture(scope="module")
def one_process_group(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    store = dist.FileStore(str(tmp_path_factory.mktemp("pg") / "store"), 1)
    dist.init_process_group("gloo", store=store, rank=0, world_size=1)
    yield
    dist.destroy_process_group()


def test_production_recipe_is_nccl_bf16_checkpointed_hsdp_over_2x8() -> None:
    cfg = qwen3_32b_2x8h200("/models/Qwen3-32B", "/data", "/run")
    assert cfg.parallel == ParallelConfig(world_size=16, backend="nccl", replicate_size=2)
    assert cfg.model.bf16 and cfg.model.activation_checkpointing
    assert cfg.packing.seq_len == 8192
    # document-masked attention on the packed rows, not sdpa's dense block-diagonal mask
    assert cfg.model.attn_implementation == "packed"
    flat = qwen3_32b_2x8h200("/m", "/d", "/r", hybrid=False)
    assert flat.parallel.replicate_size == 1 and flat.parallel.world_size == 16
    small = tiny("/m", "/d", "/r")
    assert small.parallel.backend == "gloo" and not small.model.bf16
    assert small.model.attn_implementation == "packed"


def test_sharded_load_gives_the_base_model_logits(one_process_group, base_dir: Path) -> None:
    cfg = tiny(str(base_dir), "/d", "/r", nproc=1)
    model = load_sharded(cfg.model, device_mesh(cfg.parallel, 1), torch.device("cpu"), rank=0)
    assert all(isinstance(p, DTensor) for p in model.parameters())
    base = AutoModelForCausalLM.from_pretrained(base_dir, attn_implementation="sdpa")
    ids = torch.arange(5, 60)[None]
    with torch.no_grad():
        expected = base(input_ids=ids, use_cache=False).logits
        got = model(input_ids=ids, use_cache=False).logits
    # Equal logits also show the RoPE buffers (in no state dict) were rebuilt after meta init.
    torch.testing.assert_close(got, expected, rtol=0, atol=1e-5)


def test_production_settings_run_on_cpu_and_export_the_plain_weights(
    one_process_group, base_dir: Path, tmp_path: Path, tokenizer
) -> None:
    prod = qwen3_32b_2x8h200(str(base_dir), "/d", "/r")
    # The recipe's model settings on a CPU mesh of one process (no GPU here).
    mesh = device_mesh(replace(prod.parallel, world_size=1, backend="gloo", replicate_size=1), 1)
    model = load_sharded(prod.model, mesh, torch.device("cpu"), rank=0)
    assert all(isinstance(layer, CheckpointWrapper) for layer in model.model.layers)
    ids = torch.arange(5, 60)[None]
    logits = model(input_ids=ids, use_cache=False).logits
    assert logits.dtype == torch.bfloat16  # compute in bf16 (MixedPrecisionPolicy)
    logits.float().logsumexp(-1).mean().backward()
    grads = [p.grad for p in model.parameters()]
    assert all(g is not None and g.dtype == torch.float32 for g in grads)  # fp32 master grads
    model.zero_grad(set_to_none=True)
    export_model(model, tokenizer, tmp_path / "model", rank=0)
    exported = load_file(tmp_path / "model" / "model.safetensors")
    base = load_file(base_dir / "model.safetensors")
    assert exported.keys() == base.keys()  # no _checkpoint_wrapped_module in the names
    assert all(torch.equal(exported[k], base[k]) for k in base)


def test_hsdp_shards_within_a_node_and_replicates_across_nodes() -> None:
    prod = qwen3_32b_2x8h200("/m", "/d", "/r")
    assert mesh_shape(prod.parallel, 16) == ((2, 8), ("replicate", "shard"))
    flat = qwen3_32b_2x8h200("/m", "/d", "/r", hybrid=False)
    assert mesh_shape(flat.parallel, 16) == ((16,), ("shard",))
