"""Benchmark: training throughput on the tiny model and 2 CPU cores, and what production needs.

In one run, on the same tiny Qwen3, data and 2 cores:
- packing efficiency (non-pad over processed tokens) of flowgen's packing (best fit decreasing
  and a repair pass) against best fit alone and against padding each batch to its longest
  example (target >= 0.95, key `packing_efficiency`);
- tokens/s of the flowgen trainer (FSDP2, 2 gloo processes, 1 thread each) against TRL's
  SFTTrainer (1 process, 2 threads) with BFD packing (key `speed_vs_trl_packed`, target >= 1.0)
  and without packing; tokens/s counts each example's tokens once (padding excluded), over one
  epoch, process start-up excluded;
- for the production recipe (Qwen3-32B, 8k rows): FLOPs per token and the tokens/s per GPU that
  40% MFU on an H200 (989 dense bf16 TFLOP/s) means.

    .venv/bin/python bench/train.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from flowgen_core.agent.render import load_split, tokenize_row
from flowgen_core.training.bootstrap import TinyModelConfig, bootstrap_base_model
from flowgen_core.training.launch import domain_corpus
from flowgen_core.training.packing import (
    PackingConfig,
    best_fit_decreasing,
    pack,
    pad_to_longest_efficiency,
)
from flowgen_core.training.recipes import tiny

# the sample dataset is a test fixture (tests/support), shared with the benchmarks
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from support.sample_data import write_dataset

log = logging.getLogger("flowgen.bench.train")
H200_BF16_FLOPS = 989e12  # dense bf16 peak, same SXM compute as H100
MFU = 0.40
BATCH = 2  # rows (or padded examples) per optimizer step in every system


def qwen3_32b_flops_per_token(seq_len: int = 8192) -> dict[str, float]:
    """Training FLOPs per token: 6 x matmul params + attention over a full causal 8k row."""
    d, layers, heads, kv, hd, ff, vocab = 5120, 64, 64, 8, 128, 25600, 151936
    per_layer = d * heads * hd + 2 * d * kv * hd + heads * hd * d + 3 * d * ff
    matmul_params = layers * per_layer + d * vocab  # lm_head; the embedding lookup is free
    attention = 12 * layers * heads * hd * seq_len  # fwd+bwd QK^T and AV (PaLM appendix B)
    flops = 6 * matmul_params + attention
    return {
        "params_matmul": matmul_params,
        "flops_per_token": flops,
        "tokens_per_s_per_gpu_at_40pct_mfu": MFU * H200_BF16_FLOPS / flops,
    }


def flowgen_run(base: Path, data: Path, work: Path, seq_len: int) -> dict[str, Any]:
    """One epoch of the flowgen trainer under torchrun (2 processes); its summary."""
    cfg = tiny(str(base), str(data), str(work / "run"), nproc=2)
    cfg = replace(
        cfg,
        epochs=1,
        max_steps=0,  # one whole epoch, not the recipe's demo step budget
        checkpoint_every=10_000,
        packing=PackingConfig(seq_len=seq_len),
    )
    (work / "run").mkdir(parents=True)
    cfg.save(work / "config.json")
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           "-m", "flowgen_core.training.trainer", "--config", str(work / "config.json")]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"flowgen trainer failed:\n{proc.stderr[-3000:]}")
    return json.loads((work / "run" / "summary.json").read_text())


def trl_run(base: Path, data: Path, work: Path, seq_len: int, packing: bool) -> dict[str, Any]:
    """One epoch of TRL's SFTTrainer on the same pre-tokenized examples; real tokens/s."""
    import torch
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    torch.set_num_threads(2)
    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(base)
    examples = [tokenize_row(tok, r) for r in load_split(data, "train")]
    examples = [e for e in examples if len(e.input_ids) <= seq_len]
    ds = Dataset.from_list(
        [
            {"input_ids": list(e.input_ids), "assistant_masks": [int(t) for t in e.trained]}
            for e in examples
        ]
    )
    model = AutoModelForCausalLM.from_pretrained(base, attn_implementation="sdpa")
    args = SFTConfig(
        output_dir=str(work / ("trl_packed" if packing else "trl_padded")),
        max_length=seq_len,
        packing=packing,
        packing_strategy="bfd",
        per_device_train_batch_size=BATCH if packing else BATCH * 2,
        num_train_epochs=1,
        learning_rate=3e-3,
        lr_scheduler_type="cosine",
        warmup_steps=2,
        save_strategy="no",
        report_to=[],
        logging_steps=1000,
        use_cpu=True,
        # TRL defaults to bf16 autocast and gradient checkpointing; the flowgen tiny recipe uses
        # neither on CPU (both only slow a CPU run down), so compare like with like.
        bf16=False,
        gradient_checkpointing=False,
        dataloader_num_workers=0,
        seed=0,
        disable_tqdm=True,
    )
    trainer = SFTTrainer(model=model, args=args, train_dataset=ds, processing_class=tok)
    t0 = time.perf_counter()
    out = trainer.train()
    seconds = time.perf_counter() - t0
    real = sum(len(e.input_ids) for e in examples)
    return {
        "train_seconds": seconds,
        "real_tokens_per_s": real / seconds,
        "loss": out.training_loss,
    }


def main() -> int:
    """Run the benchmark and print the figures (or one JSON object)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="96 examples instead of 320 (about 2 min)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    n_train = 96 if args.quick else 320
    seq_len = 4096
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = write_dataset(work / "data", n_train=n_train, n_validation=8, seed=7)
        rows = load_split(data, "train")
        # The same tokenizer corpus and model size `flowgen train` bootstraps for the tiny recipe.
        base = bootstrap_base_model(domain_corpus(data), work / "base", TinyModelConfig())
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(base)
        examples = [tokenize_row(tok, r) for r in rows]
        _, stats = pack(examples, PackingConfig(seq_len=seq_len), tok.pad_token_id)
        lengths = [len(e.input_ids) for e in examples]
        log.info("flowgen trainer (2 processes)...")
        ours = flowgen_run(base, data, work / "flowgen", seq_len)
        log.info("TRL SFTTrainer, packed...")
        trl_packed = trl_run(base, data, work, seq_len, packing=True)
        log.info("TRL SFTTrainer, padded...")
        trl_padded = trl_run(base, data, work, seq_len, packing=False)
    prod = qwen3_32b_flops_per_token()
    result = {
        "examples": n_train,
        "seq_len": seq_len,
        "packing_efficiency": round(stats.packing_efficiency, 4),
        "best_fit_only_efficiency": round(
            sum(lengths) / (len(best_fit_decreasing(lengths, seq_len)) * seq_len), 4
        ),
        "pad_to_longest_efficiency": round(pad_to_longest_efficiency(lengths, BATCH * 2), 4),
        "trained_token_fraction": round(stats.trained_fraction, 4),
        "packing_efficiency_by_seq_len": {
            str(n): round(
                pack(examples, PackingConfig(seq_len=n), tok.pad_token_id)[1].packing_efficiency, 4
            )
            for n in (2048, 4096, 8192)
        },
        "flowgen_tokens_per_s": round(ours["real_tokens_per_s"], 1),
        "trl_packed_tokens_per_s": round(trl_packed["real_tokens_per_s"], 1),
        "trl_padded_tokens_per_s": round(trl_padded["real_tokens_per_s"], 1),
        "speed_vs_trl_packed": round(
            ours["real_tokens_per_s"] / trl_packed["real_tokens_per_s"], 3
        ),
        "speed_vs_trl_padded": round(
            ours["real_tokens_per_s"] / trl_padded["real_tokens_per_s"], 3
        ),
        "flowgen_loss_last": round(ours["loss_last"], 4),
        "qwen3_32b_flops_per_token": prod["flops_per_token"],
        "qwen3_32b_tokens_per_s_per_h200_at_40pct_mfu": round(
            prod["tokens_per_s_per_gpu_at_40pct_mfu"], 1
        ),
    }
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        for k, v in result.items():
            print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
