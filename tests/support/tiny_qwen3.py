"""A Qwen3 built from a config (nothing downloaded), grouped-query attention like Qwen3-32B:
the model the attention and loading tests compare logits on."""

from __future__ import annotations

import torch
from transformers import AutoModelForCausalLM, PreTrainedModel, Qwen3Config


def tiny_qwen3(attn_implementation: str = "sdpa") -> PreTrainedModel:
    """Two layers of hidden size 64, vocab 300, seeded weights, no KV cache, in eval mode."""
    config = Qwen3Config(
        vocab_size=300,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=16,
        max_position_embeddings=256,
        tie_word_embeddings=False,
        use_cache=False,
    )
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(config, attn_implementation=attn_implementation)
    return model.eval()
