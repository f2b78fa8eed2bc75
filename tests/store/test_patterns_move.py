"""One-time check of the move from builder calls to DSL templates: the same workflows.

Runs against the last commit that had the builder version of `patterns.py` (read from git and
executed in a scratch namespace); removed once the move has landed.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

from flowgen_core.catalog.model import load_catalog
from flowgen_core.dsl.flowfile import parse_payload
from flowgen_core.dsl.sameness import same_workflow
from flowgen_core.store import patterns as P

BEFORE = "3211a2e"


def _old() -> dict[str, Any]:
    source = subprocess.run(
        ["git", "show", f"{BEFORE}:flowgen_core/store/patterns.py"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,  # the tests run in a temporary folder
    ).stdout
    module = types.ModuleType("old_patterns")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, "old_patterns.py", "exec"), module.__dict__)  # the old file, once
    return module.__dict__


def test_templates_make_the_same_workflows_and_draw_the_same_params() -> None:
    old = _old()
    catalog = load_catalog()
    assert [p.descriptor for p in old["PATTERNS"]] == [p.descriptor for p in P.PATTERNS]
    assert old["CATEGORIES"] == P.CATEGORIES
    for name in ("FIRST_NAMES", "LAST_NAMES", "COUNTRIES", "ORDER_TAGS", "CUSTOMER_TAGS"):
        assert getattr(P, name) == old[name], name
    for before, after in zip(old["PATTERNS"], P.PATTERNS, strict=True):
        assert (before.category, before.weight, before.kinds, before.title) == (
            after.category,
            after.weight,
            after.kinds,
            after.title,
        )
        assert (before.phrasings, before.vague) == (after.phrasings, after.vague)
        for seed in range(25):
            rng_a, rng_b = random.Random(seed), random.Random(seed)
            persona = old["make_persona"](rng_a)
            assert P.make_persona(rng_b) == P.Persona(**vars(persona))
            params = before.params(rng_a, persona)
            assert after.params(rng_b, P.Persona(**vars(persona))) == params, before.descriptor
            a = parse_payload(old["instantiate"](before, params, rng_a))
            b = parse_payload(P.instantiate(after, params, rng_b))
            assert same_workflow(a, b) is None, (before.descriptor, same_workflow(a, b))
            assert a.workflow_name == b.workflow_name == after.title
            doc_a = json.loads(old["instantiate"](before, params, rng_a))
            doc_b = json.loads(P.instantiate(after, params, rng_b))
            steps_a, steps_b = doc_a["root"]["steps"], doc_b["root"]["steps"]
            assert [(s["task_id"], s["task_version"]) for s in steps_a] == [
                (s["task_id"], s["task_version"]) for s in steps_b
            ]
    assert catalog is not None
