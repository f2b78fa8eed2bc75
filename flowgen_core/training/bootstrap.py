"""The embedded base model: a tokenizer trained on the domain corpus and a tiny Qwen3.

Production points the trainer at a mounted Qwen3-32B directory; the embedded default builds a
directory of the same shape here (nothing is downloaded) so both load through the same
`AutoTokenizer` / `AutoModelForCausalLM.from_pretrained` path.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForCausalLM, Qwen3Config

from flowgen_core.agent.tokenizer import SPECIAL_TOKENS, train_tokenizer

log = logging.getLogger("flowgen.training.bootstrap")


@dataclass(frozen=True)
class TinyModelConfig:
    """Size of the embedded Qwen3-architecture model (fits 2 CPU cores).

    The defaults (1.3M parameters) learn the trajectory format within the weekly demo's time
    budget (~90% of the benchmark parses and validates after 300 steps); the earlier
    361k-parameter model (hidden 64, 2 layers) only repeated `<tool_call>` after training
    (docs/benchmarks.md, "Tiny demo model"). Tests pin their own smaller size.
    A larger vocabulary does not shorten the rows: the domain corpus saturates at ~3,800 merges
    and vocab 4096 cut the tokens by 1% while doubling the output layer.
    """

    vocab_size: int = 2048  # BPE vocabulary size, special tokens included
    hidden_size: int = 128  # model width
    intermediate_size: int = 384  # MLP width
    num_hidden_layers: int = 4  # decoder layers (each one FSDP unit)
    num_attention_heads: int = 4  # query heads
    num_key_value_heads: int = 2  # key/value heads (GQA, as Qwen3-32B)
    head_dim: int = 32  # per-head width
    max_position_embeddings: int = 4096  # longest position the RoPE table covers, in tokens
    seed: int = 0  # weight init seed

    def __post_init__(self) -> None:
        if self.num_attention_heads % self.num_key_value_heads:
            raise ValueError("num_attention_heads must be a multiple of num_key_value_heads")
        if self.vocab_size <= len(SPECIAL_TOKENS) + 256:
            raise ValueError("vocab_size must exceed the 256 bytes plus the special tokens")


def qwen3_config(
    size: TinyModelConfig, vocab_size: int, max_position_embeddings: int, **tokens: Any
) -> Qwen3Config:
    """The tiny model's Qwen3 config: `size`'s shape with this vocabulary, context and tokens."""
    return Qwen3Config(
        vocab_size=vocab_size,
        hidden_size=size.hidden_size,
        intermediate_size=size.intermediate_size,
        num_hidden_layers=size.num_hidden_layers,
        num_attention_heads=size.num_attention_heads,
        num_key_value_heads=size.num_key_value_heads,
        head_dim=size.head_dim,
        max_position_embeddings=max_position_embeddings,
        tie_word_embeddings=False,  # as Qwen3-32B; keeps embedding and head separate FSDP params
        use_cache=False,  # packed rows are isolated only without a KV cache (guard packed_vs_alone)
        **tokens,
    )


def bootstrap_base_model(corpus: Iterable[str], out_dir: Path, size: TinyModelConfig) -> Path:
    """Write a tokenizer and a randomly initialised tiny Qwen3 to `out_dir` (save_pretrained)."""
    tokenizer = train_tokenizer(corpus, size.vocab_size)
    config = qwen3_config(
        size,
        vocab_size=len(tokenizer),
        max_position_embeddings=size.max_position_embeddings,
        bos_token_id=None,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(size.seed)
    model = AutoModelForCausalLM.from_config(config)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    log.info(
        "bootstrapped %s: vocab %d, %d params", out_dir, len(tokenizer), model.num_parameters()
    )
    return out_dir
