"""Evaluate a model directory on the suites: metrics per case, per suite, per category.

Suites: `benchmark` (the hand-written cases shipped in `benchmark/cases.jsonl`) and `traffic`
(the week's held-out real interactions, `heldout.jsonl` in the dataset folder, written by the
data build). Every case goes through the same agent loop serving uses; the structural judge
decides semantic correctness (and the LLM judge too when one is given, with their agreement).

Metrics: see `flowgen_core.evaluation.metrics`.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flowgen_core.catalog.model import Catalog, load_catalog
from flowgen_core.dsl.to_python import to_python
from flowgen_core.errors import InvalidInput, UnreadableInput
from flowgen_core.evaluation.agent import Agent, AgentConfig, AgentResult
from flowgen_core.evaluation.judge import LLMJudge, Verdict, agreement, structural_judge
from flowgen_core.evaluation.metrics import EvalReport, cut, suite_metrics
from flowgen_core.evaluation.suites import Case, load_suites
from flowgen_core.training.fsdp import content_hash

log = logging.getLogger("flowgen.evaluation.run")


@dataclass(frozen=True)
class EvalConfig:
    """What to evaluate and how."""

    agent: AgentConfig = field(default_factory=AgentConfig)  # the loop's limits and batching
    max_cases: int = 0  # cases per suite, the first N in file order; 0 = all

    def __post_init__(self) -> None:
        if self.max_cases < 0:
            raise ValueError("eval max_cases must be >= 0 (0 = all)")


def _row(case: Case, result: AgentResult, verdict: Verdict | None) -> dict[str, Any]:
    return {
        "suite": case.suite,
        "id": case.id,
        "category": case.category,
        "difficulty": case.difficulty,
        "features": list(case.features),
        "syntactic": result.valid,
        "semantic": bool(verdict and verdict.equivalent),
        "judge_reason": "" if verdict is None else verdict.reason,
        "error_bucket": result.error_bucket,
        "error": result.error,
        "latency_ms": round(result.latency_ms, 3),
        "tokens": result.tokens,
        "tool_calls": result.tool_calls,
        "malformed_tool_calls": result.malformed_tool_calls,
        "hallucinated_tasks": result.hallucinated_tasks,
        "hallucinated_fields": result.hallucinated_fields,
        "python": result.python,
    }


def evaluate(
    model_dir: Path,
    suites: list[str],
    config: EvalConfig,
    dataset_dir: Path | None = None,
    llm_judge: LLMJudge | None = None,
    catalog: Catalog | None = None,
    expected_hash: str | None = None,
) -> EvalReport:
    """Run every case of the suites through the agent and judge it; the full report.

    `expected_hash`: the content hash the registry recorded for this model; files that hash
    otherwise are refused before anything runs (evaluation loads exactly what it is told).
    """
    catalog = catalog or load_catalog()
    if not (model_dir / "config.json").is_file():
        raise UnreadableInput(f"{model_dir}: not a model directory (no config.json)")
    cases = load_suites(suites, dataset_dir)
    if config.max_cases:
        kept: dict[str, int] = defaultdict(int)
        limited = []
        for c in cases:
            if kept[c.suite] < config.max_cases:
                kept[c.suite] += 1
                limited.append(c)
        cases = limited
    model_hash = content_hash(model_dir)
    if expected_hash is not None and expected_hash != model_hash:
        raise InvalidInput(
            f"{model_dir}: files hash to {model_hash[:16]}, the registry recorded "
            f"{expected_hash[:16]} (not the registered checkpoint)"
        )
    log.info("evaluating %s (%s) on %d cases", model_dir, model_hash[:12], len(cases))
    t0 = time.perf_counter()
    agent = Agent(model_dir, config.agent, catalog)
    results = agent.run_batch([(c.request, c.existing) for c in cases])
    verdicts: list[Verdict | None] = [
        structural_judge(c.expected, r.workflow, catalog) if r.valid and r.workflow else None
        for c, r in zip(cases, results, strict=True)
    ]
    rows = [_row(c, r, v) for c, r, v in zip(cases, results, verdicts, strict=True)]
    if llm_judge is not None:
        judged = [i for i, r in enumerate(results) if r.valid and r.python]
        pairs = [
            (to_python(cases[i].expected, catalog)[0], results[i].python or "") for i in judged
        ]
        llm = llm_judge.judge_many(pairs)
        for i, v in zip(judged, llm, strict=True):
            rows[i]["llm_semantic"] = v.equivalent
            rows[i]["llm_reason"] = v.reason
        structural = [verdicts[i] or Verdict(False) for i in judged]
        log.info("LLM judge agreement: %s", agreement(structural, llm))
    seconds = time.perf_counter() - t0
    metrics = {s: suite_metrics([r for r in rows if r["suite"] == s]) for s in suites}
    if len(suites) > 1:
        metrics["all"] = suite_metrics(rows)
    log.info("evaluated %d cases in %.1fs", len(rows), seconds)
    return EvalReport(
        model_hash=model_hash,
        model_dir=str(model_dir),
        metrics=metrics,
        categories=cut(rows, "category"),
        features=cut(rows, "features"),
        cases=rows,
        seconds=seconds,
        config={
            "agent": asdict(config.agent),
            "max_cases": config.max_cases,
            "suites": suites,
            "judge": "structural" + ("" if llm_judge is None else f"+llm:{llm_judge.version}"),
        },
    )
