"""Every pattern builds workflows the catalog knows; the patterns file is checked when read."""

from __future__ import annotations

import json
import random
import tomllib
from pathlib import Path

import pytest

from flowgen_core.catalog.model import load_catalog
from flowgen_core.dsl.validate import validate_document
from flowgen_core.errors import InvalidInput
from flowgen_core.store import patterns as P
from flowgen_core.store.quarantine import definition_problem


@pytest.mark.parametrize("pattern", P.PATTERNS, ids=lambda p: p.descriptor)
def test_pattern_instances_match_the_catalog(pattern: P.Pattern) -> None:
    catalog = load_catalog()
    rng = random.Random(pattern.descriptor)
    for _ in range(10):
        persona = P.make_persona(rng)
        params = pattern.params(rng, persona)
        payload = P.instantiate(pattern, params, rng)
        assert definition_problem(payload, catalog) is None
        assert validate_document(json.loads(payload), catalog) == []
        for step in json.loads(payload)["root"]["steps"]:
            task = catalog.get(step["task_id"], step["task_version"])
            assert task is not None, step["task_id"]
            assert task.type == step["task_type"]
            given = {v["config_field_id"]: v["value"] for v in step["config_field_values"]}
            for field_id, value in given.items():
                field = task.field(field_id)
                assert field is not None, f"{task.id}.{field_id}"
                if field.kind == "enum":
                    assert value in field.enum_values, f"{task.id}.{field_id}={value}"
                if field.kind in ("string_list", "json", "condition", "recurrence"):
                    json.loads(value)
            missing = [f.id for f in task.fields if f.required and f.id not in given]
            assert missing == [], f"{task.id} lacks {missing}"
        for template in pattern.phrasings + pattern.vague:
            assert "{" not in template.format(**P.slots(params))


def test_popularity_is_skewed_and_categories_are_covered() -> None:
    weights = sorted((p.weight for p in P.PATTERNS), reverse=True)
    assert weights[0] >= 10 * weights[-1]
    assert sum(weights[:3]) > sum(weights) / 3  # a few patterns are most of the population
    assert {p.category for p in P.PATTERNS} == set(P.CATEGORIES)
    assert len({p.descriptor for p in P.PATTERNS}) == len(P.PATTERNS)


def test_edits_change_parameters() -> None:
    rng = random.Random(3)
    persona = P.make_persona(rng)
    pattern = P.BY_DESCRIPTOR["tag_high_value_orders"]
    params = pattern.params(rng, persona)
    for _ in range(20):
        edit = P.propose_edit(params, rng, persona)
        assert edit is not None and edit.params != params and edit.phrase


def _raw(**change: object) -> dict[str, object]:
    raw = tomllib.loads(Path(P.__file__).with_name(P.PATTERNS_FILE).read_text("utf-8"))
    return {**raw["patterns"][0], **change}


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"category": "ordrs"}, "patterns[0] (tag_high_value_orders).category:"),
        ({"kinds": ["hard"]}, "patterns[0] (tag_high_value_orders).kinds:"),
        ({"params": {"threshold": "cash"}}, ".params.threshold: unknown draw 'cash'"),
        ({"program": "Money('${amount}')"}, ".program: slots ['amount'] are not params"),
        ({"program": "Money('$5')"}, ".program: a $ that is not a ${slot}"),
        ({"weigth": 3}, "patterns[0].weigth: unknown key"),
    ],
)
def test_a_bad_pattern_is_named_by_file_and_field(change: dict, where: str) -> None:
    with pytest.raises(InvalidInput) as err:
        P._pattern(0, _raw(**change))
    assert str(err.value).startswith("patterns.toml: ") and where in str(err.value)


def test_a_program_that_does_not_transpile_names_its_pattern() -> None:
    broken = P._pattern(0, _raw(program="@order_created\ndef f(order, shop):\n    nope()\n"))
    with pytest.raises(InvalidInput, match=r"^patterns\.toml: tag_high_value_orders\.program: "):
        P.instantiate(broken, {"threshold": "5", "tags": ["a"]}, random.Random(0))


def test_a_value_that_would_break_the_program_is_refused() -> None:
    pattern = P.BY_DESCRIPTOR["email_new_customer_signup"]
    with pytest.raises(InvalidInput, match="needs quoting"):
        P.program(pattern, {"email": "o'brien@shop.com"})


def test_every_instance_gets_fresh_step_ids() -> None:
    pattern = P.BY_DESCRIPTOR["tag_high_value_orders"]
    params = {"threshold": "500", "tags": ["vip"]}
    a, b = (json.loads(P.instantiate(pattern, params, random.Random(n))) for n in (1, 2))
    ids = [{s["step_id"] for s in d["root"]["steps"]} for d in (a, b)]
    assert len(ids[0]) == 3 and not ids[0] & ids[1]
