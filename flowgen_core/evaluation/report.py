"""The run report: Markdown with PNG plots, and its logging to MLflow.

Plots: semantic accuracy per category (candidate against champion), the latency distribution,
and the training loss curve when one is given. `publish` is the one call a pipeline makes:
it writes the report (the loss curve read from the training run's `loss` metric) and logs it
with the suite metrics to that MLflow run.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from flowgen_core.evaluation.metrics import EvalReport

HEADLINE = (
    "syntactic_accuracy",
    "semantic_accuracy",
    "latency_cases",
    "latency_p50_ms",
    "latency_p95_ms",
    "tokens_mean",
    "prompt_tokens_mean",
    "tool_calls_mean",
    "malformed_tool_call_rate",
    "hallucinated_task_rate",
    "hallucinated_field_rate",
)


def _timed(report: EvalReport) -> list[float]:
    """Latencies of the cases timed alone (the others have none)."""
    return [r["latency_ms"] for r in report.cases if r.get("latency_ms") is not None]


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"


def _plots(
    candidate: EvalReport, champion: EvalReport | None, losses: list[float] | None, out: Path
) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = []
    for suite, cats in candidate.categories.items():
        labels = sorted(cats)
        fig, ax = plt.subplots(figsize=(max(6, len(labels) * 0.7), 3.5))
        xs = range(len(labels))
        cand = [cats[c]["semantic_accuracy"] for c in labels]
        width = 0.4 if champion else 0.8
        ax.bar([x - (width / 2 if champion else 0) for x in xs], cand, width, label="candidate")
        if champion is not None:
            champ_cats = champion.categories.get(suite, {})
            champ = [champ_cats.get(c, {}).get("semantic_accuracy", 0.0) for c in labels]
            ax.bar([x + width / 2 for x in xs], champ, width, label="champion")
        ax.set_xticks(list(xs), labels, rotation=45, ha="right", fontsize=8)
        ax.set_ylim(0, 1)
        ax.set_ylabel("semantic accuracy")
        ax.set_title(f"{suite}: semantic accuracy per category")
        ax.legend(fontsize=8)
        fig.tight_layout()
        name = f"categories_{suite}.png"
        fig.savefig(out / name, dpi=80)
        plt.close(fig)
        names.append(name)
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(_timed(candidate), bins=30, alpha=0.7, label="candidate")
    if champion is not None:
        ax.hist(_timed(champion), bins=30, alpha=0.5, label="champion")
    ax.set_xlabel("latency (ms), cases timed alone")
    ax.set_ylabel("cases")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=80)
    plt.close(fig)
    names.append("latency.png")
    if losses:
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.plot(range(1, len(losses) + 1), losses)
        ax.set_xlabel("step")
        ax.set_ylabel("training loss")
        fig.tight_layout()
        fig.savefig(out / "loss.png", dpi=80)
        plt.close(fig)
        names.append("loss.png")
    return names


def markdown(
    candidate: EvalReport,
    champion: EvalReport | None = None,
    decision: dict[str, Any] | None = None,
    plots: list[str] | None = None,
) -> str:
    """The report text."""
    lines = [
        "# Evaluation report",
        "",
        f"- candidate: `{candidate.model_dir}` (hash `{candidate.model_hash[:16]}`)",
        f"- champion: `{champion.model_hash[:16]}`" if champion else "- champion: none",
        f"- cases: {len(candidate.cases)} in {candidate.seconds:.1f}s",
        f"- judge: {candidate.config.get('judge', 'structural')}",
        "",
    ]
    if decision is not None:
        lines += [f"## Gate: {decision['decision']}", "", "```", decision["table"], "```", ""]
        lines += [f"- {r}" for r in decision["reasons"]] + [""]
    for suite, metrics in candidate.metrics.items():
        champ = champion.metrics.get(suite, {}) if champion else {}
        lines += [
            f"## Suite `{suite}`",
            "",
            "| metric | candidate | champion |",
            "| --- | --- | --- |",
        ]
        for m in HEADLINE:
            if m in metrics:
                lines.append(f"| {m} | {_fmt(metrics[m])} | {_fmt(champ.get(m))} |")
        errors = {k: v for k, v in metrics.items() if k.startswith("error.") and v}
        if errors:
            lines += [
                "",
                "Error buckets: " + ", ".join(f"{k[6:]} {v:.2f}" for k, v in errors.items()),
            ]
        lines.append("")
        cats = candidate.categories.get(suite, {})
        if cats:
            lines += ["| category | cases | syntactic | semantic |", "| --- | --- | --- | --- |"]
            for cat, cm in cats.items():
                lines.append(
                    f"| {cat} | {int(cm['cases'])} | {_fmt(cm['syntactic_accuracy'])} "
                    f"| {_fmt(cm['semantic_accuracy'])} |"
                )
            lines.append("")
    for name in plots or []:
        lines += [f"![{name}]({name})", ""]
    return "\n".join(lines)


def write_report(
    candidate: EvalReport,
    out_dir: Path,
    champion: EvalReport | None = None,
    decision: dict[str, Any] | None = None,
    losses: list[float] | None = None,
) -> Path:
    """Write report.md, its plots and the raw reports into out_dir; the report's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plots = _plots(candidate, champion, losses, out_dir)
    candidate.save(out_dir / "candidate.json")
    if champion is not None:
        champion.save(out_dir / "champion.json")
    if decision is not None:
        (out_dir / "gate.json").write_text(json.dumps(decision, indent=1, sort_keys=True))
    path = out_dir / "report.md"
    path.write_text(markdown(candidate, champion, decision, plots))
    return path


def log_report(report_dir: Path, candidate: EvalReport, run_id: str, tracking_uri: str) -> None:
    """Log the suite metrics (`<suite>.<metric>`) and the report folder to an MLflow run."""
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=tracking_uri)
    for suite, metrics in candidate.metrics.items():
        for name, value in metrics.items():
            client.log_metric(run_id, f"{suite}.{name}".replace("?", ""), float(value))
    client.log_param(run_id, "eval.model_hash", candidate.model_hash)
    client.log_metric(run_id, "eval.seconds", candidate.seconds)
    client.log_artifacts(run_id, str(report_dir), "evaluation")


def loss_curve(run_id: str, tracking_uri: str, metric: str = "loss") -> list[float]:
    """The training loss per logged step of an MLflow run (empty when it logged none)."""
    import mlflow

    history = mlflow.MlflowClient(tracking_uri=tracking_uri).get_metric_history(run_id, metric)
    return [m.value for m in sorted(history, key=lambda m: m.step)]


def publish(
    candidate: EvalReport,
    run_id: str,
    tracking_uri: str,
    champion: EvalReport | None = None,
    decision: dict[str, Any] | None = None,
) -> str:
    """Write the report (with the run's loss curve) and log it to the run; report.md's text."""
    with tempfile.TemporaryDirectory() as tmp:
        losses = loss_curve(run_id, tracking_uri)
        path = write_report(candidate, Path(tmp), champion, decision, losses)
        log_report(path.parent, candidate, run_id, tracking_uri)
        return path.read_text()
