"""The `hf` engine's loader: unchanged on a host without GPUs, accelerate's placement otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from support.tiny_qwen3 import tiny_qwen3
from transformers import AutoModelForCausalLM

from flowgen_core.serving.loading import input_device, load_causal_lm, placement


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model")
    tiny_qwen3().save_pretrained(out)
    return out


def test_placement_spreads_over_gpus_only_when_there_are_several() -> None:
    assert placement(0) == {}
    assert placement(1) == {"device_map": "cuda:0"}
    assert placement(8) == {"device_map": "auto"}


@torch.no_grad()
def test_without_gpus_the_model_loads_as_before(model_dir: Path) -> None:
    ids = torch.arange(3, 40)[None]
    plain = AutoModelForCausalLM.from_pretrained(
        model_dir, dtype=torch.float32, attn_implementation="sdpa"
    ).eval()
    model = load_causal_lm(model_dir, device_count=0)
    assert not hasattr(model, "hf_device_map")  # no accelerate dispatch on a CPU host
    assert not model.training and input_device(model) == torch.device("cpu")
    assert torch.equal(model(input_ids=ids).logits, plain(input_ids=ids).logits)
    if not torch.cuda.is_available():  # this host's own count takes the same path
        assert not hasattr(load_causal_lm(model_dir), "hf_device_map")


@torch.no_grad()
def test_the_multi_gpu_path_goes_through_accelerate_and_gives_the_same_logits(
    model_dir: Path,
) -> None:
    """`device_map="auto"` for real: accelerate's memory probe and placement. With no GPU here
    every layer lands on the CPU (one device, so no dispatch hooks)."""
    ids = torch.arange(3, 40)[None]
    plain = load_causal_lm(model_dir, device_count=0)
    model = load_causal_lm(model_dir, device_count=2)
    got = model(input_ids=ids.to(input_device(model))).logits.cpu()
    torch.testing.assert_close(got, plain(input_ids=ids).logits, rtol=1e-4, atol=1e-5)
    if torch.cuda.device_count() > 1:  # a real multi-GPU host: layers spread over the GPUs
        assert len(set(model.hf_device_map.values())) > 1
