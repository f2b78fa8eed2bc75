"""The evaluation suites: the hand-written benchmark and the held-out real traffic.

`benchmark`: `benchmark/cases.jsonl` shipped in the package (built from the case files under
`evaluation/benchmark/cases/`).
`traffic`: `heldout.jsonl` in a dataset folder, written by the data build: one JSON object per
line with `id`, `shop_id`, `category`, `request`, `existing_workflow` (flow JSON text or null)
and `expected` (flow JSON text): the workflow the merchant accepted or corrected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from flowgen_core.dsl.flowfile import read_flow, workflow_from_json
from flowgen_core.dsl.model import Workflow
from flowgen_core.errors import InvalidInput, UnreadableInput, UsageError

SUITES = ("benchmark", "traffic")
HELDOUT_FILE = "heldout.jsonl"


@dataclass(frozen=True)
class Case:
    """One evaluation case."""

    id: str
    suite: str
    category: str
    request: str
    expected: Workflow
    existing: Workflow | None = None
    difficulty: str = ""
    features: tuple[str, ...] = ()


def _workflow(value: Any, where: str) -> Workflow:
    """A workflow from a payload object, or from payload / .flow text."""
    try:
        if isinstance(value, str):
            return read_flow(value)
        return workflow_from_json(value)
    except UnreadableInput as exc:
        raise InvalidInput(f"{where}: {exc}") from None


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot read ({exc.strerror})") from None
    rows = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError as exc:
                raise UnreadableInput(f"{path}: line {n}: not JSON ({exc})") from None
    return rows


def load_benchmark() -> list[Case]:
    """The hand-written benchmark cases."""
    text = resources.files("flowgen_core.evaluation.benchmark").joinpath("cases.jsonl")
    cases = []
    for row in _read_jsonl(Path(str(text))):
        where = f"benchmark case {row['id']}"
        existing = row.get("existing_workflow")
        cases.append(
            Case(
                id=row["id"],
                suite="benchmark",
                category=row["category"],
                request=row["request"],
                expected=_workflow(row["expected"], f"{where} expected"),
                existing=None if existing is None else _workflow(existing, f"{where} existing"),
                difficulty=row.get("difficulty", ""),
                features=tuple(row.get("features", ())),
            )
        )
    return cases


def load_traffic(dataset_dir: Path) -> list[Case]:
    """The held-out real traffic of a dataset folder (`heldout.jsonl`)."""
    path = dataset_dir / HELDOUT_FILE
    cases = []
    for n, row in enumerate(_read_jsonl(path), 1):
        missing = [k for k in ("id", "category", "request", "expected") if k not in row]
        if missing:
            raise InvalidInput(f"{path}: line {n}: missing field(s) {', '.join(missing)}")
        where = f"{path}: line {n}"
        existing = row.get("existing_workflow")
        cases.append(
            Case(
                id=str(row["id"]),
                suite="traffic",
                category=row["category"],
                request=row["request"],
                expected=_workflow(row["expected"], f"{where} expected"),
                existing=None if existing is None else _workflow(existing, f"{where} existing"),
                features=("edit",) if existing is not None else (),
            )
        )
    return cases


def load_suites(suites: list[str], dataset_dir: Path | None) -> list[Case]:
    """The cases of the named suites, in suite order."""
    cases: list[Case] = []
    for suite in suites:
        if suite == "benchmark":
            cases.extend(load_benchmark())
        elif suite == "traffic":
            if dataset_dir is None:
                raise UsageError("suite 'traffic' needs a dataset folder (with heldout.jsonl)")
            cases.extend(load_traffic(dataset_dir))
        else:
            raise UsageError(f"unknown suite {suite!r} (known: {', '.join(SUITES)})")
    return cases
