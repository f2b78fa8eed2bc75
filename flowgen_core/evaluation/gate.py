"""The promotion gate: does the candidate beat (or at least match) the champion?

Rules, all thresholds as data (`gate.json` next to this file; a file given to `load` replaces
the keys it names):

1. floors: every suite in `suites` must have been evaluated, and each of its metrics listed
   under `floors[suite]` must be at least the floor (absolute; applies to a first model too);
2. non-inferiority (only with a champion): for each metric in `non_inferiority`, the paired
   per-case difference candidate - champion over the cases both ran (same suite and id) is
   bootstrapped; the lower end of its `confidence` interval must be above `-margin`;
3. category regressions (only with a champion): within each suite, every category with at
   least `category_min_cases` cases in common may lose at most `category_max_drop` of
   semantic accuracy (paired mean), so a gain on orders cannot hide a collapse on risk;
4. latency (only with a champion, and when both timed cases alone): the candidate's p95
   latency per suite may exceed the champion's by at most `latency_p95_margin` (a fraction).

Promote when every check passes; otherwise reject, with the failed checks as reasons.
Per-run overrides: `dataclasses.replace(GateConfig.load(), floors=...)` (validated again).
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from flowgen_core.errors import UnreadableInput
from flowgen_core.evaluation.metrics import EvalReport

# Per-case fields the non-inferiority rule can pair (1 when the case passed, else 0).
PAIRED_FIELDS = {"semantic_accuracy": "semantic", "syntactic_accuracy": "syntactic"}
# Suite metrics a floor (a minimum) can apply to: the higher the better.
FLOOR_METRICS = frozenset({"syntactic_accuracy", "semantic_accuracy", "llm_judge_agreement"})


@dataclass(frozen=True)
class GateConfig:
    """Thresholds of the gate (see the module docstring)."""

    suites: tuple[str, ...] = ("benchmark", "traffic")  # suites that must have been evaluated
    floors: dict[str, dict[str, float]] = field(default_factory=dict)  # suite -> metric -> min
    non_inferiority: dict[str, float] = field(default_factory=dict)  # metric -> allowed drop
    latency_p95_margin: float = 0.25  # allowed p95 latency increase over the champion (0.25 = 25%)
    category_max_drop: float = 0.15  # allowed semantic drop in one category (0.15 = 15 pts)
    category_min_cases: int = 10  # categories with fewer paired cases are not checked (noise)
    confidence: float = 0.95  # two-sided confidence of the bootstrap interval
    bootstrap_samples: int = 2000  # resamples of the paired differences
    seed: int = 0  # bootstrap RNG seed (the decision is reproducible)

    def __post_init__(self) -> None:
        if not 0.5 <= self.confidence < 1:
            raise ValueError("gate confidence must be in [0.5, 1)")
        if self.bootstrap_samples < 100:
            raise ValueError("gate bootstrap_samples must be at least 100")
        unknown = [m for m in self.non_inferiority if m not in PAIRED_FIELDS]
        if unknown:
            raise ValueError(
                f"gate non_inferiority metric(s) {unknown} not pairable "
                f"(use {sorted(PAIRED_FIELDS)})"
            )
        if not isinstance(self.floors, dict) or not all(
            isinstance(v, dict) for v in self.floors.values()
        ):
            raise ValueError("gate floors must map suite -> metric -> minimum")
        bad = sorted(
            f"{suite}.{m}"
            for suite, ms in self.floors.items()
            for m in ms
            if m not in FLOOR_METRICS
        )
        if bad:
            raise ValueError(f"gate floors {bad}: no such metric (use {sorted(FLOOR_METRICS)})")
        if min(self.latency_p95_margin, self.category_max_drop, self.category_min_cases) < 0:
            raise ValueError(
                "gate latency_p95_margin, category_max_drop and category_min_cases must be >= 0"
            )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GateConfig:
        """From the JSON form (`suites` a list)."""
        data = dict(data)
        if "suites" in data:
            data["suites"] = tuple(data["suites"])
        return cls(**data)

    @classmethod
    def load(cls, path: Path | None = None, recipe: str | None = None) -> GateConfig:
        """The shipped `gate.json`, then its `recipes.<recipe>` keys (thresholds that belong to
        one training recipe), then the keys of the file at `path` (if given): each layer names
        only the thresholds it changes."""
        where = "gate.json"
        try:
            text = resources.files("flowgen_core.evaluation").joinpath("gate.json").read_text()
            data = json.loads(text)
            data |= data.pop("recipes", {}).get(recipe, {})
            if path is not None:
                where = str(path)
                override = json.loads(path.read_text())
                if not isinstance(override, dict):
                    raise ValueError("expected a JSON object")
                data |= override
            return cls.from_dict(data)
        except (OSError, ValueError, TypeError) as exc:
            raise UnreadableInput(f"{where}: not a gate config ({exc})") from None


@dataclass(frozen=True)
class Check:
    """One rule applied to one metric of one suite."""

    rule: str  # coverage | floor | non_inferiority | category | latency
    suite: str
    metric: str
    candidate: float | None
    champion: float | None
    threshold: float | None
    passed: bool
    delta: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    note: str = ""

    def reason(self) -> str:
        """One line saying why the check failed."""
        if self.rule == "coverage":
            return f"{self.suite}: {self.note}"
        if self.rule == "floor":
            got = "missing" if self.candidate is None else f"{self.candidate:.3f}"
            return f"{self.suite} {self.metric} {got} is below the floor {self.threshold:.3f}"
        if self.rule == "category":
            return (
                f"{self.suite} category {self.metric}: semantic accuracy {self.champion:.3f} -> "
                f"{self.candidate:.3f} ({self.delta:+.3f}), more than the allowed drop "
                f"{self.threshold:.3f}"
            )
        if self.rule == "latency":
            return (
                f"{self.suite} p95 latency {self.candidate:.0f}ms exceeds the champion's "
                f"{self.champion:.0f}ms by more than the margin (limit {self.threshold:.0f}ms)"
            )
        return (
            f"{self.suite} {self.metric}: paired difference {self.delta:+.3f}, CI low "
            f"{self.ci_low:+.3f} below -{self.threshold:.3f} (not non-inferior)"
        )


@dataclass(frozen=True)
class GateDecision:
    """`decision` ("promote" | "reject"), the failed checks' reasons and the evidence table."""

    decision: str
    reasons: list[str]
    checks: list[Check]
    candidate_hash: str
    champion_hash: str | None

    def table(self) -> str:
        """The checks as a fixed-width text table (the decision's evidence)."""
        head = (
            "check",
            "suite",
            "metric",
            "candidate",
            "champion",
            "delta [CI]",
            "threshold",
            "ok",
        )
        rows = [head]
        for c in self.checks:
            ci = (
                f"{c.delta:+.3f} [{c.ci_low:+.3f},{c.ci_high:+.3f}]"
                if c.ci_low is not None
                else ("-" if c.delta is None else _signed(c.delta))
            )
            rows.append(
                (
                    c.rule,
                    c.suite,
                    c.metric,
                    _f(c.candidate),
                    _f(c.champion),
                    ci,
                    _f(c.threshold),
                    "yes" if c.passed else "NO",
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        return "\n".join(
            "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-able form, with the table."""
        return {
            "decision": self.decision,
            "reasons": self.reasons,
            "checks": [asdict(c) for c in self.checks],
            "candidate_hash": self.candidate_hash,
            "champion_hash": self.champion_hash,
            "table": self.table(),
        }


def _signed(value: float) -> str:
    return f"{value:+.3f}" if abs(value) < 100 else f"{value:+.0f}"


def _f(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if abs(value) < 100 else f"{value:.0f}"  # fractions; milliseconds


def paired_bootstrap(
    diffs: list[float], samples: int, confidence: float, seed: int
) -> tuple[float, float, float]:
    """Mean of paired differences and its percentile bootstrap interval (low, high)."""
    n = len(diffs)
    mean = sum(diffs) / n
    rng = random.Random(seed)
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(samples))
    alpha = (1 - confidence) / 2
    low = means[int(alpha * (samples - 1))]
    high = means[round((1 - alpha) * (samples - 1))]
    return mean, low, high


def decide(candidate: EvalReport, champion: EvalReport | None, config: GateConfig) -> GateDecision:
    """Apply the gate's rules; promote only when every check passes."""
    checks: list[Check] = []
    for suite in config.suites:
        metrics = candidate.metrics.get(suite)
        if not metrics or not metrics.get("cases"):
            checks.append(
                Check("coverage", suite, "cases", 0.0, None, 1.0, False, note="suite not evaluated")
            )
            continue
        for metric, floor in config.floors.get(suite, {}).items():
            value = metrics.get(metric)
            checks.append(
                Check(
                    "floor", suite, metric, value, None, floor, value is not None and value >= floor
                )
            )
        if champion is None:
            continue
        champ = champion.metrics.get(suite, {})
        ours = {r["id"]: r for r in candidate.cases if r["suite"] == suite}
        theirs = {r["id"]: r for r in champion.cases if r["suite"] == suite}
        common = sorted(ours.keys() & theirs.keys())
        if not common:
            checks.append(
                Check(
                    "coverage",
                    suite,
                    "cases",
                    None,
                    None,
                    None,
                    False,
                    note="no cases in common with the champion",
                )
            )
            continue
        for metric, margin in config.non_inferiority.items():
            fld = PAIRED_FIELDS[metric]
            diffs = [float(ours[i][fld]) - float(theirs[i][fld]) for i in common]
            mean, low, high = paired_bootstrap(
                diffs, config.bootstrap_samples, config.confidence, config.seed
            )
            checks.append(
                Check(
                    "non_inferiority",
                    suite,
                    metric,
                    sum(float(ours[i][fld]) for i in common) / len(common),
                    sum(float(theirs[i][fld]) for i in common) / len(common),
                    margin,
                    low >= -margin,
                    delta=mean,
                    ci_low=low,
                    ci_high=high,
                )
            )
        checks.extend(_category_checks(suite, ours, theirs, common, config))
        c95, h95 = metrics.get("latency_p95_ms"), champ.get("latency_p95_ms")
        if c95 is not None and h95 is not None:
            limit = h95 * (1 + config.latency_p95_margin)
            checks.append(
                Check(
                    "latency",
                    suite,
                    "latency_p95_ms",
                    c95,
                    h95,
                    limit,
                    c95 <= limit,
                    delta=c95 - h95,
                )
            )
    reasons = [c.reason() for c in checks if not c.passed]
    return GateDecision(
        decision="reject" if reasons else "promote",
        reasons=reasons,
        checks=checks,
        candidate_hash=candidate.model_hash,
        champion_hash=champion.model_hash if champion else None,
    )


def _category_checks(
    suite: str,
    ours: dict[str, dict[str, Any]],
    theirs: dict[str, dict[str, Any]],
    common: list[str],
    config: GateConfig,
) -> list[Check]:
    """One check per category with enough paired cases: its semantic accuracy drop."""
    by_category: dict[str, list[str]] = {}
    for i in common:
        by_category.setdefault(str(ours[i]["category"]), []).append(i)
    checks = []
    for category, ids in sorted(by_category.items()):
        if len(ids) < config.category_min_cases:
            continue
        cand = sum(float(ours[i]["semantic"]) for i in ids) / len(ids)
        champ = sum(float(theirs[i]["semantic"]) for i in ids) / len(ids)
        checks.append(
            Check(
                "category",
                suite,
                category,
                cand,
                champ,
                config.category_max_drop,
                cand - champ >= -config.category_max_drop - 1e-9,
                delta=cand - champ,
                note=f"{len(ids)} cases",
            )
        )
    return checks


def log_decision(decision: GateDecision, run_id: str, tracking_uri: str) -> None:
    """Log the decision to an MLflow run: a tag, one metric per check, the evidence as JSON."""
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=tracking_uri)
    client.set_tag(run_id, "gate.decision", decision.decision)
    for c in decision.checks:
        key = f"gate.{c.rule}.{c.suite}.{c.metric}"
        client.log_metric(run_id, f"{key}.passed", 1.0 if c.passed else 0.0)
        if c.delta is not None:
            client.log_metric(run_id, f"{key}.delta", c.delta)
        if c.ci_low is not None and c.ci_high is not None:
            client.log_metric(run_id, f"{key}.ci_low", c.ci_low)
            client.log_metric(run_id, f"{key}.ci_high", c.ci_high)
    client.log_dict(run_id, decision.as_dict(), "gate/decision.json")
    client.log_text(run_id, decision.table(), "gate/table.txt")
