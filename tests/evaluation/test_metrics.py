"""Metrics over per-case rows, cuts by category or feature, and the report's file round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flowgen_core.errors import UnreadableInput
from flowgen_core.evaluation.metrics import ERROR_BUCKETS, EvalReport, cut, suite_metrics


def row(ok: bool, bucket: str | None = None, **extra: Any) -> dict[str, Any]:
    base = {
        "suite": "heldout",
        "syntactic": ok,
        "semantic": ok,
        "tokens": 10,
        "tool_calls": 2,
        "malformed_tool_calls": 0,
        "hallucinated_tasks": [],
        "hallucinated_fields": [],
        "error_bucket": bucket,
        "features": [],
    }
    return base | extra


def test_shares_means_latency_percentiles_and_error_buckets() -> None:
    rows = [
        row(True, latency_ms=100.0, llm_semantic=True),
        row(True, latency_ms=200.0, tokens=30, llm_semantic=False),
        row(False, "parse", latency_ms=300.0, malformed_tool_calls=1),
        row(False, "validation", hallucinated_tasks=["x::y"]),
    ]
    m = suite_metrics(rows)
    assert m["cases"] == 4.0
    assert m["syntactic_accuracy"] == m["semantic_accuracy"] == 0.5
    assert m["tokens_mean"] == 15.0
    assert m["malformed_tool_call_rate"] == m["hallucinated_task_rate"] == 0.25
    assert m["latency_cases"] == 3.0  # the untimed case does not count
    assert m["latency_p50_ms"] == 200.0
    assert m["latency_p95_ms"] == pytest.approx(290.0)  # interpolated between 200 and 300
    assert m["error.parse"] == m["error.validation"] == 0.25
    assert sum(m[f"error.{b}"] for b in ERROR_BUCKETS) == 0.5
    assert m["llm_judge_agreement"] == 0.5  # judged on the two cases the LLM judge saw


def test_no_rows_and_no_timing_leave_the_optional_metrics_out() -> None:
    assert suite_metrics([]) == {"cases": 0.0}
    m = suite_metrics([row(True)])
    assert "latency_p50_ms" not in m and "llm_judge_agreement" not in m


def test_a_case_with_two_features_counts_for_each() -> None:
    rows = [row(True, features=["wait", "foreach"]), row(False, features=["wait"])]
    by = cut(rows, "features")["heldout"]
    assert by["wait"] == {"cases": 2.0, "syntactic_accuracy": 0.5, "semantic_accuracy": 0.5}
    assert by["foreach"]["cases"] == 1.0 and by["foreach"]["semantic_accuracy"] == 1.0
    assert list(by) == ["foreach", "wait"]


def test_a_saved_report_loads_back_equal_and_a_foreign_file_is_unreadable(tmp_path: Path) -> None:
    report = EvalReport("h", "/m", {"s": {"cases": 1.0}}, {}, {}, [row(True)], 1.5, {"k": 1})
    assert EvalReport.load(report.save(tmp_path / "r.json")) == report
    (tmp_path / "x.json").write_text('{"not": "a report"}')
    with pytest.raises(UnreadableInput, match="not an evaluation report"):
        EvalReport.load(tmp_path / "x.json")
