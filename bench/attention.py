"""Benchmark: peak memory and time per 8,192-token packed row, dense mask against `packed`.

Two ways to keep the documents of a packed row apart:
- `dense`: plain `sdpa` with packed `position_ids`; transformers builds a block-diagonal causal
  mask of the whole row (L x L) and sdpa runs masked over all of it (the production recipe's
  attention before `packed`);
- `packed`: document-masked attention (flowgen_core/training/attention.py), per-document causal
  sdpa on CPU (flash-attn varlen on GPU); no L x L mask.

One row of 8,192 tokens holds documents of the bench data's lengths (585-1,130 tokens, seeded),
then a pad tail. Each measurement runs in its own process, 1 thread, so one path's high-water
mark cannot hide the other's: the peak is the process's resident-set high-water mark
(`ru_maxrss`) during the measured call minus its resident set just before it, with glibc told to
mmap every allocation over 64 KiB so that freed tensors leave the resident set at once.
Measured, per path:
- `model`: forward + backward of one row through the tiny recipe's Qwen3 (hidden 128, 4 layers,
  4 query / 2 kv heads of 32, vocab 2,048), cross-entropy over the row;
- `attention`: forward + backward of one attention call at the same head layout.

    .venv/bin/python bench/attention.py [--json] [--seq-len 8192]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from typing import Any

import psutil
import torch
import torch.nn.functional as F
from transformers import AutoModelForCausalLM

from flowgen_core.training.attention import PACKED, document_bounds, per_document_sdpa
from flowgen_core.training.bootstrap import TinyModelConfig, qwen3_config

PATHS = ("dense", "packed")
PARTS = ("model", "attention")
DOC_MIN, DOC_MAX = 585, 1130  # the bench data's example lengths (training/sample_data.py)


def row_lengths(seq_len: int, seed: int = 0) -> list[int]:
    """Document lengths filling one row, the rest a pad tail (its own position run)."""
    rng = random.Random(seed)
    lengths: list[int] = []
    while True:
        n = rng.randint(DOC_MIN, DOC_MAX)
        if sum(lengths) + n > seq_len:
            break
        lengths.append(n)
    tail = seq_len - sum(lengths)
    return lengths + ([tail] if tail else [])


def position_ids(lengths: list[int]) -> torch.Tensor:
    return torch.cat([torch.arange(n) for n in lengths])[None]


def tiny_model(path: str) -> torch.nn.Module:
    size = TinyModelConfig()
    config = qwen3_config(size, vocab_size=size.vocab_size, max_position_embeddings=16384)
    torch.manual_seed(0)
    impl = "sdpa" if path == "dense" else PACKED
    return AutoModelForCausalLM.from_config(config, attn_implementation=impl)


def block_diagonal_mask(lengths: list[int]) -> torch.Tensor:
    """What transformers builds for sdpa from packed position_ids: [1, 1, L, L] bool."""
    doc = torch.cat([torch.full((n,), i) for i, n in enumerate(lengths)])
    idx = torch.arange(len(doc))
    return ((doc[:, None] == doc[None, :]) & (idx[:, None] >= idx[None, :]))[None, None]


def measure(path: str, part: str, seq_len: int) -> dict[str, Any]:
    """One measurement in this process: peak MiB over the resident set before, seconds."""
    torch.set_num_threads(1)
    lengths = row_lengths(seq_len)
    pos = position_ids(lengths)
    size = TinyModelConfig()
    if part == "model":
        model = tiny_model(path)
        ids = torch.randint(
            0, size.vocab_size, (1, seq_len), generator=torch.Generator().manual_seed(0)
        )
        labels = ids.roll(-1, dims=1)

        def step() -> None:
            logits = model(input_ids=ids, position_ids=pos, use_cache=False).logits
            F.cross_entropy(logits.flatten(0, 1), labels.flatten()).backward()

        warm_ids, warm_pos = ids[:, :64], torch.arange(64)[None]
        logits = model(input_ids=warm_ids, position_ids=warm_pos, use_cache=False).logits
        logits.sum().backward()  # kernels and thread pools loaded, weight grads allocated
        del logits
    else:
        heads, kv, hd = size.num_attention_heads, size.num_key_value_heads, size.head_dim
        gen = torch.Generator().manual_seed(0)
        q = torch.randn(1, heads, seq_len, hd, generator=gen, requires_grad=True)
        k = torch.randn(1, kv, seq_len, hd, generator=gen, requires_grad=True)
        v = torch.randn(1, kv, seq_len, hd, generator=gen, requires_grad=True)

        def step() -> None:
            if path == "dense":
                mask = block_diagonal_mask(lengths)
                out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=True)
            else:
                out = per_document_sdpa(q, k, v, document_bounds(pos), None, 0.0)
            out.sum().backward()

    before = psutil.Process().memory_info().rss
    high_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    t0 = time.perf_counter()
    step()
    seconds = time.perf_counter() - t0
    high = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if high <= high_before:  # the call never went above an earlier high-water mark
        raise RuntimeError(f"{path}/{part}: warm-up peak hides the measurement")
    return {"peak_mib": (high - before) / 2**20, "seconds": seconds}


def run_child(path: str, part: str, seq_len: int) -> dict[str, Any]:
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="65536", OMP_NUM_THREADS="1")
    cmd = [sys.executable, __file__, "--child", f"{path}:{part}", "--seq-len", str(seq_len)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, timeout=1800)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seq-len", type=int, default=8192)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, part = args.child.split(":")
        print(json.dumps(measure(path, part, args.seq_len)))
        return 0
    lengths = row_lengths(args.seq_len)
    # causal attention work of the row: the dense mask pays L^2 / 2, documents their own n^2 / 2
    work = sum(n * n for n in lengths) / args.seq_len**2
    result: dict[str, Any] = {
        "seq_len": args.seq_len,
        "documents": len(lengths),
        "document_lengths": lengths,
        "attention_work_fraction": work,
        "dense_mask_mib": args.seq_len**2 / 2**20,  # bool [1, 1, L, L], shared by the layers
    }
    for part in PARTS:
        for path in PATHS:
            result[f"{part}_{path}"] = run_child(path, part, args.seq_len)
        dense, packed = result[f"{part}_dense"], result[f"{part}_packed"]
        result[f"{part}_memory_ratio"] = dense["peak_mib"] / packed["peak_mib"]
        result[f"{part}_speedup"] = dense["seconds"] / packed["seconds"]
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"row of {args.seq_len} tokens: {len(lengths)} documents {lengths}")
    print(f"attention work of the documents / the full row: {work:.3f}")
    for part in PARTS:
        for path in PATHS:
            r = result[f"{part}_{path}"]
            print(f"{part:9} {path:6} peak {r['peak_mib']:8.1f} MiB  {r['seconds']:6.2f} s")
        print(
            f"{part:9} dense/packed: memory {result[f'{part}_memory_ratio']:.2f}x, "
            f"time {result[f'{part}_speedup']:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
