"""Workflow -> Python: the program's shape, labels, and the sidecar's contents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowgen_core.catalog import load_catalog
from flowgen_core.dsl.flowfile import read_flow, write_flow
from flowgen_core.dsl.from_python import from_python
from flowgen_core.dsl.to_python import to_python

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_labels_never_collide_with_the_function_or_each_other(catalog):
    source = """
@scheduled_time(recurrence=["DTSTART;TZID=UTC:20260105T000000\\nRRULE:FREQ=DAILY"])
def w(scheduledAt, shop):
    "count"
    x = get_order_data(max_root_records=5)
    y = get_order_data(max_root_records=6)
    with after(x, y):
        log_output(message="{{count}}")
    with after():
        c = count(listpath="getOrderData")
    link(c, w, "input")
"""
    for name in ("count", "S1", "getOrderData1", "class"):
        wf = from_python(source.replace('"count"', repr(name), 1), catalog)
        program, sidecar = to_python(wf, catalog)
        lines = program.splitlines()
        assigned = [
            ln.split(" = ")[0].strip() for ln in lines if " = " in ln and ln.startswith("    ")
        ]
        fn = next(ln for ln in lines if ln.startswith("def ")).split("(")[0][4:]
        assert len(set(assigned)) == len(assigned)
        assert fn not in assigned
        assert to_python(from_python(program, catalog), catalog)[0] == program
        assert write_flow(from_python(program, catalog, sidecar)) == write_flow(wf)


def test_paths_and_names_python_refuses_are_written_as_strings(catalog):
    doc = json.loads((CORPUS / "foreach_with_after.flow").read_text(encoding="utf-8")[65:])
    for step in doc["root"]["steps"]:
        for cv in step["config_field_values"]:
            if cv["config_field_id"] == "listpath":
                cv["value"] = "order.__class__"
    wf = read_flow(json.dumps(doc, separators=(",", ":"), ensure_ascii=False))
    program, sidecar = to_python(wf, catalog)
    assert "for item in env('order.__class__'):" in program
    assert write_flow(from_python(program, catalog, sidecar)) == write_flow(wf)


def test_the_sidecar_holds_only_layout(catalog):
    wf = read_flow(
        (CORPUS / "join_two_conditions_into_one_action.flow").read_text(encoding="utf-8")
    )
    _, sidecar = to_python(wf, catalog)
    assert set(sidecar) >= {"format", "steps", "step_order", "links"}
    text = json.dumps(sidecar)
    # Nothing of the workflow's content is in the sidecar: the program alone carries it.
    for s in wf.steps:
        assert s.task_id not in text
        for c in s.config_field_values:
            if c.config_field_id != "condition":
                assert json.dumps(c.value) not in text
    assert [e["id"] for e in sidecar["steps"]] == [
        wf.steps[i].step_id
        for i in sorted(range(len(wf.steps)), key=sidecar["step_order"].__getitem__)
    ]


@pytest.mark.parametrize("literal", ["1622524824", "-5", "-0.5", "2.5", "true", "x"])
@pytest.mark.parametrize("op", ["starts_with?", "ends_with?", "==", "include?", "nil?"])
def test_a_literal_on_the_left_of_any_operator_reads_back(catalog, literal, op):
    doc = json.loads(
        (CORPUS / "condition_operator_starts_with.flow").read_text(encoding="utf-8")[65:]
    )
    for step in doc["root"]["steps"]:
        for cv in step["config_field_values"]:
            if cv["config_field_id"] == "condition":
                node = json.loads(cv["value"])
                node["operator"] = op
                node["lhs"] = {
                    "uuid": "l",
                    "parent_uuid": node["uuid"],
                    "value": literal,
                    "comparison_value_type": "LiteralValue",
                }
                for vt in ("Int", "Decimal", "Boolean", "String"):
                    node["value_type"] = "EnvironmentScalarDefinition:" + vt
                    cv["value"] = json.dumps(node, separators=(",", ":"))
                    wf = read_flow(json.dumps(doc, separators=(",", ":"), ensure_ascii=False))
                    program, sidecar = to_python(wf, catalog)
                    assert write_flow(from_python(program, catalog, sidecar)) == write_flow(wf), (
                        program
                    )
                    assert to_python(from_python(program, catalog), catalog)[0] == program
