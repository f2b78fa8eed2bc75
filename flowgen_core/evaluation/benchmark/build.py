"""Build `cases.jsonl` from `cases.py`: transpile, validate, write (python -m ...benchmark.build).

Every expected (and existing) workflow must transpile and validate against the catalog; the
build stops at the first case that does not, naming it. The output is deterministic: ids come
from the category and the case's place in it, workflow ids from the DSL's stable uuid5 ids.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from flowgen_core.catalog.model import Catalog, load_catalog
from flowgen_core.dsl.flowfile import workflow_to_json
from flowgen_core.dsl.from_python import from_python
from flowgen_core.dsl.validate import validate
from flowgen_core.errors import FlowgenError, InvalidInput
from flowgen_core.evaluation.benchmark.cases import CASES

OUT = Path(__file__).with_name("cases.jsonl")


def _workflow(program: str, catalog: Catalog, where: str) -> dict[str, Any]:
    try:
        wf = from_python(program, catalog)
    except FlowgenError as exc:  # DslError included: name the case, not just the line
        raise InvalidInput(f"{where}: {exc}") from None
    # Cases are answered with the catalog's tasks only, as the agent is judged.
    errors = validate(wf, catalog, unknown_tasks="error")
    if errors:
        raise InvalidInput(f"{where}: invalid workflow: {errors[0]}")
    return workflow_to_json(wf)


def build_rows(catalog: Catalog) -> list[dict[str, Any]]:
    """One row per case: id, category, difficulty, features, request, expected, existing."""
    seen: Counter[str] = Counter()
    rows = []
    for category, difficulty, features, request, program, existing in CASES:
        seen[category] += 1
        case_id = f"{category}-{seen[category]:03d}"
        rows.append(
            {
                "id": case_id,
                "category": category,
                "difficulty": difficulty,
                "features": list(features),
                "request": request,
                "expected": _workflow(program, catalog, f"{case_id} expected"),
                "existing_workflow": None
                if existing is None
                else _workflow(existing, catalog, f"{case_id} existing"),
            }
        )
    return rows


def main() -> int:
    """Write cases.jsonl next to this file (exit 1 naming the first invalid case)."""
    try:
        rows = build_rows(load_catalog())
    except InvalidInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    OUT.write_text(text, "utf-8")
    print(f"{len(rows)} cases -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
