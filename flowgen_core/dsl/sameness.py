"""When two workflows are "the same workflow" (flow-format.md, "What the same workflow means").

`canonical(workflow)` is the normalized form: step ids, canvas positions, condition-node uuids,
key orders and the order of steps and links are set aside; everything else is kept (task, version,
type, config strings in their order, condition trees with operand order, description / note /
name, workflow name and note, patched fields, variables). Steps are numbered by a content- and
graph-based colouring (Weisfeiler-Lehman refinement with tie-breaking), so isomorphic workflows
get the same form. `same_workflow(a, b)` compares the forms and says where they first differ.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from flowgen_core.dsl.condition import (
    ArrayExpr,
    Comparison,
    ConditionNode,
    Logical,
    MalformedCondition,
    Operand,
    parse_condition,
)
from flowgen_core.dsl.model import Step, Workflow


def _operand(op: Operand | None) -> Any:
    if op is None:
        return None
    if op.is_env:
        return ["env", op.full_environment_path, op.value]
    return ["literal", op.value]


def _part(part: str | Operand) -> Any:
    """An array path or item key: the string, or the operand object without its ids."""
    return part if isinstance(part, str) else _operand(part)


def condition_form(node: ConditionNode) -> Any:
    """A condition tree without uuids, as nested lists."""
    if isinstance(node, Logical):
        # The one-operand wrapper keeps its own form: `a` and `AND(a)` are written differently.
        rhs = None if node.rhs is None else condition_form(node.rhs)
        return ["logical", node.operator, condition_form(node.lhs), rhs]
    if isinstance(node, Comparison):
        return ["compare", node.operator, node.value_type, _operand(node.lhs), _operand(node.rhs)]
    assert isinstance(node, ArrayExpr)
    return [
        "array",
        node.operator,
        _part(node.array_path),
        _part(node.array_item_key),
        condition_form(node.operation),
    ]


def _config(step: Step) -> list[list[Any]]:
    out: list[list[Any]] = []
    for c in step.config_field_values:
        value: Any = c.value
        if step.task_type == "CONDITION" and c.config_field_id == "condition":
            try:
                value = {"tree": condition_form(parse_condition(c.value))}
            except MalformedCondition:
                value = c.value
        out.append([c.config_field_id, value])
    return out


def _step_form(step: Step) -> dict[str, Any]:
    return {
        "task_id": step.task_id,
        "task_version": step.task_version,
        "task_type": step.task_type,
        "config": _config(step),
        "description": step.description,
        "note": step.note,
        "name": step.name,
    }


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _step_order(wf: Workflow, forms: list[dict[str, Any]]) -> list[int]:
    """Document indices in canonical order (colour refinement, ties broken one at a time)."""
    n = len(wf.steps)
    index = {(type(s.step_id), s.step_id): i for i, s in enumerate(wf.steps)}
    edges = [
        (
            index[(type(lk.from_step_id), lk.from_step_id)],
            lk.from_port_id,
            index[(type(lk.to_step_id), lk.to_step_id)],
            lk.to_port_id,
        )
        for lk in wf.links
    ]
    colour = [_digest(f) for f in forms]

    def refine(colour: list[str]) -> list[str]:
        while True:
            sig: list[list[Any]] = [[c] for c in colour]
            outs: list[list[Any]] = [[] for _ in range(n)]
            ins: list[list[Any]] = [[] for _ in range(n)]
            for a, port, b, to_port in edges:
                outs[a].append([port, to_port, colour[b]])
                ins[b].append([port, to_port, colour[a]])
            new = [_digest([sig[i], sorted(outs[i]), sorted(ins[i])]) for i in range(n)]
            if len(set(new)) == len(set(colour)):
                return colour
            colour = new

    colour = refine(colour)
    while len(set(colour)) < n:
        # Tied steps are (almost always) interchangeable; split the smallest tied class.
        counts = Counter(colour)
        tied = min(c for c, k in counts.items() if k > 1)
        first = colour.index(tied)
        colour = list(colour)
        colour[first] = _digest([tied, "split"])
        colour = refine(colour)
    return sorted(range(n), key=lambda i: colour[i])


def canonical(wf: Workflow) -> dict[str, Any]:
    """The normalized form of a workflow: equal for semantically equal workflows."""
    forms = [_step_form(s) for s in wf.steps]
    order = _step_order(wf, forms)
    rank = {i: k for k, i in enumerate(order)}
    index = {(type(s.step_id), s.step_id): i for i, s in enumerate(wf.steps)}
    links = sorted(
        [
            rank[index[(type(lk.from_step_id), lk.from_step_id)]],
            lk.from_port_id,
            rank[index[(type(lk.to_step_id), lk.to_step_id)]],
            lk.to_port_id,
        ]
        for lk in wf.links
    )
    return {
        "workflow_name": wf.workflow_name,
        "note": wf.note,
        "patched_fields": list(wf.patched_fields),
        "variables": list(wf.variables),
        "steps": [forms[i] for i in order],
        "links": links,
    }


def canonical_hash(wf: Workflow) -> str:
    """A short stable hash of the canonical form (for dedup)."""
    return _digest(canonical(wf))[:16]


def _label(form: dict[str, Any]) -> str:
    return f"{form['task_type']} {form['task_id']}@{form['task_version']}"


def same_workflow(a: Workflow, b: Workflow) -> str | None:
    """None when the workflows are semantically the same, else a one-line reason."""
    ca, cb = canonical(a), canonical(b)
    if ca == cb:
        return None
    for key in ("workflow_name", "note", "patched_fields", "variables"):
        if ca[key] != cb[key]:
            return f"{key} differs: {ca[key]!r} vs {cb[key]!r}"[:300]
    if len(ca["steps"]) != len(cb["steps"]):
        return f"{len(ca['steps'])} steps vs {len(cb['steps'])} steps"
    sa = Counter(_digest(f) for f in ca["steps"])
    sb = Counter(_digest(f) for f in cb["steps"])
    if sa != sb:
        only_a = [f for f in ca["steps"] if sa[_digest(f)] > sb[_digest(f)]]
        only_b = [f for f in cb["steps"] if sb[_digest(f)] > sa[_digest(f)]]
        a0, b0 = only_a[0], only_b[0]
        if _label(a0) != _label(b0):
            return f"step {_label(a0)} has no counterpart (other has {_label(b0)})"
        for field in ("config", "description", "note", "name"):
            if a0[field] != b0[field]:
                return f"step {_label(a0)}: {field} differs"
        return f"step {_label(a0)} differs"
    if len(ca["links"]) != len(cb["links"]):
        return f"{len(ca['links'])} links vs {len(cb['links'])} links"
    return "the steps are linked differently"
