"""A small builder for platform-format workflow payloads, used by the demo
seeder to write workflows the way the platform stores them: compact JSON, export key order,
condition trees as JSON text with uuids.

It writes; it does not read or validate (that is `flowgen_core.dsl`).
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

# value_type strings used by the comparisons the patterns make
MONEY = "EnvironmentScalarDefinition:Money"
INT = "EnvironmentScalarDefinition:Int"
STRING = "EnvironmentScalarDefinition:String"
RISK = "EnvironmentEnumDefinition:OrderRiskLevel"
PRODUCT_STATUS = "EnvironmentEnumDefinition:ProductStatus"


def compact(obj: Any) -> str:
    """JSON text the way the platform writes it: no spaces, non-ASCII as itself."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def rng_uuid(rng: random.Random) -> str:
    """A version-4 UUID drawn from `rng` (deterministic for a seeded rng)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


# -- condition trees (built without uuids; uuids are drawn when rendered) -----------------
@dataclass(frozen=True)
class Cmp:
    """A comparison of an environment path with a literal (rhs None for unary operators)."""

    path: str
    operator: str
    literal: str | None
    value_type: str


@dataclass(frozen=True)
class Logic:
    """AND / OR of two nodes."""

    operator: str
    lhs: Any
    rhs: Any


@dataclass(frozen=True)
class ArrayCond:
    """ANY / ALL / NONE of the items of a list satisfy `operation`."""

    operator: str
    array_path: str
    item_key: str
    operation: Any


def all_of(*nodes: Any) -> Any:
    """Nest a chain of nodes with AND the way the editor does: a AND (b AND c)."""
    if len(nodes) == 1:
        return nodes[0]
    return Logic("AND", nodes[0], all_of(*nodes[1:]))


def render_condition(node: Any, rng: random.Random) -> str:
    """The condition tree as JSON text with fresh uuids, keys in export order."""
    return compact(_render(node, rng, None))


def _render(node: Any, rng: random.Random, parent: str | None) -> dict[str, Any]:
    me = rng_uuid(rng)
    head: dict[str, Any] = {"uuid": me}
    if parent is not None:
        head["parent_uuid"] = parent
    if isinstance(node, Logic):
        return {
            **head,
            "lhs": _render(node.lhs, rng, me),
            "rhs": _render(node.rhs, rng, me),
            "operator": node.operator,
            "operation_type": "LogicalExpression",
        }
    if isinstance(node, ArrayCond):
        return {
            **head,
            "array_path": node.array_path,
            "array_item_key": node.item_key,
            "operation": _render(node.operation, rng, me),
            "operator": node.operator,
            "operation_type": "ArrayExpression",
        }
    lhs = {
        "uuid": rng_uuid(rng),
        "parent_uuid": me,
        "value": node.path,
        "comparison_value_type": "EnvironmentValue",
        "full_environment_path": node.path,
    }
    rhs = None
    if node.literal is not None:
        rhs = {
            "uuid": rng_uuid(rng),
            "parent_uuid": me,
            "value": node.literal,
            "comparison_value_type": "LiteralValue",
        }
    return {
        **head,
        "lhs": lhs,
        "rhs": rhs,
        "value_type": node.value_type,
        "operator": node.operator,
        "operation_type": "Comparison",
    }


# -- workflows ------------------------------------------------------------------------------
@dataclass
class FlowBuilder:
    """Accumulates steps and links, then writes the payload text."""

    name: str
    rng: random.Random
    steps: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)

    def step(
        self,
        task_id: str,
        task_type: str,
        config: dict[str, str] | None = None,
        *,
        after: tuple[str, str] | None = None,
        version: str = "0.1",
    ) -> str:
        """Add a step (linked from `after` = (step id, port) when given); returns its id."""
        step_id = rng_uuid(self.rng)
        depth = len(self.steps)
        branch = 0 if after is None or after[1] != "false" else 1
        values = [{"config_field_id": k, "value": v} for k, v in (config or {}).items()]
        for item in values:
            if not isinstance(item["value"], str):
                raise TypeError(
                    f"config value of {task_id}.{item['config_field_id']} is not a string"
                )
        self.steps.append(
            {
                "step_id": step_id,
                "step_position": [branch * 320, depth * 180],
                "config_field_values": values,
                "task_id": task_id,
                "task_version": version,
                "task_type": task_type,
                "description": None,
                "note": None,
                "name": None,
            }
        )
        if after is not None:
            self.link(after[0], after[1], step_id)
        return step_id

    def link(self, from_step: str, port: str, to_step: str) -> None:
        """Connect an output port of one step to the input of another."""
        self.links.append(
            {
                "from_step_id": from_step,
                "from_port_id": port,
                "to_step_id": to_step,
                "to_port_id": "input",
            }
        )

    def task_ids(self) -> list[str]:
        """The task ids used, in step order."""
        return [s["task_id"] for s in self.steps]

    def payload(self) -> str:
        """The workflow as the platform stores it (compact JSON payload, no hash prefix)."""
        return compact(
            {
                "__metadata": {"version": 0.1},
                "root": {
                    "steps": self.steps,
                    "links": self.links,
                    "patched_fields": [],
                    "variables": [],
                    "note": None,
                    "vertical_layout_enabled": True,
                    "workflow_name": self.name,
                },
            }
        )
