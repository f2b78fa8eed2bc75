"""Evaluation results: the report type and the metrics over per-case rows.

Metrics per suite (fractions in [0, 1], latencies in ms):
- `syntactic_accuracy`: the Python parsed, transpiled and validated against the catalog;
- `semantic_accuracy`: the judge found it equivalent to the expected workflow;
- `latency_p50_ms`, `latency_p95_ms`: request to delivered workflow, over the cases timed
  alone (`latency_cases` of them; both absent when none was timed);
- `tokens_mean`, `tool_calls_mean`: generated tokens and well-formed tool calls per case;
- `prompt_tokens_mean`: prompt tokens read per case over all its turns (tool responses make
  them grow; with generated tokens they explain a latency change);
- `malformed_tool_call_rate`, `hallucinated_task_rate`, `hallucinated_field_rate`: share of
  cases with at least one;
- `error.<bucket>`: share of cases that failed in each error bucket (ERROR_BUCKETS below);
- `llm_judge_agreement` when the LLM judge ran.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flowgen_core.errors import UnreadableInput

# Why a case produced no valid workflow; None when it did.
ERROR_BUCKETS = (
    "malformed_tool_call",  # a tool call that is not JSON, names no known tool, or bad arguments
    "step_limit",  # still calling tools after max_steps turns
    "token_budget",  # a turn or the whole case ran out of tokens before <|im_end|>
    "context_overflow",  # the conversation grew past max_prompt_tokens
    "no_python",  # the final answer was empty
    "parse",  # the Python is not the DSL (syntax error or construct outside the subset)
    "transpile",  # the DSL parsed but could not become a workflow (graph or catalog problem)
    "validation",  # the workflow does not validate against the catalog
)


@dataclass
class EvalReport:
    """The outcome of one evaluation: metrics, per-case rows, and what was evaluated."""

    model_hash: str
    model_dir: str
    metrics: dict[str, dict[str, float]]  # suite -> metric -> value
    categories: dict[str, dict[str, dict[str, float]]]  # suite -> category -> metric -> value
    features: dict[str, dict[str, dict[str, float]]]  # suite -> feature -> metric -> value
    cases: list[dict[str, Any]]  # one row per case (suite, id, category, syntactic, ...)
    seconds: float
    config: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form (what `save` writes)."""
        return asdict(self)

    def save(self, path: Path) -> Path:
        """Write the report as JSON."""
        path.write_text(json.dumps(self.as_dict(), indent=1, sort_keys=True, default=str))
        return path

    @classmethod
    def load(cls, path: Path) -> EvalReport:
        """Read a report `save` wrote."""
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError) as exc:
            raise UnreadableInput(f"{path}: not an evaluation report ({exc})") from None


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def suite_metrics(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Aggregate metrics of a list of case rows (see the module docstring)."""
    n = len(rows)
    if n == 0:
        return {"cases": 0.0}

    def share(pred: Any) -> float:
        return sum(1 for r in rows if pred(r)) / n

    out = {
        "cases": float(n),
        "syntactic_accuracy": share(lambda r: r["syntactic"]),
        "semantic_accuracy": share(lambda r: r["semantic"]),
        "tokens_mean": sum(r["tokens"] for r in rows) / n,
        "tool_calls_mean": sum(r["tool_calls"] for r in rows) / n,
        "prompt_tokens_mean": sum(r.get("prompt_tokens", 0) for r in rows) / n,
        "malformed_tool_call_rate": share(lambda r: r["malformed_tool_calls"] > 0),
        "hallucinated_task_rate": share(lambda r: bool(r["hallucinated_tasks"])),
        "hallucinated_field_rate": share(lambda r: bool(r["hallucinated_fields"])),
    }
    timed = [r["latency_ms"] for r in rows if r.get("latency_ms") is not None]
    if timed:
        out["latency_cases"] = float(len(timed))
        out["latency_p50_ms"] = _percentile(timed, 0.5)
        out["latency_p95_ms"] = _percentile(timed, 0.95)
    for bucket in ERROR_BUCKETS:
        out[f"error.{bucket}"] = share(lambda r, b=bucket: r["error_bucket"] == b)
    judged = [r for r in rows if "llm_semantic" in r]
    if judged:
        out["llm_judge_agreement"] = sum(r["llm_semantic"] == r["semantic"] for r in judged) / len(
            judged
        )
    return out


def cut(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, dict[str, float]]]:
    """Cases and accuracies per suite and per value of `key` (a list counts for each item)."""
    groups: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        values = r[key] if isinstance(r[key], list) else [r[key]]
        for v in values:
            groups[r["suite"]][v].append(r)
    return {
        suite: {
            name: {
                "cases": float(len(rs)),
                "syntactic_accuracy": sum(x["syntactic"] for x in rs) / len(rs),
                "semantic_accuracy": sum(x["semantic"] for x in rs) / len(rs),
            }
            for name, rs in sorted(by.items())
        }
        for suite, by in groups.items()
    }
