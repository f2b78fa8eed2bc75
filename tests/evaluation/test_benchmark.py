"""The benchmark suite: size, coverage, validity, the case files, the JSONL matches its source."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from flowgen_core.agent.suites import load_benchmark
from flowgen_core.catalog.model import load_catalog
from flowgen_core.dsl.validate import validate
from flowgen_core.errors import InvalidInput
from flowgen_core.evaluation.benchmark.build import (
    CASES_DIR,
    OUT,
    build_rows,
    read_case,
    read_cases,
)
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


def test_every_case_file_parses_and_its_id_comes_from_its_path() -> None:
    cases = read_cases()
    assert len({c.id for c in cases}) == len(cases) == len(list(CASES_DIR.rglob("*.dsl")))
    for case in cases:
        assert case.id == f"{case.path.parent.name}-{case.path.stem}"
        assert case.path.read_text("utf-8").count(case.program) >= 1  # program kept verbatim


def _case(tmp_path: Path, text: str, name: str = "orders/x.dsl") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "categories.txt").write_text("orders\n")
    path.write_text(text, "utf-8")
    return path


PROGRAM = "@order_paid\ndef f(order, shop):\n    archive_order(order_id=order.id)\n"
HEADER = "# request: archive paid orders\n# difficulty: easy\n# features:\n"


def test_adding_a_case_file_changes_no_other_id(tmp_path: Path) -> None:
    _case(tmp_path, HEADER + PROGRAM, "orders/b.dsl")
    before = {c.id: c for c in read_cases(tmp_path)}
    _case(tmp_path, HEADER.replace("archive", "close") + PROGRAM, "orders/a.dsl")
    after = {c.id: c for c in read_cases(tmp_path)}
    assert after["orders-b"] == before["orders-b"]
    assert [c.id for c in read_cases(tmp_path)] == ["orders-a", "orders-b"]
    assert after["orders-a"].features == () and after["orders-a"].existing is None


def test_an_edit_case_holds_both_programs(tmp_path: Path) -> None:
    text = HEADER + "# existing:\n" + PROGRAM + "# expected:\n" + PROGRAM.replace("f(", "g(")
    case = read_case(_case(tmp_path, text), tmp_path)
    assert case.existing == PROGRAM and case.program == PROGRAM.replace("f(", "g(")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (HEADER.replace("difficulty: easy", "difficulty: trivial") + PROGRAM, "'difficulty'"),
        (HEADER.replace("# request: archive paid orders\n", "") + PROGRAM, "'request'"),
        (HEADER + "# owner: me\n" + PROGRAM, "'owner'"),
        (HEADER + "# existing:\n" + PROGRAM, "'# expected:'"),
        (HEADER, "expected program"),
    ],
)
def test_a_bad_case_file_is_named_with_its_field(tmp_path: Path, text: str, field: str) -> None:
    path = _case(tmp_path, text)
    with pytest.raises(InvalidInput) as err:
        read_case(path, tmp_path)
    assert str(err.value).startswith(f"{path}: ") and field in str(err.value)


def test_a_category_not_listed_is_refused(tmp_path: Path) -> None:
    _case(tmp_path, HEADER + PROGRAM, "ordrs/x.dsl")
    with pytest.raises(InvalidInput, match=r"ordrs/x\.dsl: category .ordrs."):
        read_cases(tmp_path)


def test_an_invalid_program_names_its_case_file(tmp_path: Path) -> None:
    path = _case(tmp_path, HEADER + PROGRAM.replace("archive_order", "no_such_task"))
    with pytest.raises(InvalidInput, match=re.escape(f"{path}: expected")):
        build_rows(load_catalog(), tmp_path)
