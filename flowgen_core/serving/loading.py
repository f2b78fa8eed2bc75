"""Loading an exported model for the in-process (`hf`) engine, placed on what the host has.

On a multi-GPU node a 32B model does not fit one device with room for the KV cache, so the
layers are spread over the GPUs with `device_map="auto"`: transformers hands the placement to
accelerate (balanced memory, hooks that move activations between devices), which is why
accelerate is a dependency. With one GPU the model goes to it whole; on a host without GPUs
(the embedded default, the tests) it loads exactly as before, on the CPU with no device map.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForCausalLM, PreTrainedModel


def placement(device_count: int) -> dict[str, Any]:
    """`from_pretrained` keyword arguments that place a model on `device_count` GPUs."""
    if device_count > 1:
        return {"device_map": "auto"}  # accelerate: layers balanced over the GPUs
    if device_count == 1:
        return {"device_map": "cuda:0"}
    return {}  # the CPU: no device map, no accelerate hooks


def load_causal_lm(
    model_dir: Path | str,
    dtype: torch.dtype = torch.float32,
    attn_implementation: str = "sdpa",
    device_count: int | None = None,
) -> PreTrainedModel:
    """The model in `model_dir`, in eval mode, placed by `placement` (default: this host's GPUs)."""
    count = torch.cuda.device_count() if device_count is None else device_count
    model = AutoModelForCausalLM.from_pretrained(
        model_dir, dtype=dtype, attn_implementation=attn_implementation, **placement(count)
    )
    return model.eval()


def input_device(model: PreTrainedModel) -> torch.device:
    """Where a sharded model wants its input ids: the device of its embedding layer."""
    weight = model.get_input_embeddings().weight
    assert isinstance(weight, torch.Tensor)
    return weight.device
