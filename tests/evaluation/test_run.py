"""evaluate() on real suites with tiny models, then the gate and the registry together."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from flowgen_core.agent.suites import Case, load_suites, load_traffic
from flowgen_core.dsl.flowfile import write_flow
from flowgen_core.errors import InvalidInput, UsageError
from flowgen_core.evaluation.agent import AgentConfig
from flowgen_core.evaluation.gate import GateConfig, decide
from flowgen_core.evaluation.report import write_report
from flowgen_core.evaluation.run import EvalConfig, evaluate
from flowgen_core.registry import CHALLENGER, Registry

CONFIG = EvalConfig(agent=AgentConfig(max_new_tokens=400, token_budget=900), max_cases=3)
GATE = GateConfig(
    suites=("benchmark",),
    floors={"benchmark": {"syntactic_accuracy": 0.3, "semantic_accuracy": 0.3}},
    non_inferiority={"semantic_accuracy": 0.05},
    bootstrap_samples=200,
)


def test_traffic_suite_reads_heldout_jsonl(tmp_path: Path, trained_case: Case) -> None:
    from dataclasses import asdict

    from flowgen_core.data.build import HeldoutCase

    payload = write_flow(trained_case.expected, prefix=False)
    rows = [  # as the data build writes them (one sorted-keys JSON object per line)
        HeldoutCase("t1", "shop-9", "orders", "tag big orders", payload, payload),
        HeldoutCase("t2", "shop-9", "orders", "tag big orders", payload, None),
    ]
    text = "".join(json.dumps(asdict(r), sort_keys=True) + "\n" for r in rows)
    (tmp_path / "heldout.jsonl").write_text(text)
    edit, new = load_traffic(tmp_path)
    assert edit.suite == "traffic" and edit.features == ("edit",) and new.features == ()
    assert edit.expected == edit.existing and new.existing is None
    (tmp_path / "heldout.jsonl").write_text(json.dumps({"id": "x", "request": "r"}) + "\n")
    with pytest.raises(InvalidInput, match="line 1: missing field"):
        load_traffic(tmp_path)
    with pytest.raises(UsageError, match="needs a dataset folder"):
        load_suites(["traffic"], None)
    with pytest.raises(UsageError, match="unknown suite"):
        load_suites(["vibes"], None)


@pytest.mark.slow
def test_broken_candidate_refused_champion_kept(
    trained_model: Path, untrained_model: Path, tmp_path: Path
) -> None:
    champion = evaluate(trained_model, ["benchmark"], CONFIG)
    assert champion.metrics["benchmark"]["cases"] == 3
    first = champion.cases[0]
    assert first["id"] == "orders-001" and first["syntactic"] and first["semantic"]
    assert first["tool_calls"] == 2 and champion.categories["benchmark"]["orders"]["cases"] == 3

    registry = Registry(f"sqlite:///{tmp_path / 'mlflow.db'}")
    # The first model must clear the floors to be promoted.
    v1 = registry.register(trained_model, None, {"model_hash": champion.model_hash})
    registry.set_alias(CHALLENGER, v1)
    first_decision = decide(champion, None, GATE)
    assert first_decision.decision == "promote", first_decision.reasons
    registry.record_gate(v1, first_decision.as_dict())
    registry.promote(v1)

    candidate = evaluate(untrained_model, ["benchmark"], CONFIG)
    assert candidate.metrics["benchmark"]["semantic_accuracy"] == 0.0
    assert candidate.model_hash != champion.model_hash
    v2 = registry.register(untrained_model, None, {"model_hash": candidate.model_hash})
    registry.set_alias(CHALLENGER, v2)
    decision = decide(candidate, champion, GATE)
    assert decision.decision == "reject"
    assert any("below the floor" in r for r in decision.reasons)
    registry.record_gate(v2, decision.as_dict())
    registry.reject(v2)
    assert registry.champion().version == v1  # type: ignore[union-attr]
    assert registry.alias(CHALLENGER) is None

    report = write_report(candidate, tmp_path / "report", champion, decision.as_dict())
    assert "## Gate: reject" in report.read_text()
    assert (tmp_path / "report" / "categories_benchmark.png").stat().st_size > 0


@pytest.mark.slow
def test_cli_eval_prints_metrics_and_writes_the_report(
    trained_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from flowgen_core.cli import main

    out = tmp_path / "report"
    args = ["eval", "run", "--model", str(trained_model), "--limit", "2", "--out", str(out)]
    assert main([*args, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert payload["metrics"]["benchmark"]["cases"] == 2
    assert payload["metrics"]["benchmark"]["semantic_accuracy"] == 0.5  # orders-001 learned
    assert len(payload["model_hash"]) == 64
    assert (out / "report.md").is_file() and (out / "latency.png").is_file()
    assert (out / "candidate.json").is_file()
    # `flowgen eval --model ...` (no subcommand) is the same command, printing lines.
    assert main(["eval", "--model", str(trained_model), "--limit", "1"]) == 0
    text = capsys.readouterr().out
    assert "1 cases" in text and "benchmark: syntactic 1.000  semantic 1.000" in text


def test_cli_eval_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from flowgen_core.cli import main

    assert main(["eval", "--model", str(tmp_path)]) == 2
    assert "not a model directory" in capsys.readouterr().err
    assert main(["eval", "--model", str(tmp_path), "--suite", "vibes"]) == 2
    assert "--suite vibes" in capsys.readouterr().err
    assert main(["eval", "--suite", "benchmark"]) == 2
    assert "--model is required" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.integration
def test_llm_judge_agreement_is_reported(trained_model: Path, chat_server: Callable) -> None:
    from flowgen_core.evaluation.judge import LLMJudge
    from flowgen_core.llm import LLMConfig, OpenAIChatClient

    from .test_judge import judge_answer

    srv = chat_server(judge_answer)
    with OpenAIChatClient(LLMConfig(base_url=srv.url, model="judge")) as client:
        report = evaluate(trained_model, ["benchmark"], CONFIG, llm_judge=LLMJudge(client))
    assert report.config["judge"] == "structural+llm:judge-v2"
    judged = [r for r in report.cases if "llm_semantic" in r]
    assert judged and len(srv.bodies) == len(judged)
    assert report.metrics["benchmark"]["llm_judge_agreement"] == sum(
        r["llm_semantic"] == r["semantic"] for r in judged
    ) / len(judged)
    assert judged[0]["id"] == "orders-001" and judged[0]["llm_semantic"] is True


@pytest.mark.slow
@pytest.mark.integration
def test_cli_eval_loads_the_registered_champion_and_checks_its_hash(
    trained_model: Path,
    untrained_model: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from flowgen_core.artifacts import folder_hash
    from flowgen_core.cli import main

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    monkeypatch.setenv("FLOWGEN_MLFLOW_TRACKING_URI", uri)
    registry = Registry(uri)
    v1 = registry.register(trained_model, None, {"model_hash": folder_hash(trained_model)})
    registry.promote(v1)
    args = ["eval", "run", "--model", "models:/flowgen-agent@champion", "--limit", "1", "--json"]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert payload["model_dir"] == str(trained_model.resolve())
    assert payload["metrics"]["benchmark"]["semantic_accuracy"] == 1.0
    # A version whose files are not the ones registered is refused, not evaluated as if.
    v2 = registry.register(untrained_model, None, {"model_hash": folder_hash(trained_model)})
    assert main(["eval", "run", "--model", f"models:/flowgen-agent/{v2}", "--limit", "1"]) == 1
    assert "not the registered checkpoint" in capsys.readouterr().err
    assert main(["eval", "run", "--model", "models:/flowgen-agent@challenger"]) == 1
    assert "no version with alias 'challenger'" in capsys.readouterr().err


def test_latency_sample_spreads_over_each_suite() -> None:
    from dataclasses import replace

    from flowgen_core.evaluation.run import latency_sample

    bench = load_suites(["benchmark"], None)[:10]
    traffic = [replace(c, suite="traffic") for c in bench[:3]]
    cases = bench + traffic
    assert latency_sample(cases, 4) == [0, 2, 5, 7, 10, 11, 12]  # all 3 of the small suite
    assert latency_sample(cases, 1) == [0, 10]
    assert latency_sample(cases, 0) == []
    with pytest.raises(ValueError, match="latency_cases must be >= 0"):
        EvalConfig(latency_cases=-1)


def test_latency_comes_from_cases_timed_alone(trained_model: Path) -> None:
    from dataclasses import replace

    timed = evaluate(trained_model, ["benchmark"], replace(CONFIG, max_cases=4, latency_cases=2))
    latencies = {r["id"]: r["latency_ms"] for r in timed.cases}
    ids = [r["id"] for r in timed.cases]
    assert [i for i, ms in latencies.items() if ms is not None] == [ids[0], ids[2]]
    assert all(latencies[i] > 0 for i in (ids[0], ids[2]))
    m = timed.metrics["benchmark"]
    assert m["latency_cases"] == 2
    assert m["latency_p50_ms"] == pytest.approx(sum(latencies[i] for i in (ids[0], ids[2])) / 2)
    assert timed.config["latency_cases"] == 2
    prompt = [r["prompt_tokens"] for r in timed.cases]
    assert min(prompt) > 0 and m["prompt_tokens_mean"] == sum(prompt) / len(prompt)

    untimed = evaluate(trained_model, ["benchmark"], replace(CONFIG, latency_cases=0))
    assert all(r["latency_ms"] is None for r in untimed.cases)
    assert "latency_p95_ms" not in untimed.metrics["benchmark"]
    # Without figures on both sides the gate has no latency to compare, and says so by omission.
    decision = decide(untimed, timed, GATE)
    assert not [c for c in decision.checks if c.rule == "latency"]
    assert [c for c in decide(timed, timed, GATE).checks if c.rule == "latency"]
