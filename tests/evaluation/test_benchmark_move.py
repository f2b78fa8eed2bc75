"""One-time check of the move from cases.py to case files: same ids, requests, programs.

Runs against the last commit that had `cases.py` (read from git as text and executed in a
scratch namespace); removed once the move has landed.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

from flowgen_core.evaluation.benchmark.build import read_cases

BEFORE = "3211a2e"


def test_case_files_hold_exactly_the_old_cases() -> None:
    source = subprocess.run(
        ["git", "show", f"{BEFORE}:flowgen_core/evaluation/benchmark/cases.py"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,  # the tests run in a temporary folder
    ).stdout
    namespace: dict[str, Any] = {}
    exec(compile(source, "cases.py", "exec"), namespace)  # the old file, read once
    seen: Counter[str] = Counter()
    old = {}
    for category, difficulty, features, request, program, existing in namespace["CASES"]:
        seen[category] += 1
        key = f"{category}-{seen[category]:03d}"
        old[key] = (category, difficulty, tuple(features), request, program, existing)
    new = {
        c.id: (c.category, c.difficulty, c.features, c.request, c.program, c.existing)
        for c in read_cases()
    }
    assert len(old) == 221
    assert new == old
