"""The benchmark suite: size, coverage, validity, and that the JSONL matches its source."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from flowgen_core.agent.suites import load_benchmark
from flowgen_core.catalog.model import load_catalog
from flowgen_core.dsl.validate import validate
from flowgen_core.evaluation.benchmark.build import OUT, build_rows
from flowgen_core.store.patterns import CATEGORIES


def test_at_least_150_cases_cover_every_category_and_feature() -> None:
    cases = load_benchmark()
    assert len(cases) >= 150
    assert len({c.id for c in cases}) == len(cases)
    by_category = Counter(c.category for c in cases)
    assert set(by_category) == set(CATEGORIES)  # every template category of catalog-facts.md
    assert min(by_category.values()) >= 10
    features = Counter(f for c in cases for f in c.features)
    for needed in ("email", "complex_condition", "loop", "wait", "get_data", "edit"):
        assert features[needed] >= 10, needed
    assert {c.difficulty for c in cases} == {"easy", "medium", "hard"}
    edits = [c for c in cases if "edit" in c.features]
    assert all(c.existing is not None for c in edits)
    assert len({c.request for c in cases}) == len(cases)  # no request written twice


def test_every_expected_and_existing_workflow_validates() -> None:
    catalog = load_catalog()
    for case in load_benchmark():
        # As the build and the agent judge them: a task outside the catalog is an error.
        assert validate(case.expected, catalog, unknown_tasks="error") == [], case.id
        if case.existing is not None:
            assert validate(case.existing, catalog, unknown_tasks="error") == [], case.id


def test_jsonl_is_built_from_the_source() -> None:
    rows = [json.loads(line) for line in Path(OUT).read_text("utf-8").splitlines()]
    assert rows == json.loads(json.dumps(build_rows(load_catalog())))


def test_every_edit_changes_the_existing_workflow() -> None:
    from flowgen_core.evaluation.judge import structural_judge

    catalog = load_catalog()
    for case in load_benchmark():
        if case.existing is not None:
            assert not structural_judge(case.expected, case.existing, catalog).equivalent, case.id
