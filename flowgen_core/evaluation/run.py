"""Evaluate a model directory on the suites: metrics per case, per suite, per category.

Suites: `benchmark` (the hand-written cases shipped in `benchmark/cases.jsonl`) and `traffic`
(the week's held-out real interactions, `heldout.jsonl` in the dataset folder, written by the
data build). Every case goes through the same agent loop serving uses; the structural judge
decides semantic correctness (and the LLM judge too when one is given, with their agreement).

Latency is timed apart from the batched run. In a batch every case waits for the slowest
conversation's turns, so its wall time measures the batch, not a request (80-100 s per case
for the tiny demo model, against ~0.5 s for the same request run alone). After the batched run,
`latency_cases` cases per suite, spread evenly over the suite's order (the same cases for
every model on the same suites), run again one at a time; their request-to-workflow times are
the cases' `latency_ms` and the suite's latency percentiles. Other cases have no latency.

Metrics: see `flowgen_core.evaluation.metrics`.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flowgen_core.agent.suites import Case, load_suites
from flowgen_core.artifacts import folder_hash
from flowgen_core.catalog.model import Catalog, load_catalog
from flowgen_core.dsl.to_python import to_python
from flowgen_core.errors import InvalidInput, UnreadableInput
from flowgen_core.evaluation.agent import Agent, AgentConfig, AgentResult
from flowgen_core.evaluation.judge import LLMJudge, Verdict, agreement, structural_judge
from flowgen_core.evaluation.metrics import EvalReport, cut, suite_metrics

log = logging.getLogger("flowgen.evaluation.run")


@dataclass(frozen=True)
class EvalConfig:
    """What to evaluate and how."""

    agent: AgentConfig = field(default_factory=AgentConfig)  # the loop's limits and batching
    max_cases: int = 0  # cases per suite, the first N in file order; 0 = all
    latency_cases: int = 16  # cases per suite timed alone for the latency figures; 0 = none

    def __post_init__(self) -> None:
        if self.max_cases < 0:
            raise ValueError("eval max_cases must be >= 0 (0 = all)")
        if self.latency_cases < 0:
            raise ValueError("eval latency_cases must be >= 0 (0 = no latency figures)")


def latency_sample(cases: list[Case], per_suite: int) -> list[int]:
    """Indices of up to `per_suite` cases of each suite, spread evenly over the suite's order."""
    by_suite: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cases):
        by_suite[c.suite].append(i)
    picked: list[int] = []
    for members in by_suite.values():
        k = min(per_suite, len(members))
        picked.extend(members[j * len(members) // k] for j in range(k))
    return picked


def time_alone(agent: Agent, cases: list[Case], indices: list[int]) -> dict[int, float]:
    """Request-to-workflow milliseconds of each indexed case, run one at a time."""
    if indices:
        log.info("timing %d cases one at a time for latency", len(indices))
    return {i: agent.run(cases[i].request, cases[i].existing).latency_ms for i in indices}


def _row(
    case: Case, result: AgentResult, verdict: Verdict | None, latency_ms: float | None
) -> dict[str, Any]:
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
        "latency_ms": None if latency_ms is None else round(latency_ms, 3),  # timed alone
        "tokens": result.tokens,
        "prompt_tokens": result.prompt_tokens,
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
    model_hash = folder_hash(model_dir)
    if expected_hash is not None and expected_hash != model_hash:
        raise InvalidInput(
            f"{model_dir}: files hash to {model_hash[:16]}, the registry recorded "
            f"{expected_hash[:16]} (not the registered checkpoint)"
        )
    log.info("evaluating %s (%s) on %d cases", model_dir, model_hash[:12], len(cases))
    t0 = time.perf_counter()
    agent = Agent(model_dir, config.agent, catalog)
    results = agent.run_batch([(c.request, c.existing) for c in cases])
    latencies = time_alone(agent, cases, latency_sample(cases, config.latency_cases))
    verdicts: list[Verdict | None] = [
        structural_judge(c.expected, r.workflow, catalog) if r.valid and r.workflow else None
        for c, r in zip(cases, results, strict=True)
    ]
    rows = [
        _row(c, r, v, latencies.get(i))
        for i, (c, r, v) in enumerate(zip(cases, results, verdicts, strict=True))
    ]
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
            "latency_cases": config.latency_cases,
            "suites": suites,
            "judge": "structural" + ("" if llm_judge is None else f"+llm:{llm_judge.version}"),
        },
    )
