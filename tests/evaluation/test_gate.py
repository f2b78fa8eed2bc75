"""The promotion gate on reports built from per-case rows; its decision logged to MLflow."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import mlflow
import pytest

from flowgen_core.errors import UnreadableInput
from flowgen_core.evaluation.gate import GateConfig, decide, log_decision, paired_bootstrap
from flowgen_core.evaluation.metrics import EvalReport, cut, suite_metrics

GATE = GateConfig(
    suites=("benchmark", "traffic"),
    floors={
        "benchmark": {"syntactic_accuracy": 0.6, "semantic_accuracy": 0.4},
        "traffic": {"semantic_accuracy": 0.3},
    },
    non_inferiority={"semantic_accuracy": 0.05},
    latency_p95_margin=0.25,
    bootstrap_samples=500,
)


def make_report(
    model_hash: str,
    semantic: dict[str, list[int]],
    latency: float = 100.0,
    categories: tuple[str, ...] = ("orders", "risk"),
) -> EvalReport:
    """A report whose case i of each suite passed semantically when semantic[suite][i] == 1
    (case i in category categories[i % len(categories)])."""
    rows = []
    for suite, passes in semantic.items():
        for i, ok in enumerate(passes):
            rows.append(
                {
                    "suite": suite,
                    "id": f"{suite}-{i}",
                    "category": categories[i % len(categories)],
                    "features": [],
                    "syntactic": True if ok else i % 3 == 0,
                    "semantic": bool(ok),
                    "error_bucket": None,
                    "latency_ms": latency + i,
                    "tokens": 10,
                    "tool_calls": 2,
                    "malformed_tool_calls": 0,
                    "hallucinated_tasks": [],
                    "hallucinated_fields": [],
                }
            )
    metrics = {s: suite_metrics([r for r in rows if r["suite"] == s]) for s in semantic}
    return EvalReport(
        model_hash=model_hash,
        model_dir=f"/models/{model_hash}",
        metrics=metrics,
        categories=cut(rows, "category"),
        features=cut(rows, "features"),
        cases=rows,
        seconds=1.0,
    )


GOOD = {"benchmark": [1] * 70 + [0] * 30, "traffic": [1] * 50 + [0] * 50}


def test_first_model_promoted_only_above_floors() -> None:
    good = decide(make_report("a", GOOD), None, GATE)
    assert good.decision == "promote" and good.reasons == []
    assert {c.rule for c in good.checks} == {"floor"}
    weak = {"benchmark": [1] * 30 + [0] * 70, "traffic": GOOD["traffic"]}
    bad = decide(make_report("b", weak), None, GATE)
    assert bad.decision == "reject"
    assert any(
        "benchmark semantic_accuracy 0.300 is below the floor 0.400" in r for r in bad.reasons
    )


def test_missing_suite_is_refused() -> None:
    only_benchmark = decide(make_report("a", {"benchmark": GOOD["benchmark"]}), None, GATE)
    assert only_benchmark.decision == "reject"
    assert only_benchmark.reasons == ["traffic: suite not evaluated"]


def test_broken_candidate_refused_against_champion() -> None:
    champion = make_report("champ", GOOD)
    broken = make_report("cand", {"benchmark": [0] * 100, "traffic": [0] * 100})
    d = decide(broken, champion, GATE)
    assert d.decision == "reject"
    ni = [c for c in d.checks if c.rule == "non_inferiority"]
    assert len(ni) == 2 and not any(c.passed for c in ni)
    assert ni[0].delta == pytest.approx(-0.7) and ni[0].ci_high < 0
    assert "NO" in d.table() and "non_inferiority" in d.table()


def test_equal_candidate_is_non_inferior_and_better_one_promoted() -> None:
    champion = make_report("champ", GOOD)
    same = decide(make_report("cand", GOOD), champion, GATE)
    assert same.decision == "promote"
    better = {"benchmark": [1] * 80 + [0] * 20, "traffic": [1] * 60 + [0] * 40}
    d = decide(make_report("cand2", better), champion, GATE)
    assert d.decision == "promote"
    check = next(c for c in d.checks if c.rule == "non_inferiority" and c.suite == "benchmark")
    assert check.delta == pytest.approx(0.1) and check.ci_low <= 0.1 <= check.ci_high


def test_small_drop_within_margin_but_noisy_is_refused() -> None:
    champion = make_report("champ", GOOD)
    # 4 points worse on benchmark: the mean is inside the 5-point margin, the interval is not.
    worse = {"benchmark": [1] * 66 + [0] * 34, "traffic": GOOD["traffic"]}
    d = decide(make_report("cand", worse), champion, GATE)
    check = next(c for c in d.checks if c.rule == "non_inferiority" and c.suite == "benchmark")
    assert check.delta == pytest.approx(-0.04)
    assert check.ci_low < -0.05 and not check.passed and d.decision == "reject"


def test_latency_regression_past_margin_is_refused() -> None:
    champion = make_report("champ", GOOD, latency=100.0)
    slow = make_report("cand", GOOD, latency=200.0)
    d = decide(slow, champion, GATE)
    assert d.decision == "reject"
    assert any("p95 latency" in r for r in d.reasons)
    ok = decide(make_report("cand", GOOD, latency=110.0), champion, GATE)
    assert ok.decision == "promote"


def test_gain_overall_cannot_hide_a_category_collapse() -> None:
    cats = ("orders", "risk", "loyalty", "b2b")
    champion = make_report("champ", GOOD, categories=cats)
    # +13 points on the benchmark overall (30 gains), but 17 of the 25 b2b cases (i % 4 == 3)
    # that the champion got right now fail.
    better = [0 if i % 4 == 3 and i < 70 else 1 for i in range(100)]
    d = decide(make_report("cand", {**GOOD, "benchmark": better}, categories=cats), champion, GATE)
    ni = next(c for c in d.checks if c.rule == "non_inferiority" and c.suite == "benchmark")
    assert ni.passed and ni.delta == pytest.approx(0.13)
    (b2b,) = [c for c in d.checks if c.rule == "category" and not c.passed]
    assert (b2b.suite, b2b.metric) == ("benchmark", "b2b") and b2b.delta < -0.15
    assert d.decision == "reject"
    assert any("benchmark category b2b: semantic accuracy" in r for r in d.reasons)
    # Categories with fewer paired cases than category_min_cases are not judged on their own.
    loose = replace(GATE, category_min_cases=26)
    assert (
        decide(
            make_report("cand", {**GOOD, "benchmark": better}, categories=cats), champion, loose
        ).decision
        == "promote"
    )


def test_paired_bootstrap_is_reproducible() -> None:
    diffs = [1.0, 0.0, -1.0, 0.0, 1.0] * 10
    assert paired_bootstrap(diffs, 300, 0.95, 1) == paired_bootstrap(diffs, 300, 0.95, 1)
    mean, low, high = paired_bootstrap(diffs, 300, 0.95, 1)
    assert low <= mean <= high and mean == pytest.approx(0.2)


def test_thresholds_are_data(tmp_path: Path) -> None:
    shipped = GateConfig.load()
    assert shipped.suites == ("benchmark", "traffic")
    assert shipped.floors["benchmark"]["semantic_accuracy"] > 0
    path = tmp_path / "gate.json"
    path.write_text(
        json.dumps({"suites": ["benchmark"], "floors": {"benchmark": {"semantic_accuracy": 0.9}}})
    )
    cfg = GateConfig.load(path)
    assert cfg.suites == ("benchmark",) and cfg.floors == {"benchmark": {"semantic_accuracy": 0.9}}
    assert cfg.non_inferiority == shipped.non_inferiority  # keys the file does not name stay
    assert decide(make_report("a", GOOD), None, cfg).decision == "reject"
    with pytest.raises(ValueError, match="not pairable"):
        replace(cfg, non_inferiority={"latency_p95_ms": 1.0})
    with pytest.raises(ValueError, match=r"benchmark\.semantic_acc.*no such metric"):
        replace(cfg, floors={"benchmark": {"semantic_acc": 0.5}})
    (tmp_path / "bad.json").write_text('{"floors": 3}')
    with pytest.raises(UnreadableInput, match=r"bad\.json: not a gate config"):
        GateConfig.load(tmp_path / "bad.json")


def test_cli_gate_on_saved_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from flowgen_core.cli import main

    champion = make_report("champ", GOOD).save(tmp_path / "champion.json")
    broken = make_report("cand", {"benchmark": [0] * 100, "traffic": [0] * 100})
    candidate = broken.save(tmp_path / "candidate.json")
    (tmp_path / "gate.json").write_text(json.dumps({"floors": {}, "bootstrap_samples": 200}))
    gate = ["--config", str(tmp_path / "gate.json")]
    assert main(["eval", "gate", str(candidate), "--champion", str(champion), *gate]) == 1
    out = capsys.readouterr().out
    assert "decision: reject" in out and "non_inferiority" in out
    assert main(["eval", "gate", str(champion), *gate, "--json"]) == 0  # first model, no floors
    payload = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert payload["decision"] == "promote" and payload["champion_hash"] is None
    assert main(["eval", "gate", str(tmp_path / "gate.json")]) == 2  # not a report
    assert "not an evaluation report" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.integration
def test_decision_and_report_logged_to_mlflow(tmp_path: Path) -> None:
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    client = mlflow.MlflowClient(tracking_uri=uri)
    exp = client.create_experiment("eval", artifact_location=(tmp_path / "art").as_uri())
    run = client.create_run(exp)
    champion = make_report("champ", GOOD)
    candidate = make_report("cand", {"benchmark": [0] * 100, "traffic": [0] * 100})
    d = decide(candidate, champion, GATE)
    log_decision(d, run.info.run_id, uri)
    for step, loss in enumerate([3.0, 2.0, 1.5], 1):  # what the trainer logs on its run
        client.log_metric(run.info.run_id, "loss", loss, step=step)
    from flowgen_core.evaluation.report import loss_curve, publish

    assert loss_curve(run.info.run_id, uri) == [3.0, 2.0, 1.5]
    text = publish(candidate, run.info.run_id, uri, champion, d.as_dict())
    got = client.get_run(run.info.run_id)
    assert got.data.tags["gate.decision"] == "reject"
    assert got.data.metrics["gate.non_inferiority.benchmark.semantic_accuracy.passed"] == 0.0
    assert got.data.metrics["benchmark.semantic_accuracy"] == 0.0
    names = {a.path for a in client.list_artifacts(run.info.run_id, "evaluation")}
    assert {"evaluation/report.md", "evaluation/latency.png", "evaluation/loss.png"} <= names
    assert "evaluation/categories_benchmark.png" in names
    assert "![loss.png](loss.png)" in text
    assert "## Gate: reject" in text and "| semantic_accuracy | 0.000 | 0.700 |" in text


def test_a_recipe_has_its_own_floors_and_a_file_still_wins(tmp_path: Path) -> None:
    production, tiny = GateConfig.load(), GateConfig.load(recipe="tiny")
    assert tiny.floors != production.floors
    assert "semantic_accuracy" not in tiny.floors["benchmark"]  # the CPU model learns the format
    assert tiny.non_inferiority == production.non_inferiority  # the champion rule is the same
    assert GateConfig.load(recipe="qwen3-32b-2x8h200") == production
    path = tmp_path / "gate.json"
    path.write_text(json.dumps({"floors": {"benchmark": {"syntactic_accuracy": 0.99}}}))
    assert GateConfig.load(path, recipe="tiny").floors == {
        "benchmark": {"syntactic_accuracy": 0.99}
    }
