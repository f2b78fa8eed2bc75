"""`flowgen eval`: evaluate a model on the suites; `eval judge`: compare two workflows;
`eval gate`: the promotion gate on saved reports."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from flowgen_core import stack
from flowgen_core.artifacts import local_dataset
from flowgen_core.catalog.model import load_catalog
from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.errors import UsageError
from flowgen_core.evaluation.gate import GateConfig, decide
from flowgen_core.evaluation.judge import LLMJudge, read_workflow, structural_judge
from flowgen_core.evaluation.metrics import EvalReport
from flowgen_core.evaluation.report import write_report
from flowgen_core.llm import client_for
from flowgen_core.registry import Registry
from flowgen_core.settings import Settings, load_settings

log = logging.getLogger("flowgen.eval")

app = typer.Typer(
    help="Evaluate a model on the benchmark and held-out traffic; judge two workflows; gate.",
    invoke_without_command=True,
    no_args_is_help=True,
)
SUITES = {"benchmark": ["benchmark"], "traffic": ["traffic"], "all": ["benchmark", "traffic"]}
MODEL_HELP = "Model folder, or models:/flowgen-agent@<alias> | models:/flowgen-agent/<version>."


def _model_dir(uri: str, settings: Settings) -> tuple[Path, str | None]:
    """A local model folder for --model, and the hash the registry recorded for it (if any)."""
    if uri.startswith("models:/"):
        mv = Registry(stack.mlflow_tracking_uri(settings)).resolve(uri)
        expected = mv.tags.get("model_hash")
        path = mv.fetch(settings.state_path / "models", settings.s3_endpoint_url)
        return path, None if expected in (None, "unknown") else expected
    return Path(uri.removeprefix("file://")).expanduser().resolve(), None


def _run(
    model: str | None,
    suite: str,
    dataset: str | None,
    limit: int,
    latency_cases: int,
    out: Path | None,
    as_json: bool,
) -> None:
    if model is None:
        raise UsageError("--model is required (a model folder or models:/flowgen-agent@champion)")
    if suite not in SUITES:
        raise UsageError(f"--suite {suite}: choose benchmark, traffic or all")
    if limit < 0:
        raise UsageError("--limit must be >= 0")
    if latency_cases < 0:
        raise UsageError("--latency-cases must be >= 0")
    settings = load_settings()
    model_dir, expected_hash = _model_dir(model, settings)
    dataset_dir = None
    if dataset is not None:
        dataset_dir = local_dataset(dataset, settings)
    # heavy: torch and transformers load only now, so bad input fails fast.
    from flowgen_core.evaluation.run import EvalConfig, evaluate

    client = client_for(settings, "judge")
    llm_judge = None if client is None else LLMJudge(client)
    try:
        result = evaluate(
            model_dir,
            SUITES[suite],
            EvalConfig(max_cases=limit, latency_cases=latency_cases),
            dataset_dir,
            llm_judge,
            expected_hash=expected_hash,
        )
    finally:
        if llm_judge is not None:
            llm_judge.client.close()
    if out is not None:
        write_report(result, out)
    lines = [
        f"model {model_dir} (sha256 {result.model_hash[:16]}): "
        f"{len(result.cases)} cases in {result.seconds:.1f}s"
    ]
    for name, m in result.metrics.items():
        agree = m.get("llm_judge_agreement")
        p95 = m.get("latency_p95_ms")
        lines.append(
            f"{name}: syntactic {m.get('syntactic_accuracy', 0):.3f}  semantic "
            f"{m.get('semantic_accuracy', 0):.3f}  p95 {'-' if p95 is None else f'{p95:.0f}ms'}  "
            f"tokens {m.get('tokens_mean', 0):.0f}  tool calls {m.get('tool_calls_mean', 0):.2f}"
            + ("" if agree is None else f"  llm-judge agreement {agree:.3f}")
        )
    if out is not None:
        lines.append(f"report: {out / 'report.md'}")
    payload = {
        "model_dir": str(model_dir),
        "model_hash": result.model_hash,
        "seconds": result.seconds,
        "metrics": result.metrics,
        "categories": result.categories,
        "report": None if out is None else str(out / "report.md"),
    }
    report(payload, as_json, lines)


_MODEL = typer.Option(None, "--model", help=MODEL_HELP)
_SUITE = typer.Option("benchmark", "--suite", help="benchmark | traffic | all")
_DATASET = typer.Option(
    None, "--dataset", help="Dataset folder or s3:// URI with heldout.jsonl (traffic suite)."
)
_LIMIT = typer.Option(0, "--limit", help="Cases per suite (first N); 0 = all.")
_LATENCY = typer.Option(
    16, "--latency-cases", help="Cases per suite timed one at a time for latency; 0 = none."
)
_OUT = typer.Option(
    None, "--out", help="Write report.md, plots and the JSON report into this folder."
)


@app.callback()
def evaluate_cmd(
    ctx: typer.Context,
    model: str = _MODEL,
    suite: str = _SUITE,
    dataset: str = _DATASET,
    limit: int = _LIMIT,
    latency_cases: int = _LATENCY,
    out: Path = _OUT,
    as_json: bool = JSON_OPTION,
) -> None:
    """Run the model through the agent loop on the suites and print the metrics."""
    if ctx.invoked_subcommand is None:
        _run(model, suite, dataset, limit, latency_cases, out, as_json)


@app.command("run")
def run_cmd(
    model: str = _MODEL,
    suite: str = _SUITE,
    dataset: str = _DATASET,
    limit: int = _LIMIT,
    latency_cases: int = _LATENCY,
    out: Path = _OUT,
    as_json: bool = JSON_OPTION,
) -> None:
    """The same as `flowgen eval --model ...`: evaluate and print the metrics."""
    _run(model, suite, dataset, limit, latency_cases, out, as_json)


@app.command("judge")
def judge_cmd(
    expected: Path = typer.Argument(..., help="Expected workflow (.flow, .json or .py)."),
    actual: Path = typer.Argument(..., help="Actual workflow (.flow, .json or .py)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Print `equivalent` (exit 0) or `different: <reason>` (exit 1): the structural judge."""
    catalog = load_catalog()
    verdict = structural_judge(
        read_workflow(expected, catalog), read_workflow(actual, catalog), catalog
    )
    report({"equivalent": verdict.equivalent, "reason": verdict.reason}, as_json, [verdict.line()])
    if not verdict.equivalent:
        raise typer.Exit(1)


@app.command("gate")
def gate_cmd(
    candidate: Path = typer.Argument(..., help="The candidate's report (JSON, from --out)."),
    champion: Path = typer.Option(None, "--champion", help="The champion's report, if any."),
    config: Path = typer.Option(None, "--config", help="Gate thresholds (default: gate.json)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Apply the promotion gate to saved reports: the table; exit 0 promote, 1 reject."""
    decision = decide(
        EvalReport.load(candidate),
        None if champion is None else EvalReport.load(champion),
        GateConfig.load(config),
    )
    lines = [decision.table(), f"decision: {decision.decision}"]
    lines += [f"- {r}" for r in decision.reasons]
    report(decision.as_dict(), as_json, lines)
    if decision.decision != "promote":
        raise typer.Exit(1)
