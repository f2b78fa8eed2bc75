"""Benchmark: cases/s of the agent loop on the tiny model, batched against unbatched.

The model is the tiny Qwen3 (`TinyModelConfig()`, a tokenizer fitted to the benchmark's
requests, expected programs, tools and catalog) with random weights: every turn runs to the
`max_new_tokens` limit, so each case costs the same number of generated tokens and the figure
is the loop's generation throughput, not the model's luck. The same cases run through
`Agent.run_batch` with `batch_size=1` (one conversation per `generate` call) and with wide
batches (left-padded, KV cache on). A trained model stops earlier (`<|im_end|>`), so it is
faster per case; the batched/unbatched ratio is what this measures.

    .venv/bin/python bench/eval.py [--cases 24] [--max-new-tokens 128] [--batches 1,8,24]
        [--threads 1,2] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import torch

from flowgen_core.agent.interface import TOOLS
from flowgen_core.agent.suites import load_benchmark
from flowgen_core.catalog.model import load_catalog
from flowgen_core.dsl.to_python import to_python
from flowgen_core.evaluation.agent import Agent, AgentConfig
from flowgen_core.training.bootstrap import TinyModelConfig, bootstrap_base_model

log = logging.getLogger("flowgen.bench.eval")


def tiny_model(out: Path) -> Path:
    """The untrained tiny model with a tokenizer fitted to the benchmark's text."""
    catalog = load_catalog()
    corpus = [json.dumps(TOOLS)]
    for case in load_benchmark():
        corpus += [case.request, to_python(case.expected, catalog)[0]]
    corpus += [f"{t.label}: {t.description} ({t.python_name}, {t.id})" for t in catalog.tasks]
    return bootstrap_base_model(corpus, out, TinyModelConfig())


def measure(
    model: Path, items: list[Any], batch_size: int, max_new: int, threads: int
) -> dict[str, Any]:
    """One pass over the items: cases/s, tokens/s, and the mean latency per case."""
    config = AgentConfig(
        max_new_tokens=max_new, token_budget=max_new, batch_size=batch_size, threads=threads
    )
    agent = Agent(model, config)
    began = time.perf_counter()
    results = agent.run_batch(items)
    seconds = time.perf_counter() - began
    tokens = sum(r.tokens for r in results)
    return {
        "batch_size": batch_size,
        "threads": threads,
        "cases": len(items),
        "seconds": round(seconds, 2),
        "cases_per_s": round(len(items) / seconds, 3),
        "tokens_per_s": round(tokens / seconds, 1),
        "tokens_per_case": tokens / len(items),
        "latency_mean_ms": round(sum(r.latency_ms for r in results) / len(results), 1),
    }


def main() -> int:
    """Run the comparison; print a table (or one JSON object with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=24, help="benchmark cases (first N)")
    parser.add_argument("--max-new-tokens", type=int, default=128, help="tokens per case")
    parser.add_argument("--batches", default="1,8,24", help="batch sizes to compare")
    parser.add_argument("--threads", default="1", help="torch threads to compare (e.g. 1,2)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    cases = load_benchmark()[: args.cases]
    items = [(c.request, c.existing) for c in cases]
    with tempfile.TemporaryDirectory() as tmp:
        model = tiny_model(Path(tmp) / "tiny")
        runs = []
        for threads in (int(t) for t in args.threads.split(",")):
            for size in (int(b) for b in args.batches.split(",")):
                log.info("batch size %d, %d thread(s): %d cases", size, threads, len(items))
                runs.append(measure(model, items, size, args.max_new_tokens, threads))
    base = runs[0]["cases_per_s"]
    for r in runs:
        r["speedup_vs_first"] = round(r["cases_per_s"] / base, 2)
    result = {
        "model": "tiny Qwen3, untrained (TinyModelConfig defaults)",
        "cpu_threads_available": torch.get_num_threads(),
        "max_new_tokens": args.max_new_tokens,
        "runs": runs,
    }
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        print(
            f"{'batch':>5} {'thr':>3} {'cases':>5} {'seconds':>8} {'cases/s':>8} "
            f"{'tokens/s':>9} {'x':>6}"
        )
        for r in runs:
            print(
                f"{r['batch_size']:>5} {r['threads']:>3} {r['cases']:>5} {r['seconds']:>8} "
                f"{r['cases_per_s']:>8} "
                f"{r['tokens_per_s']:>9} {r['speedup_vs_first']:>6}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
