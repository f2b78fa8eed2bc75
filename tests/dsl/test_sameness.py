"""Semantic sameness: what is set aside (ids, positions, uuids, order) and what is not."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from flowgen_core.catalog import load_catalog
from flowgen_core.dsl.condition import dump_condition, node_to_json, parse_condition
from flowgen_core.dsl.flowfile import read_flow
from flowgen_core.dsl.from_python import from_python
from flowgen_core.dsl.model import ConfigValue, Link, Workflow
from flowgen_core.dsl.sameness import canonical, canonical_hash, same_workflow
from flowgen_core.dsl.to_python import to_python

CORPUS = Path(__file__).parent / "corpus"


def load(name: str) -> Workflow:
    return read_flow((CORPUS / name).read_text(encoding="utf-8"))


def renumber(wf: Workflow) -> Workflow:
    """The same workflow with other step ids, positions, uuids and list orders."""
    new_id = {s.step_id: f"new-{k}" for k, s in enumerate(reversed(wf.steps))}
    steps = []
    for s in reversed(wf.steps):
        values = []
        for c in s.config_field_values:
            value = c.value
            if c.config_field_id == "condition" and s.task_type == "CONDITION":
                obj = node_to_json(parse_condition(value))
                value = (
                    json.dumps(obj)
                    .replace('"uuid": "', '"uuid": "x')
                    .replace('"parent_uuid": "', '"parent_uuid": "x')
                )
                value = dump_condition(parse_condition(value))
            values.append(ConfigValue(c.config_field_id, value, tuple(reversed(c.keys))))
        steps.append(
            dataclasses.replace(
                s,
                step_id=new_id[s.step_id],
                step_position=(s.step_position[0] + 7.5, -s.step_position[1]),
                config_field_values=tuple(values),
            )
        )
    links = tuple(
        Link(new_id[lk.from_step_id], lk.from_port_id, new_id[lk.to_step_id], lk.to_port_id)
        for lk in reversed(wf.links)
    )
    return dataclasses.replace(wf, steps=tuple(steps), links=links, vertical_layout_enabled=False)


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.flow")))
def test_ids_positions_uuids_and_order_are_set_aside(name: str):
    wf = load(name)
    other = renumber(wf)
    assert other != wf
    assert same_workflow(wf, other) is None
    assert canonical(wf) == canonical(other)
    assert canonical_hash(wf) == canonical_hash(other)
    json.dumps(canonical(wf))  # JSON-able, for dedup keys and judges


def test_config_strings_are_compared_exactly():
    wf = load("both_condition_ports_to_one_step.flow")
    i = next(k for k, s in enumerate(wf.steps) if s.task_type == "ACTION")
    s = wf.steps[i]
    changed = tuple(
        ConfigValue(c.config_field_id, c.value.replace('"checked"', '"checked" '))
        for c in s.config_field_values
    )
    other = dataclasses.replace(
        wf,
        steps=(
            *wf.steps[:i],
            dataclasses.replace(s, config_field_values=changed),
            *wf.steps[i + 1 :],
        ),
    )
    assert same_workflow(wf, other) == f"step ACTION {s.task_id}@{s.task_version}: config differs"


def test_ports_and_links_matter():
    wf = load("condition_false_branch_only.flow")
    flipped = tuple(
        dataclasses.replace(lk, from_port_id="true") if lk.from_port_id == "false" else lk
        for lk in wf.links
    )
    assert (
        same_workflow(wf, dataclasses.replace(wf, links=flipped))
        == "the steps are linked differently"
    )
    assert same_workflow(wf, dataclasses.replace(wf, links=wf.links[:-1])).endswith("links")


def test_operand_order_and_names_matter():
    wf = load("env_value_on_both_sides.flow")
    i = next(k for k, s in enumerate(wf.steps) if s.task_type == "CONDITION")
    s = wf.steps[i]
    node = parse_condition(s.config_field_values[0].value)
    swapped = dataclasses.replace(node, lhs=node.rhs, rhs=node.lhs)
    step = dataclasses.replace(
        s, config_field_values=(ConfigValue("condition", dump_condition(swapped)),)
    )
    other = dataclasses.replace(wf, steps=(*wf.steps[:i], step, *wf.steps[i + 1 :]))
    assert "config differs" in (same_workflow(wf, other) or "")
    assert same_workflow(wf, dataclasses.replace(wf, workflow_name="Other")).startswith(
        "workflow_name differs"
    )
    assert same_workflow(wf, dataclasses.replace(wf, note="n")).startswith("note differs")


def test_parallel_identical_branches_are_interchangeable():
    catalog = load_catalog()
    source = """
@order_created
def w(order, shop):
    "Twins"
    with branch():
        add_order_tags(order_id="1", tags=["a"])
        archive_order(order_id="1")
    with branch():
        add_order_tags(order_id="1", tags=["a"])
        archive_order(order_id="2")
"""
    wf = from_python(source, catalog)
    assert same_workflow(wf, renumber(wf)) is None
    swapped = source.replace('order_id="1")\n    with', 'order_id="X")\n    with')
    assert same_workflow(wf, from_python(swapped, catalog)) is not None
    # The branches in the other order are the same workflow.
    a, b = source.split("    with branch():\n")[1:]
    reordered = (
        source.split("    with branch():\n")[0]
        + "    with branch():\n"
        + b.rstrip("\n")
        + "\n    with branch():\n"
        + a
    )
    assert same_workflow(wf, from_python(reordered, catalog)) is None
    assert to_python(wf, catalog)[0] != to_python(from_python(reordered, catalog), catalog)[0]
